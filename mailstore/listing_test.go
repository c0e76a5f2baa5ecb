package mailstore_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/mailstore"
)

// A listing reads one packed record per message (see listRecord): whatever the headers hold — separators,
// digits, NUL, bytes that are not UTF-8, a date before 1970, very long fields — every row must come out exactly
// as Get describes the same message, in every order.
func TestListingShowsWhatGetShows(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, t.TempDir(), nil)
	longTo := strings.Repeat("Jan Jansen <Jan.Jansen@tcn.nl.eu-admin.net>, ", 400)
	raws := []string{
		string(mail(marie, alain, "12,34:56 ,:, 7", "Mon, 2 Jun 2025 10:00:00 +0200", "plain\n")),
		"From: =?utf-8?q?Null=00Byte?= <n@tcn.f.eu-admin.net>\r\nTo: " + longTo + "\r\nSubject: =?utf-8?b?AAEC?= x\r\n" +
			"Date: Thu, 1 Jan 1965 00:00:00 +0000\r\n\r\nold\r\n",
		"From: J\xe9r\xf4me <jerome@tcn.f.eu-admin.net>\nSubject: caf\xe9 \xff\xfe\nDate: Tue, 3 Jun 2025 09:00:00 +0000\n\nx\n",
		"Subject: \r\n\r\n", // empty fields and no date: the received time is used
		"\x00\x01 garbage",
		"From: " + alain + "\r\nTo: " + marie + "\r\nSubject: with attachment\r\nDate: Wed, 4 Jun 2025 09:00:00 +0000\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n" +
			"--b\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\n%PDF\r\n--b--\r\n",
	}
	seal := newSealer(t)
	raws = append(raws, string(seal.seal(alain, marie, "sealed", "Thu, 5 Jun 2025 09:00:00 +0000", "secret")))
	var ids []string
	for _, raw := range raws {
		id, err := s.Add(ctx, mailstore.Inbox, []byte(raw), mailstore.AddOptions{Flags: mailstore.Answered})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// Flags, a recorded signature and a delivery-report link: every field of a Row is set on some row.
	if err := s.SetFlags(ctx, ids[:2], mailstore.Seen|mailstore.Flagged, mailstore.Answered); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecurity(ctx, ids[0], mailstore.Security{Signed: true, Signature: mailstore.SigAddressMismatch}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDSN(ctx, ids[3], ids[0]); err != nil {
		t.Fatal(err)
	}
	for _, order := range []mailstore.Sort{mailstore.ByDateDesc, mailstore.ByDateAsc, mailstore.ByFrom,
		mailstore.BySubject, mailstore.BySizeDesc} {
		rows, err := s.List(ctx, "inbox", order, 0, 100) // the folder as the user typed it
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(raws) {
			t.Fatalf("order %d: %d rows, want %d", order, len(rows), len(raws))
		}
		for _, r := range rows {
			m, err := s.Get(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r != m.Row {
				t.Errorf("order %d: List gave\n%+v\nGet gives\n%+v", order, r, m.Row)
			}
		}
	}
	rows, _ := s.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 0, 100)
	if last := rows[len(rows)-1]; last.ID != ids[1] || last.Date.Year() != 1965 || !strings.Contains(last.To, "Jan.Jansen") {
		t.Errorf("the 1965 message must come last, with its long To: %+v", last)
	}
	for i, r := range rows {
		if r.ID == ids[3] && (i > 1 || time.Since(r.Date) > time.Hour || r.DSN != ids[0]) {
			t.Errorf("a message without a date is dated by its arrival (among the newest) and links its report: %+v", r)
		}
	}
	// Pages are slices of the whole listing.
	page, err := s.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 2, 3)
	if err != nil || len(page) != 3 || page[0] != rows[2] || page[2] != rows[4] {
		t.Errorf("page 2..4: %+v, %v", page, err)
	}
	if empty, err := s.List(ctx, mailstore.Sent, mailstore.ByDateDesc, 0, 10); err != nil || len(empty) != 0 {
		t.Errorf("an empty folder: %+v, %v", empty, err)
	}
}

// A listing longer than the chunks it is collected in comes out whole and in order.
func TestListingManyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 1,500 messages")
	}
	ctx := context.Background()
	s, _ := open(t, t.TempDir(), &mailstore.Options{FS: noSyncFS{}})
	const n = 1500 // more than one chunk of listRecords
	for i := 0; i < n; i++ {
		raw := "From: " + marie + "\r\nSubject: n" + itoa(i) + "\r\nDate: " +
			"Mon, 2 Jun 2025 10:00:00 +0000\r\n\r\n."
		if _, err := s.Add(ctx, mailstore.Inbox, []byte(raw), mailstore.AddOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 0, n+10)
	if err != nil || len(rows) != n {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	seen := map[string]bool{}
	for i, r := range rows {
		if i > 0 && rows[i-1].ID < r.ID { // same date: ties broken by id, descending
			t.Fatalf("rows %d and %d out of order: %s then %s", i-1, i, rows[i-1].ID, r.ID)
		}
		seen[r.Subject] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct subjects, want %d", len(seen), n)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// A brand-new store is not a repair: opening it logs no warning and reports no rebuild. Its index deleted
// later, with messages in it, is.
func TestNewStoreIsNotARepair(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	s, log := open(t, dir, nil)
	if s.OpenReport().Rebuilt || log.String() != "" {
		t.Errorf("a new store: report %+v, log %q; want nothing", s.OpenReport(), log.String())
	}
	s.Close()
	s, log = open(t, dir, nil) // reopened: still nothing to say
	if log.String() != "" {
		t.Errorf("reopening an empty store logged %q", log.String())
	}
	if _, err := s.Add(context.Background(), mailstore.Inbox, mail(marie, alain, "one", "Mon, 2 Jun 2025 10:00:00 +0200", "x\n"),
		mailstore.AddOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Remove(filepath.Join(dir, "index.db")); err != nil {
		t.Fatal(err)
	}
	s, log = open(t, dir, nil)
	if !s.OpenReport().Rebuilt || !strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), "index file is missing") {
		t.Errorf("a store with messages and no index: report %+v, log %q; want a rebuild, reported", s.OpenReport(), log.String())
	}
	if n, _ := s.Count(context.Background(), mailstore.Inbox); n != 1 {
		t.Errorf("after the rebuild Inbox holds %d messages, want 1", n)
	}
}

// signedOpaque is a message as an S/MIME client sends an opaque signature: the text is inside the CMS, so the
// store cannot read it (here the "CMS" is base64 of the text reversed, which the store cannot tell apart).
func signedOpaque(subject, text string) []byte {
	r := []rune(text)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return []byte("From: " + alain + "\r\nTo: " + marie + "\r\nSubject: " + subject + "\r\nDate: Mon, 2 Jun 2025 10:00:00 +0200\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n" + string(r) + "\r\n")
}

func TestSetTextMakesSignedOpaqueSearchable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := open(t, dir, nil)
	id, err := s.Add(ctx, mailstore.Inbox, signedOpaque("Card order", "Please issue the Brontosaurus cards."), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Search(ctx, "brontosaurus", mailstore.SearchOptions{}); len(r.Rows) != 0 {
		t.Fatalf("the store must not read inside a signed-opaque message by itself: %+v", r.Rows)
	}
	if err := s.SetText(ctx, id, "Please issue the Brontosaurus cards."); err != nil {
		t.Fatal(err)
	}
	found := func(s *mailstore.Store, word string) bool {
		r, err := s.Search(ctx, word, mailstore.SearchOptions{})
		return err == nil && len(r.Rows) == 1 && r.Rows[0].ID == id
	}
	if !found(s, "brontosaurus") || !found(s, "card order") {
		t.Errorf("after SetText the text and the headers must be searchable")
	}
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if !found(s, "bronto") {
		t.Errorf("the supplied text must survive a rebuild")
	}
	// A flag change rewrites the .json file: the text stays, and survives losing the index entirely.
	if err := s.SetFlags(ctx, []string{id}, mailstore.Seen, 0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Remove(filepath.Join(dir, "index.db")); err != nil {
		t.Fatal(err)
	}
	s, _ = open(t, dir, nil)
	if !found(s, "brontosaurus") {
		t.Errorf("the supplied text must survive a flag change and the loss of the index")
	}
	// Replaced, then removed.
	if err := s.SetText(ctx, id, "Stegosaurus instead"); err != nil {
		t.Fatal(err)
	}
	if found(s, "brontosaurus") || !found(s, "stegosaurus") {
		t.Errorf("SetText must replace the text supplied before")
	}
	if err := s.SetText(ctx, id, ""); err != nil || found(s, "stegosaurus") {
		t.Errorf("an empty text must remove it (err %v)", err)
	}
	if err := s.SetText(ctx, "0123456789abcdef0123456789ab", "x"); !errors.Is(err, mailstore.ErrNotFound) {
		t.Errorf("SetText on an unknown message: %v, want ErrNotFound", err)
	}
}

// The text of an encrypted message is never written: SetText refuses it, and a message found to be encrypted
// after its text was supplied loses it, from the index and from its .json file.
func TestSetTextRefusedForEncrypted(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := open(t, dir, nil)
	seal := newSealer(t)
	enc, err := s.Add(ctx, mailstore.Inbox, seal.seal(alain, marie, "Sealed", "Mon, 2 Jun 2025 10:00:00 +0200", "Diplodocus"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetText(ctx, enc, "Diplodocus"); !errors.Is(err, mailstore.ErrConfidential) {
		t.Errorf("SetText on an encrypted message: %v, want ErrConfidential", err)
	}
	late, err := s.Add(ctx, mailstore.Inbox, signedOpaque("Late", "Triceratops"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetText(ctx, late, "Triceratops"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecurity(ctx, late, mailstore.Security{Signed: true, Signature: mailstore.SigValid, Encrypted: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetText(ctx, late, "Triceratops"); !errors.Is(err, mailstore.ErrConfidential) {
		t.Errorf("SetText on a message recorded as encrypted: %v, want ErrConfidential", err)
	}
	if r, _ := s.Search(ctx, "triceratops", mailstore.SearchOptions{}); len(r.Rows) != 0 {
		t.Errorf("the text of a message found to be encrypted is still searchable: %+v", r.Rows)
	}
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".eml") {
			return err // the .eml files hold what the senders sent
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, w := range []string{"Diplodocus", "diplodocus", "Triceratops", "triceratops"} {
			if strings.Contains(string(b), w) {
				t.Errorf("%s contains %q", p, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestHTMLPartSearchable: the words of an HTML-only message are found, a
// table's cells as separate words; a script's are not.
func TestHTMLPartSearchable(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, t.TempDir(), nil)
	raw := "From: " + alain + "\r\nTo: " + marie + "\r\nSubject: Weekly\r\nDate: Mon, 2 Jun 2025 10:00:00 +0200\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		"<html><head><script>Velociraptor()</script></head><body><p>Card&nbsp;batch</p>" +
		"<table><tr><td>Stegosaurus</td><td>Triceratops</td></tr></table></body></html>\r\n"
	id, err := s.Add(ctx, mailstore.Inbox, []byte(raw), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]bool{"stegosaurus": true, "triceratops": true, "batch": true, "velociraptor": false} {
		r, err := s.Search(ctx, word, mailstore.SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(r.Rows) == 1 && r.Rows[0].ID == id; got != want {
			t.Errorf("search %q: found %v, want %v", word, got, want)
		}
	}
}
