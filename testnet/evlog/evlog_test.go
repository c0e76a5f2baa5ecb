package evlog

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteReadFormat(t *testing.T) {
	p := filepath.Join(t.TempDir(), "events.jsonl")
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l, err := Open(p, func() time.Time { return at })
	if err != nil {
		t.Fatal(err)
	}
	l.Write(Event{Node: "relay", Event: Queued, QueueID: "q1", MessageID: "<1@b>", From: "a@b", To: []string{"c@f"}, Peer: "b-server", Result: "250"})
	l.Write(Event{Node: "relay", Event: Rejected, Result: "554 5.7.1 virus EICAR"})
	l.Close()
	// A torn last line, as after a crash, is ignored.
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"event":"queu`)
	f.Close()
	var got []Event
	fh, _ := os.Open(p)
	defer fh.Close()
	if err := Read(fh, func(e Event) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].Time.Equal(at) || got[0].To[0] != "c@f" || got[1].Event != Rejected {
		t.Fatalf("read back %+v", got)
	}
	if s := Format(got[0]); s != "2026-03-02 09:00:00 relay    queued    id=q1 msgid=<1@b> <a@b> -> c@f peer=b-server : 250" {
		t.Fatalf("Format = %q", s)
	}
}

func TestFollowSeesAppendedEvents(t *testing.T) {
	p := filepath.Join(t.TempDir(), "events.jsonl")
	l, _ := Open(p, nil)
	defer l.Close()
	l.Write(Event{Node: "a", Event: Received})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	seen := make(chan string, 10)
	go Follow(ctx, p, 5*time.Millisecond, func(e Event) error { seen <- e.Event; return nil })
	if e := <-seen; e != Received {
		t.Fatalf("first event %q", e)
	}
	l.Write(Event{Node: "a", Event: Delivered})
	select {
	case e := <-seen:
		if !strings.EqualFold(e, Delivered) {
			t.Fatalf("followed event %q", e)
		}
	case <-ctx.Done():
		t.Fatal("Follow did not report the appended event")
	}
}

// TestFormatKeepsItsColumnWidths: the node and the event of a line start
// where TimeWidth and NodeWidth say, as the window's column headers expect.
func TestFormatKeepsItsColumnWidths(t *testing.T) {
	e := Event{Time: time.Date(2027, 3, 2, 14, 5, 6, 0, time.UTC), Node: "relay", Event: "received", QueueID: "Q1"}
	line := Format(e)
	if got := line[TimeWidth+1:]; !strings.HasPrefix(got, "relay ") {
		t.Errorf("the node is not at column %d: %q", TimeWidth+1, line)
	}
	if got := line[TimeWidth+NodeWidth+2:]; !strings.HasPrefix(got, "received ") {
		t.Errorf("the event is not at column %d: %q", TimeWidth+NodeWidth+2, line)
	}
}
