package app

import (
	"bytes"
	"context"
	"testing"

	"securemail/app/compose"
	"securemail/mailstore"
)

// TestHeaderProtectionBothWays: Alain sends Marie a signed and encrypted
// message. On the wire its Subject is "[...]" and the real one travels
// inside (RFC 9788); once fetched, Marie's list and reader show the
// protected Subject, with no difference reported. A signed-only message's protected Subject is what her list shows;
// an encrypted-only one carries its header inside the encryption, and her list, search and reader show its Subject.
func TestHeaderProtectionBothWays(t *testing.T) {
	netDir := startNet(t)
	a := tester(t, netDir, alain, nil)
	m := tester(t, netDir, marie, nil)
	ctx := context.Background()
	// Marie's signed mail gives Alain her Digital ID.
	if _, err := m.Send(ctx, &compose.Draft{To: []string{alain}, Subject: "my Digital ID", Text: "hello"}, SendOptions{Sign: true}); err != nil {
		t.Fatal(err)
	}
	fetchUntil(t, a, "Marie's signed message", func(r *FetchResult) bool { return r.New > 0 })
	if _, err := a.Send(ctx, &compose.Draft{To: []string{marie}, Subject: "Card file 7", Text: "the card file"}, SendOptions{Sign: true, Encrypt: true}); err != nil {
		t.Fatal(err)
	}
	sent, err := a.Store.List(ctx, mailstore.Sent, mailstore.ByDateDesc, 0, 10)
	if err != nil || len(sent) != 1 || sent[0].Subject != "Card file 7" {
		t.Fatalf("Sent: %v %v", sent, err)
	}
	raw, err := a.Store.Get(ctx, sent[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw.Raw, []byte("Subject: [...]\r\n")) || bytes.Contains(raw.Raw, []byte("Card file 7")) {
		t.Fatalf("the message as sent shows its Subject outside:\n%.600s", raw.Raw)
	}
	fetchUntil(t, m, "Alain's encrypted message", func(r *FetchResult) bool { return r.New > 0 })
	rows, err := m.Store.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 0, 10)
	if err != nil || len(rows) != 1 || rows[0].Subject != "Card file 7" {
		t.Fatalf("Marie's Inbox: %+v %v; want one message listed with its protected Subject", rows, err)
	}
	v, err := m.OpenMessage(ctx, rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	r := v.Report
	if v.Message.Subject != "Card file 7" || r.ProtectedSubject != "Card file 7" || r.HeaderProtection != "cipher" ||
		r.FromSource != "signed" || r.Signature != "valid" || len(r.HeaderDifferences) != 0 {
		t.Fatalf("opened: subject %q, report %+v", v.Message.Subject, r)
	}

	// Signed only: hp="clear", the outer Subject stays, and the list shows the protected one.
	if _, err := a.Send(ctx, &compose.Draft{To: []string{marie}, Subject: "Minutes 3", Text: "the minutes"}, SendOptions{Sign: true}); err != nil {
		t.Fatal(err)
	}
	fetchUntil(t, m, "Alain's signed message", func(r *FetchResult) bool { return r.New > 0 })
	rows, _ = m.Store.List(ctx, mailstore.Inbox, mailstore.BySubject, 0, 10)
	if len(rows) != 2 || rows[1].Subject != "Minutes 3" || rows[0].Subject != "Card file 7" {
		t.Fatalf("Marie's Inbox: %+v", rows)
	}
	v, err = m.OpenMessage(ctx, rows[1].ID)
	if err != nil || v.Report.HeaderProtection != "clear" || v.Report.ProtectedSubject != "Minutes 3" {
		t.Fatalf("opened: %+v %v", v.Report, err)
	}

	// Encrypted only: the header goes inside the encryption (hp="cipher"),
	// "[...]" outside; Sent, Marie's list, search and reader show the real
	// Subject, and nothing calls it signed.
	if _, err := a.Send(ctx, &compose.Draft{To: []string{marie}, Subject: "Dossier 43", Text: "the dossier"}, SendOptions{Encrypt: true}); err != nil {
		t.Fatal(err)
	}
	sent, _ = a.Store.List(ctx, mailstore.Sent, mailstore.ByDateDesc, 0, 10)
	if raw, err = a.Store.Get(ctx, sent[0].ID); err != nil || sent[0].Subject != "Dossier 43" ||
		!bytes.Contains(raw.Raw, []byte("Subject: [...]\r\n")) || bytes.Contains(raw.Raw, []byte("Dossier 43")) {
		t.Fatalf("Sent: %+v %v\n%.600s", sent[0], err, raw.Raw)
	}
	fetchUntil(t, m, "Alain's encrypted-only message", func(r *FetchResult) bool { return r.New > 0 })
	found, err := m.Store.Search(ctx, "dossier", mailstore.SearchOptions{})
	if err != nil || len(found.Rows) != 1 || found.Rows[0].Subject != "Dossier 43" || found.Rows[0].Signed {
		t.Fatalf("search for its protected Subject: %+v %v", found, err)
	}
	v, err = m.OpenMessage(ctx, found.Rows[0].ID)
	if err != nil || v.Message.Subject != "Dossier 43" || v.Report.HeaderProtection != "cipher" || v.Report.Signed ||
		len(v.Report.HeaderDifferences) != 0 {
		t.Fatalf("opened: subject %q, %+v %v", v.Message.Subject, v.Report, err)
	}
}
