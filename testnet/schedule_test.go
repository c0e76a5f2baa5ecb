package testnet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/testnet/evlog"
	"securemail/testnet/queue"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func events(t *testing.T, dir string, keep func(evlog.Event) bool) []evlog.Event {
	f, err := os.Open(filepath.Join(dir, EventsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []evlog.Event
	evlog.Read(f, func(e evlog.Event) error {
		if keep(e) {
			out = append(out, e)
		}
		return nil
	})
	return out
}

func TestFailoverWhenMX1IsDownAndBack(t *testing.T) {
	clk := queue.NewFakeClock(t0)
	tn := startNet(t, clk, nil)
	b, f := tn.country("B"), tn.country("F")
	from, to := b.Address(b.Testers[0]), f.Address(f.Testers[0])
	if err := tn.Outage("relay", 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := tn.submit("B", 0, []string{to}, msgFor(from, to, "during outage")); err != nil {
		t.Fatal(err)
	}
	clk.Advance(0)
	if got := tn.mailbox("F", 0); len(got) != 1 {
		t.Fatalf("with MX 1 down the message did not go through MX 2 at once: mailbox %d, queues %v", len(got), tn.Queues())
	}
	clk.Advance(10 * time.Minute)
	if err := tn.submit("B", 0, []string{to}, msgFor(from, to, "after outage")); err != nil {
		t.Fatal(err)
	}
	clk.Advance(0)
	tn.waitMailbox(t, "F", 0, 2)
	var route []string
	for _, e := range events(t, tn.dir, func(e evlog.Event) bool { return e.Node == "b-server" && e.Event == evlog.Delivered }) {
		route = append(route, e.Peer)
	}
	if strings.Join(route, ",") != "relay-a,relay" {
		t.Fatalf("b-server handed the two messages to %v, want relay-a (failover) then relay (MX 1 back)", route)
	}
}

func TestDelayNoticeAt4HoursOnceAndFailureAt5Days(t *testing.T) {
	clk := queue.NewFakeClock(t0)
	tn := startNet(t, clk, nil)
	b, f := tn.country("B"), tn.country("F")
	from, to := b.Address(b.Testers[0]), f.Address(f.Testers[0])
	for _, r := range []string{"relay", "relay-a", "relay-b", "backup"} {
		if err := tn.Outage(r, 6*24*time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if err := tn.submit("B", 0, []string{to}, msgFor(from, to, "stuck")); err != nil {
		t.Fatal(err)
	}
	clk.Advance(0)
	clk.Advance(time.Hour)
	// Retries every 2 minutes, each trying MX 1 to 4 in turn.
	var mx1 []time.Time
	for _, e := range events(t, tn.dir, func(e evlog.Event) bool {
		return e.Node == "b-server" && e.Event == evlog.Attempt && e.Peer == "relay"
	}) {
		mx1 = append(mx1, e.Time)
	}
	if len(mx1) != 31 {
		t.Fatalf("attempts on MX 1 in the first hour = %d, want 31", len(mx1))
	}
	for i := 1; i < len(mx1); i++ {
		if d := mx1[i].Sub(mx1[i-1]); d != 2*time.Minute {
			t.Fatalf("attempt %d %v after the previous one, want 2m", i, d)
		}
	}
	clk.Advance(3*time.Hour - time.Minute)
	if n := len(tn.mailbox("B", 0)); n != 0 {
		t.Fatalf("the originator got %d notices before 4 hours", n)
	}
	clk.Advance(time.Minute)
	got := tn.mailbox("B", 0)
	if len(got) != 1 || !strings.Contains(got[0], "Action: delayed") || !strings.Contains(got[0], "Will-Retry-Until: Sat, 07 Mar 2026 09:00:00 +0000") ||
		!strings.Contains(got[0], "Subject: stuck") || !strings.Contains(got[0], "report-type=delivery-status") {
		t.Fatalf("after 4 hours the originator's mailbox holds %q, want one delay notice", got)
	}
	clk.Advance(5*24*time.Hour - 4*time.Hour - time.Minute)
	if n := len(tn.mailbox("B", 0)); n != 1 {
		t.Fatalf("the originator has %d notices just before 5 days, want only the delay notice", n)
	}
	clk.Advance(time.Minute)
	got = tn.mailbox("B", 0)
	if len(got) != 2 {
		t.Fatalf("after 5 days the originator has %d notices, want 2", len(got))
	}
	fail := got[0] + got[1]
	if !strings.Contains(fail, "Action: failed") || !strings.Contains(fail, "Status: 5.4.7") || !strings.Contains(fail, "Final-Recipient: rfc822; "+to) {
		t.Fatalf("failure notice:\n%s", fail)
	}
	if qs := tn.Queues(); len(qs) != 0 {
		t.Fatalf("queues after the failure: %v", qs)
	}
	if len(tn.mailbox("F", 0)) != 0 {
		t.Fatal("the message arrived although every relay was down")
	}
}
