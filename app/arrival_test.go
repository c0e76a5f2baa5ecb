package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/mailstore"
	"securemail/smime"
	"securemail/smime/identity"
	"securemail/testnet"
	"securemail/testnet/mailbox"
	"securemail/testnet/testca"
)

// On the bundled network: a signed message fetched while the signer's
// Digital ID is valid stays valid when read after that ID has expired; a
// copy of the same message fetched after the expiry is expired, with the
// dates, whatever signing time it claims.
func TestSignatureJudgedWhenItArrived(t *testing.T) {
	netDir := startNet(t)
	now := time.Now()
	clock := func() time.Time { return now }
	m := tester(t, netDir, marie, clock)
	hd := testnet.HandoutDir(netDir, alain)
	pw, err := os.ReadFile(filepath.Join(hd, testca.PasswordFile))
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := os.ReadFile(filepath.Join(hd, testca.MailPFXFile))
	if err != nil {
		t.Fatal(err)
	}
	id, err := identity.ParsePFX(pfx, strings.TrimSpace(string(pw)))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := smime.SignMessage([]byte("From: "+alain+"\r\nTo: "+marie+"\r\nSubject: before expiry\r\n"+
		"Date: "+now.Format(time.RFC1123Z)+"\r\n\r\nsigned while the Digital ID is valid\r\n"), id, smime.SignOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	boxes, err := mailbox.Open(filepath.Join(netDir, "nodes", "f-server", "mail"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { boxes.Close() }) // Windows does not delete an open file (seen.log)
	deliver := func() {
		t.Helper()
		if _, err := boxes.Deliver(strings.ToLower(marie), "", strings.NewReader(string(signed))); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	fetchOne := func() string {
		t.Helper()
		before, _ := m.Store.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 0, 100)
		if res, err := m.Fetch(ctx, nil); err != nil || res.New != 1 {
			t.Fatalf("fetch: %+v %v", res, err)
		}
		after, _ := m.Store.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 0, 100)
	next:
		for _, r := range after {
			for _, b := range before {
				if b.ID == r.ID {
					continue next
				}
			}
			return r.ID
		}
		t.Fatal("the fetched message is not in the Inbox")
		return ""
	}

	deliver()
	onTime := fetchOne()
	expiry := id.Certificate.NotAfter
	now = expiry.AddDate(0, 0, 30) // a month after Alain's Digital ID expired
	v, err := m.OpenMessage(ctx, onTime)
	if err != nil {
		t.Fatal(err)
	}
	day := func(t time.Time) string { return t.UTC().Format("2 January 2006") }
	if v.Report.Signature != smime.StatusValid || !strings.Contains(v.Report.Reason, "has expired since, on "+day(expiry)) {
		t.Fatalf("read after expiry: %s: %s", v.Report.Signature, v.Report.Reason)
	}
	if row, _ := m.Store.Get(ctx, onTime); row.Signature != mailstore.SigValid {
		t.Errorf("the list shows %q for the message that arrived in time", row.Signature)
	}

	deliver() // the same bytes, arriving only now
	late := fetchOne()
	v, err = m.OpenMessage(ctx, late)
	if err != nil {
		t.Fatal(err)
	}
	want := "expired on " + day(expiry) + ", before the message reached us on " + day(now)
	if v.Report.Signature != smime.StatusExpired || !strings.Contains(v.Report.Reason, want) {
		t.Fatalf("arrived after expiry: %s: %s", v.Report.Signature, v.Report.Reason)
	}
	if row, _ := m.Store.Get(ctx, late); row.Signature != mailstore.SigExpired {
		t.Errorf("the list shows %q for the message that arrived late", row.Signature)
	}
}
