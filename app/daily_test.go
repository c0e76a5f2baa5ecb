package app

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"securemail/app/compose"
	"securemail/internal/mailheader"
	"securemail/mailstore"
)

// TestSecondFetchAnnouncesNoKnownDigitalID: the first signed mail of a
// sender puts their Digital ID in the address book and the fetch says so;
// a second signed mail with the same Digital ID adds nothing, so the next
// fetch announces nothing (issue 14 point 10).
func TestSecondFetchAnnouncesNoKnownDigitalID(t *testing.T) {
	netDir := startNet(t)
	a := tester(t, netDir, alain, nil)
	m := tester(t, netDir, marie, nil)
	ctx := context.Background()
	send := func(subject string) {
		t.Helper()
		if _, err := a.Send(ctx, &compose.Draft{To: []string{marie}, Subject: subject, Text: "hello"}, SendOptions{Sign: true}); err != nil {
			t.Fatal(err)
		}
	}
	send("first")
	var first []string
	fetchUntil(t, m, "the first signed mail", func(r *FetchResult) bool { first = append(first, r.Harvested...); return r.New > 0 })
	if !slices.ContainsFunc(first, func(s string) bool { return mailheader.EqualAddress(s, alain) }) {
		t.Fatalf("the first fetch announced %v; want Alain's Digital ID added", first)
	}
	send("second")
	var again []string
	fetchUntil(t, m, "the second signed mail", func(r *FetchResult) bool { again = append(again, r.Harvested...); return r.New > 0 })
	if len(again) != 0 {
		t.Fatalf("the second fetch announced %v as added, though the address book already held it", again)
	}
}

// TestDraftsEncryptedReopenedAndRemovedBySend (issue 14 point 2): a draft
// of a message to be encrypted is stored encrypted to self (its text is not
// on disk in clear), a second save replaces the first, it opens again with
// everything as typed (a half-written recipient too), and sending it
// removes it from Drafts.
func TestDraftsEncryptedReopenedAndRemovedBySend(t *testing.T) {
	netDir := startNet(t)
	a := tester(t, netDir, alain, nil)
	ctx := context.Background()
	const secret = "Card 42 is blocked; the PIN is in the safe."
	d := &compose.Draft{To: []string{"Marie.Cu"}, Subject: "Dossier 42", Text: "first words",
		Attachments: []compose.Attachment{{Name: "card.txt", Data: []byte("card 42")}}}
	id, err := a.SaveDraft(ctx, "", d, compose.DraftOptions{Sign: true, Encrypt: true})
	if err != nil {
		t.Fatal(err)
	}
	d.To, d.Text = []string{marie}, secret
	id2, err := a.SaveDraft(ctx, id, d, compose.DraftOptions{Sign: true, Encrypt: true})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := a.Messages(ctx, mailstore.Drafts, 0, 0)
	if err != nil || len(rows) != 1 || rows[0].ID != id2 {
		t.Fatalf("Drafts after two saves: %+v, %v; want the second only", rows, err)
	}
	if !rows[0].Encrypted || !strings.Contains(rows[0].To, marie) {
		t.Fatalf("the draft is listed as %+v; want encrypted, to Marie", rows[0])
	}
	m, err := a.Store.Get(ctx, id2)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(m.Raw, []byte("PIN")) || bytes.Contains(m.Raw, []byte("card 42")) {
		t.Fatal("the draft of an encrypted message holds its text or attachment in clear")
	}
	got, opts, err := a.OpenDraft(ctx, id2)
	if err != nil {
		t.Fatal(err)
	}
	if !opts.Sign || !opts.Encrypt || got.Subject != "Dossier 42" || strings.TrimSpace(got.Text) != secret ||
		len(got.To) != 1 || got.To[0] != marie || len(got.Attachments) != 1 || string(got.Attachments[0].Data) != "card 42" {
		t.Fatalf("reopened draft %+v with %+v", got, opts)
	}

	// A half-typed recipient survives a save (sign only: stored in clear).
	half, err := a.SaveDraft(ctx, "", &compose.Draft{To: []string{"Marie.Cu"}, Text: "x"}, compose.DraftOptions{Sign: true})
	if err != nil {
		t.Fatal(err)
	}
	if hd, _, err := a.OpenDraft(ctx, half); err != nil || len(hd.To) != 1 || hd.To[0] != "Marie.Cu" {
		t.Fatalf("half-typed recipient reopened as %+v, %v", hd, err)
	}
	if err := a.DiscardDraft(ctx, half); err != nil {
		t.Fatal(err)
	}

	// Sending it removes the draft.
	if _, err := a.Send(ctx, got, SendOptions{Sign: true, Draft: id2}); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.Store.Count(ctx, mailstore.Drafts); n != 0 {
		t.Fatalf("%d drafts left after sending", n)
	}
	// Only a draft can be discarded.
	sent, _ := a.Messages(ctx, mailstore.Sent, 0, 0)
	if len(sent) != 1 || a.DiscardDraft(ctx, sent[0].ID) == nil {
		t.Fatal("DiscardDraft removed a message that is not a draft")
	}
}
