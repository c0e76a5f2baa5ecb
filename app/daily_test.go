package app

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"slices"
	"strings"
	"testing"

	"securemail/app/compose"
	"securemail/internal/mailheader"
	"securemail/mailstore"
	"securemail/smime"
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

// TestAttachmentSizeCheckedWhenAttaching (issue 14 point 5): the size
// limit is the server's SIZE once it said it, else the configured maximum;
// a file that fits in clear but not once encrypted (base64 twice) is
// refused before it is attached, and the estimate of the encoded size is
// never below what Send really makes.
func TestAttachmentSizeCheckedWhenAttaching(t *testing.T) {
	netDir := startNet(t)
	a := tester(t, netDir, alain, nil)
	ctx := context.Background()
	if l, err := a.SizeLimit(); err != nil || l.Octets != DefaultMaxMessageSize || l.Server != "" {
		t.Fatalf("limit before any send: %+v, %v; want the configured maximum", l, err)
	}
	// Sending teaches the server's SIZE (the bundled servers say 32 MiB).
	small := compose.Attachment{Name: "card.bin", Data: bytes.Repeat([]byte{0x42}, 300_000)}
	d := &compose.Draft{To: []string{marie}, Subject: "sizes", Text: "see attached", Attachments: []compose.Attachment{small}}
	res, err := a.Send(ctx, d, SendOptions{Sign: true})
	if err != nil || res.Queued {
		t.Fatalf("Send: %+v, %v", res, err)
	}
	l, err := a.SizeLimit()
	if err != nil || l.Octets != 32<<20 || l.Server == "" {
		t.Fatalf("limit after a send: %+v, %v; want the server's 32 MiB", l, err)
	}
	// The estimate is not below the real encoded size, nor far above.
	sent, err := a.Store.Get(ctx, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	est := EncodedSize(int64(len(d.Text)), []int64{int64(len(small.Data))}, true, false, 1)
	if est < int64(len(sent.Raw)) || est > int64(len(sent.Raw))*11/10+16384 {
		t.Fatalf("estimated %d octets for a signed message of %d", est, len(sent.Raw))
	}
	me, err := a.Wallet.Current()
	if err != nil {
		t.Fatal(err)
	}
	enc, err := smime.EncryptMessage(sent.Raw, []*x509.Certificate{me.Certificate}, smime.EncryptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if est := EncodedSize(int64(len(d.Text)), []int64{int64(len(small.Data))}, true, true, 0); est < int64(len(enc)) || est > int64(len(enc))*11/10+16384 {
		t.Fatalf("estimated %d octets for a signed and encrypted message of %d", est, len(enc))
	}

	// A configured maximum of 10 MB: 6 MB fits signed, not signed and encrypted.
	set, _ := a.Settings()
	set.ServerMaxSize, set.MaxMessageSize = 0, 10_000_000
	a.SaveSettings(set)
	big := compose.Attachment{Name: "scan.pdf", Data: make([]byte, 6_000_000)}
	draft := &compose.Draft{To: []string{marie}, Text: "the scan"}
	if err := a.CheckAttachment(draft, big, SendOptions{Sign: true}); err != nil {
		t.Fatalf("6 MB signed against 10 MB: %v", err)
	}
	err = a.CheckAttachment(draft, big, SendOptions{Sign: true, Encrypt: true})
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Name != "scan.pdf" || tl.Limit.Octets != 10_000_000 || tl.Encoded <= 10_000_000 || !tl.Encrypted {
		t.Fatalf("6 MB encrypted against 10 MB: %v; want a TooLargeError", err)
	}
}

// TestTrashRestoreAndEmpty (issue 14 point 8): a deleted message comes
// back from Trash to the Inbox (one the user wrote, to Sent); Empty Trash
// removes what is left for good; read state can be undone.
func TestTrashRestoreAndEmpty(t *testing.T) {
	netDir := startNet(t)
	a := tester(t, netDir, alain, nil)
	ctx := context.Background()
	in, err := a.Store.Add(ctx, mailstore.Inbox, []byte("From: "+marie+"\r\nTo: "+alain+"\r\nSubject: hello\r\n\r\nhi\r\n"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := a.Store.Add(ctx, mailstore.Sent, []byte("From: "+strings.ToLower(alain)+"\r\nTo: "+marie+"\r\nSubject: mine\r\n\r\nhi\r\n"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := a.Store.Add(ctx, mailstore.Inbox, []byte("From: "+marie+"\r\nSubject: bin\r\n\r\nx\r\n"), mailstore.AddOptions{})
	if err := a.Store.Delete(ctx, []string{in, mine, other}); err != nil {
		t.Fatal(err)
	}
	to, err := a.Restore(ctx, []string{in, mine})
	if err != nil || len(to) != 2 || to[0] != mailstore.Inbox || to[1] != mailstore.Sent {
		t.Fatalf("Restore: %v, %v; want Inbox then Sent", to, err)
	}
	if _, err := a.Restore(ctx, []string{in}); err == nil {
		t.Fatal("restoring a message that is not in Trash was not refused")
	}
	if err := a.EmptyTrash(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.Store.Count(ctx, mailstore.Trash); n != 0 {
		t.Fatalf("%d messages in Trash after Empty Trash", n)
	}
	if _, err := a.Store.Get(ctx, other); err == nil {
		t.Fatal("a message emptied from Trash can still be read")
	}
	if err := a.SetSeen(ctx, in, true); err != nil {
		t.Fatal(err)
	}
	a.SetSeen(ctx, in, false)
	if m, _ := a.Store.Get(ctx, in); m.Seen {
		t.Fatal("marked unread, the message is still read")
	}
}
