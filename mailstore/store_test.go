package mailstore_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"securemail/mailstore"
)

func TestStandardFoldersAlwaysExist(t *testing.T) {
	s, _ := open(t, t.TempDir(), nil)
	fs, err := s.Folders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range fs {
		names = append(names, f.Name)
	}
	if want := []string{"Inbox", "Outbox", "Sent", "Drafts", "Trash"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("folders = %v, want %v", names, want)
	}
}

func TestRawBytesKeptExactly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := open(t, dir, nil)
	crlf := mail(marie, alain, "CRLF", "Mon, 2 Jun 2025 10:00:00 +0200", "line one\nline two  \n\n.\n")
	eightBit := []byte("From: J\xe9r\xf4me <jerome@tcn.f.eu-admin.net>\nTo: x@tcn.b.eu-admin.net\nSubject: caf\xe9\n" +
		"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\nd\xe9j\xe0 vu\x00\xff\n")
	big := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/=-_.:;!\r\n"), 10<<20/74)
	big = append(mail(alain, marie, "ten megabytes", "Tue, 3 Jun 2025 09:00:00 +0000", "see below\n"), big...)
	for name, raw := range map[string][]byte{"crlf": crlf, "8bit": eightBit, "10MB": big} {
		id, err := s.Add(ctx, mailstore.Inbox, raw, mailstore.AddOptions{})
		if err != nil {
			t.Fatalf("%s: Add: %v", name, err)
		}
		m, err := s.Get(ctx, id)
		if err != nil {
			t.Fatalf("%s: Get: %v", name, err)
		}
		if !bytes.Equal(m.Raw, raw) {
			t.Errorf("%s: Get returned %d bytes differing from the %d stored", name, len(m.Raw), len(raw))
		}
		onDisk, err := os.ReadFile(filepath.Join(dir, "messages", id[len(id)-2:], id+".eml"))
		if err != nil || !bytes.Equal(onDisk, raw) {
			t.Errorf("%s: the .eml file does not hold the exact bytes (err %v)", name, err)
		}
		if m.Size != int64(len(raw)) {
			t.Errorf("%s: size %d, want %d", name, m.Size, len(raw))
		}
	}
	rows, _ := s.Search(ctx, "déjà", mailstore.SearchOptions{})
	if len(rows.Rows) != 1 || rows.Rows[0].Subject != "café" || rows.Rows[0].From != "Jérôme <jerome@tcn.f.eu-admin.net>" {
		t.Errorf("8-bit Latin-1 message: search/decoding gave %+v", rows.Rows)
	}
}

func TestHeaderDecoding(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, t.TempDir(), nil)
	cases := []struct {
		raw               string
		subject, from, to string
		noteWanted        bool
	}{
		{raw: "From: =?ISO-8859-1?Q?Andr=E9_Pirard?= <PIRARD@tcn.b.eu-admin.net>\r\nTo: =?UTF-8?B?TWFyaWUgQ3VyaWU=?= <m@tcn.f.eu-admin.net>\r\n" +
			"Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=\r\n\r\nbody\r\n",
			subject: "If you can read this you understand the example.", from: "André Pirard <PIRARD@tcn.b.eu-admin.net>",
			to: "Marie Curie <m@tcn.f.eu-admin.net>"},
		{raw: "From: =?iso-2022-jp?B?GyRCJUYlOSVIGyhC?= <jp@tcn.d.eu-admin.net>\r\nSubject: =?windows-1252?Q?=80_price?=\r\n\r\n",
			subject: "€ price", from: "テスト <jp@tcn.d.eu-admin.net>"},
		{raw: "From: broken <<not an address\r\nTo: a@b.eu-admin.net, \"unterminated <c@d.eu-admin.net>\r\nSubject: ok\r\n\r\n",
			subject: "ok", from: "broken <<not an address — not a readable sender address", noteWanted: true},
		{raw: "\x00\x01\x02 binary garbage without any header", noteWanted: true},
	}
	for i, c := range cases {
		id, err := s.Add(ctx, mailstore.Inbox, []byte(c.raw), mailstore.AddOptions{})
		if err != nil {
			t.Fatalf("case %d: a message that cannot be parsed must still be stored: %v", i, err)
		}
		m, err := s.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != c.subject || (c.from != "" && m.From != c.from) || (c.to != "" && m.To != c.to) {
			t.Errorf("case %d: subject %q from %q to %q; want %q %q %q", i, m.Subject, m.From, m.To, c.subject, c.from, c.to)
		}
		if c.noteWanted != (m.Note != "") {
			t.Errorf("case %d: note %q, wanted a note: %v", i, m.Note, c.noteWanted)
		}
		if string(m.Raw) != c.raw {
			t.Errorf("case %d: raw bytes changed", i)
		}
	}
	if n, _ := s.Count(ctx, mailstore.Inbox); n != len(cases) {
		t.Errorf("Inbox lists %d messages, want %d: a corrupt message must be listed", n, len(cases))
	}
}

func TestUserFolders(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, t.TempDir(), nil)
	if err := s.CreateFolder(ctx, "Projects"); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateFolder(ctx, "projects"); !errors.Is(err, mailstore.ErrFolderExists) {
		t.Errorf("a second folder differing only by case: %v, want ErrFolderExists", err)
	}
	if err := s.CreateFolder(ctx, "inbox"); !errors.Is(err, mailstore.ErrFolderExists) {
		t.Errorf("a folder named like Inbox: %v, want ErrFolderExists", err)
	}
	if err := s.RenameFolder(ctx, "Inbox", "Mail"); !errors.Is(err, mailstore.ErrStandardFolder) {
		t.Errorf("renaming Inbox: %v, want ErrStandardFolder", err)
	}
	if err := s.DeleteFolder(ctx, "Trash"); !errors.Is(err, mailstore.ErrStandardFolder) {
		t.Errorf("deleting Trash: %v, want ErrStandardFolder", err)
	}
	id, err := s.Add(ctx, "Projects", mail(marie, alain, "in a user folder", "Mon, 2 Jun 2025 10:00:00 +0200", "x"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RenameFolder(ctx, "Projects", "Projets 2025/été"); err != nil {
		t.Fatal(err)
	}
	if rows, err := s.List(ctx, "Projets 2025/été", mailstore.ByDateDesc, 0, 10); err != nil || len(rows) != 1 || rows[0].ID != id {
		t.Fatalf("after rename the message must follow its folder: %v %v", rows, err)
	}
	if err := s.DeleteFolder(ctx, "Projets 2025/été"); err != nil {
		t.Fatal(err)
	}
	if rows, _ := s.List(ctx, mailstore.Trash, mailstore.ByDateDesc, 0, 10); len(rows) != 1 || rows[0].ID != id {
		t.Errorf("deleting a folder must move its messages to Trash, Trash = %v", rows)
	}
	if _, err := s.List(ctx, "Projets 2025/été", mailstore.ByDateDesc, 0, 10); !errors.Is(err, mailstore.ErrNoFolder) {
		t.Errorf("deleted folder still listed: %v", err)
	}
}

func TestMoveDeleteExpunge(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := open(t, dir, nil)
	raw := mail(marie, alain, "to be moved", "Mon, 2 Jun 2025 10:00:00 +0200", "body")
	id, err := s.Add(ctx, mailstore.Inbox, raw, mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	eml := filepath.Join(dir, "messages", id[len(id)-2:], id+".eml")
	before, err := os.Stat(eml)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateFolder(ctx, "Archive"); err != nil {
		t.Fatal(err)
	}
	if err := s.Move(ctx, []string{id}, "Archive"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFlags(ctx, []string{id}, mailstore.Seen|mailstore.Flagged, 0); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(eml)
	if err != nil || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Fatalf("moving and flagging must not rewrite the message file (err %v)", err)
	}
	m, err := s.Get(ctx, id)
	if err != nil || m.Folder != "Archive" || !m.Seen || !m.Flagged || m.Answered {
		t.Fatalf("after move+flags: %+v %v", m.Row, err)
	}
	if err := s.Delete(ctx, []string{id}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(ctx, mailstore.Trash); n != 1 {
		t.Fatalf("Trash holds %d, want 1", n)
	}
	if err := s.EmptyTrash(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, id); !errors.Is(err, mailstore.ErrNotFound) {
		t.Errorf("expunged message still there: %v", err)
	}
	for _, ext := range []string{".eml", ".json"} {
		if _, err := os.Stat(filepath.Join(dir, "messages", id[len(id)-2:], id+ext)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("expunged message's %s file still exists", ext)
		}
	}
	if err := s.Move(ctx, []string{id}, mailstore.Inbox); !errors.Is(err, mailstore.ErrNotFound) {
		t.Errorf("moving an expunged message: %v, want ErrNotFound", err)
	}
}

func TestDuplicateUIDLRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, t.TempDir(), nil)
	src := &mailstore.Source{Account: "Marie.Curie@tcn.f.eu-admin.net", UIDL: "000001a7.4f5c"}
	raw := mail(alain, marie, "once", "Mon, 2 Jun 2025 10:00:00 +0200", "x")
	id, err := s.Add(ctx, mailstore.Inbox, raw, mailstore.AddOptions{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Add(ctx, mailstore.Inbox, raw, mailstore.AddOptions{Source: src})
	var dup *mailstore.DuplicateError
	if !errors.Is(err, mailstore.ErrDuplicate) || !errors.As(err, &dup) || dup.ID != id {
		t.Fatalf("second Add with the same UIDL: %v, want a DuplicateError naming %s", err, id)
	}
	other := &mailstore.Source{Account: "Alain.Dupont@tcn.b.eu-admin.net", UIDL: src.UIDL}
	if _, err := s.Add(ctx, mailstore.Inbox, raw, mailstore.AddOptions{Source: other}); err != nil {
		t.Errorf("the same UIDL on another account is another message: %v", err)
	}
	if n, _ := s.Count(ctx, mailstore.Inbox); n != 2 {
		t.Errorf("Inbox holds %d, want 2", n)
	}
	got, err := s.Sources(ctx, src.Account)
	if err != nil || len(got) != 1 || got[src.UIDL] != id {
		t.Errorf("Sources = %v %v", got, err)
	}
}

// populate fills a store with a bit of everything that must survive a rebuild.
func populate(t *testing.T, s *mailstore.Store) {
	t.Helper()
	ctx := context.Background()
	seal := newSealer(t)
	must := func(id string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a := must(s.Add(ctx, mailstore.Inbox, mail(alain, marie, "plain", "Mon, 2 Jun 2025 10:00:00 +0200", "hello"),
		mailstore.AddOptions{Source: &mailstore.Source{Account: "m", UIDL: "1"}}))
	b := must(s.Add(ctx, mailstore.Inbox, seal.seal(alain, marie, "sealed", "Mon, 2 Jun 2025 11:00:00 +0200", "secret"),
		mailstore.AddOptions{Source: &mailstore.Source{Account: "m", UIDL: "2"}}))
	must(s.Add(ctx, mailstore.Sent, mail(marie, alain, "sent", "Mon, 2 Jun 2025 12:00:00 +0200", "bye"),
		mailstore.AddOptions{Flags: mailstore.Seen}))
	must(s.Add(ctx, mailstore.Drafts, []byte("Subject: no date, no from\r\n\r\ndraft"), mailstore.AddOptions{}))
	if err := s.CreateFolder(ctx, "Kept"); err != nil {
		t.Fatal(err)
	}
	if err := s.Move(ctx, []string{a}, "Kept"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFlags(ctx, []string{a}, mailstore.Answered, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecurity(ctx, b, mailstore.Security{Signed: true, Signature: mailstore.SigValid, Encrypted: true,
		Signer: "alain.dupont@tcn.b.eu-admin.net"}); err != nil {
		t.Fatal(err)
	}
}

func TestRebuildGivesSameListing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := open(t, dir, nil)
	populate(t, s)
	want := listAll(t, s)
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if got := listAll(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("after Rebuild:\n%+v\nwant\n%+v", got, want)
	}
	if _, err := s.Add(ctx, mailstore.Inbox, []byte("x"), mailstore.AddOptions{Source: &mailstore.Source{Account: "m", UIDL: "1"}}); !errors.Is(err, mailstore.ErrDuplicate) {
		t.Errorf("after Rebuild a re-fetched UIDL must still be refused: %v", err)
	}
	s.Close()

	// The index file deleted, then damaged: both rebuilt on open, with a log line saying so.
	for _, damage := range []func(string) error{
		func(p string) error { return os.Remove(p) },
		func(p string) error { return os.WriteFile(p, bytes.Repeat([]byte("not a database "), 500), 0o600) },
	} {
		if err := damage(filepath.Join(dir, "index.db")); err != nil {
			t.Fatal(err)
		}
		s2, log := open(t, dir, nil)
		if !s2.OpenReport().Rebuilt || !strings.Contains(log.String(), "rebuilding the mail index") {
			t.Errorf("report %+v, log %q: the rebuild must be reported", s2.OpenReport(), log.String())
		}
		if got := listAll(t, s2); !reflect.DeepEqual(got, want) {
			t.Errorf("after rebuild on open:\n%+v\nwant\n%+v", got, want)
		}
		s2.Close()
	}
}

func TestCrashBetweenFilesAndIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := open(t, dir, nil)
	if err := s.CreateFolder(ctx, "Reports"); err != nil {
		t.Fatal(err)
	}
	crash := errors.New("killed")
	mailstore.SetAfterFiles(s, func() error { return crash })
	src := &mailstore.Source{Account: "Marie.Curie@tcn.f.eu-admin.net", UIDL: "u-17"}
	raw := mail(alain, marie, "written but not indexed", "Mon, 2 Jun 2025 10:00:00 +0200", "x")
	if _, err := s.Add(ctx, "Reports", raw, mailstore.AddOptions{Source: src}); !errors.Is(err, crash) {
		t.Fatalf("Add with a crash hook: %v", err)
	}
	mailstore.Abandon(s)

	s2, log := open(t, dir, nil)
	rep := s2.OpenReport()
	if !rep.Crashed || len(rep.Recovered) != 1 {
		t.Fatalf("report %+v: the crash and the recovered message must be reported", rep)
	}
	m, err := s2.Get(ctx, rep.Recovered[0])
	if err != nil || m.Folder != "Reports" || !bytes.Equal(m.Raw, raw) || m.Source == nil || *m.Source != *src {
		t.Fatalf("recovered message: %+v %v", m, err)
	}
	if !strings.Contains(log.String(), "missing from the index") {
		t.Errorf("log %q: the recovery must be logged", log.String())
	}
	if _, err := s2.Add(ctx, mailstore.Inbox, raw, mailstore.AddOptions{Source: src}); !errors.Is(err, mailstore.ErrDuplicate) {
		t.Errorf("the re-fetch after the crash must be refused as a duplicate: %v", err)
	}
}

func TestVanishedFileDropped(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := open(t, dir, nil)
	keep, _ := s.Add(ctx, mailstore.Inbox, mail(alain, marie, "stays", "Mon, 2 Jun 2025 10:00:00 +0200", "x"), mailstore.AddOptions{})
	gone, err := s.Add(ctx, mailstore.Inbox, mail(alain, marie, "vanishes", "Mon, 2 Jun 2025 10:00:00 +0200", "x"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Remove(filepath.Join(dir, "messages", gone[len(gone)-2:], gone+".eml")); err != nil {
		t.Fatal(err)
	}
	s2, log := open(t, dir, nil)
	if rep := s2.OpenReport(); !reflect.DeepEqual(rep.Dropped, []string{gone}) || rep.Crashed {
		t.Errorf("report %+v, want %s dropped", rep, gone)
	}
	if !strings.Contains(log.String(), "vanished") || !strings.Contains(log.String(), "vanishes") {
		t.Errorf("log %q must name the vanished message", log.String())
	}
	rows, _ := s2.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 0, 10)
	if len(rows) != 1 || rows[0].ID != keep {
		t.Errorf("Inbox = %v, want only %s", rows, keep)
	}
}

func TestDSNLinkedToItsMessage(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, t.TempDir(), nil)
	sent, err := s.Add(ctx, mailstore.Sent, []byte("From: "+marie+"\r\nTo: Nobody <No.Body@tcn.b.eu-admin.net>\r\n"+
		"Subject: report\r\nMessage-ID: <abc.123@tcn.f.eu-admin.net>\r\n\r\nhi\r\n"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dsn := "From: MAILER-DAEMON@relay1.eu-admin.net\r\nTo: " + marie + "\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n" +
		"--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n" +
		"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay1.eu-admin.net\r\n\r\n" +
		"Final-Recipient: rfc822; No.Body@tcn.b.eu-admin.net\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
		"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: " + marie + "\r\nSubject: report\r\n" +
		"Message-ID: <abc.123@tcn.f.eu-admin.net>\r\n--B--\r\n"
	id, err := s.Add(ctx, mailstore.Inbox, []byte(dsn), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := s.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 0, 10)
	if len(rows) != 1 || rows[0].ID != id || rows[0].DSN != sent {
		t.Errorf("the delivery report must name the sent message %s: %+v", sent, rows)
	}
}
