package mailstore

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"securemail/internal/mailheader"
)

// queryPlan returns SQLite's plan for query, one detail per line.
func queryPlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// The speed of a whole-folder listing and of a search that decrypts rests on SQLite choosing the indexes of
// schema 3; a change to listRecord or to these queries that loses them must fail here, not in a benchmark.
func TestQueriesUseTheirIndexes(t *testing.T) {
	s, err := Open(context.Background(), t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, order := range []Sort{ByDateDesc, ByDateAsc} {
		plan := queryPlan(t, s, listQuery(order, 0, 50000), "inbox", 50000, 0)
		if !strings.Contains(plan, "COVERING INDEX messages_listing") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("a listing by date (%d) must be a scan of the covering index messages_listing; plan:\n%s", order, plan)
		}
		plan = queryPlan(t, s, listQuery(order, 25000, 100), "inbox", 100, 25000)
		if !strings.Contains(plan, "INDEX messages_folder_date") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("a page far down (%d) must skip rows in messages_folder_date; plan:\n%s", order, plan)
		}
	}
	for _, order := range []Sort{ByFrom, BySubject} {
		if plan := queryPlan(t, s, listQuery(order, 25000, 100), "inbox", 100, 25000); strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("a listing in order %d must not sort the folder; plan:\n%s", order, plan)
		}
	}
	if plan := queryPlan(t, s, countQuery, "inbox"); !strings.Contains(plan, "INDEX messages_folder_date") {
		t.Errorf("Count must use the narrow messages_folder_date; plan:\n%s", plan)
	}
	for _, inFolder := range []bool{false, true} {
		count, cands := encryptedQueries(inFolder)
		args := []any{}
		if inFolder {
			args = append(args, "inbox")
		}
		want := "messages_encrypted"
		if inFolder {
			want = "messages_folder_encrypted"
		}
		if plan := queryPlan(t, s, count, args...); !strings.Contains(plan, "INDEX "+want) {
			t.Errorf("counting encrypted messages (folder %v) must use %s; plan:\n%s", inFolder, want, plan)
		}
		plan := queryPlan(t, s, cands, append(args, 10)...)
		if !strings.Contains(plan, "INDEX "+want) || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("picking encrypted messages (folder %v) must use %s in order; plan:\n%s", inFolder, want, plan)
		}
	}
}

// An index written by the previous SecureMail (schema 2) is migrated in place on open: the messages stay
// listed and searchable, and what schema 3 adds is there.
func TestMigrationFromSchema2(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte("From: Marie Curie <Marie.Curie@tcn.f.eu-admin.net>\r\nSubject: Archaeopteryx\r\n" +
		"Date: Mon, 2 Jun 2025 10:00:00 +0200\r\n\r\nold index\r\n")
	id, err := s.Add(ctx, Inbox, raw, AddOptions{Flags: Flagged})
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// Turn the index back into schema 2.
	s = reopenAfter(t, s, dir, `DROP INDEX messages_listing`, `DROP INDEX messages_encrypted`,
		`DROP INDEX messages_folder_encrypted`, `ALTER TABLE messages DROP COLUMN text`, `ALTER TABLE messages DROP COLUMN arrived`, `ALTER TABLE messages DROP COLUMN from_marks`,
		`UPDATE meta SET value = '2' WHERE key = 'schema'`)
	if v, err := schemaOf(ctx, s.db); err != nil || v != schemaVersion {
		t.Errorf("schema %d after open (%v), want %d", v, err, schemaVersion)
	}
	if s.OpenReport().Rebuilt {
		t.Errorf("a migration is not a rebuild: %+v", s.OpenReport())
	}
	rows, err := s.List(ctx, Inbox, ByDateDesc, 0, 10)
	if err != nil || len(rows) != 1 || rows[0] != want.Row {
		t.Errorf("after the migration List gives %+v (%v), want %+v", rows, err, want.Row)
	}
	if r, err := s.Search(ctx, "archaeopteryx", SearchOptions{}); err != nil || len(r.Rows) != 1 {
		t.Errorf("after the migration search gives %+v (%v)", r.Rows, err)
	}
	if plan := queryPlan(t, s, `SELECT `+listRecord+` FROM messages m WHERE m.folder = ? ORDER BY `+
		ByDateDesc.orderBy(), "inbox"); !strings.Contains(plan, "COVERING INDEX messages_listing") {
		t.Errorf("the migrated index must cover the listing; plan:\n%s", plan)
	}
}

// An index of schema 3 gains the arrival time on open: a message fetched before it existed arrived when the
// store received it (that was the fetch, by our clock); a message composed here has none.
func TestMigrationFromSchema3(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte("From: Marie.Curie@tcn.f.eu-admin.net\r\nSubject: old\r\n\r\nold index\r\n")
	fetched, err := s.Add(ctx, Inbox, raw, AddOptions{Source: &Source{Account: "m", UIDL: "1"}})
	if err != nil {
		t.Fatal(err)
	}
	local, err := s.Add(ctx, Sent, raw, AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s = reopenAfter(t, s, dir, append(toSchema4(), `ALTER TABLE messages DROP COLUMN arrived`,
		`UPDATE meta SET value = '3' WHERE key = 'schema'`)...)
	m, err := s.Get(ctx, fetched)
	if err != nil || m.Arrived.IsZero() || !m.Arrived.Equal(m.Received) {
		t.Fatalf("fetched before the migration: arrived %v, received %v (%v)", m.Arrived, m.Received, err)
	}
	if l, err := s.Get(ctx, local); err != nil || !l.Arrived.IsZero() {
		t.Fatalf("composed here: arrived %v (%v)", l.Arrived, err)
	}
}

// toSchema4 are the queries that turn the index back into schema 4, where from_text held the sender's English
// text with its marks ("… — one of several From fields") and no from_marks column existed.
func toSchema4() []string {
	return []string{`DROP INDEX messages_listing`,
		`UPDATE messages SET from_text = CASE from_marks
			WHEN 1 THEN '(no From field)' WHEN 2 THEN '(empty From field)'
			ELSE from_text || CASE WHEN from_marks & 4 THEN ' — one of several From fields' ELSE '' END
				|| CASE WHEN from_marks & 8 THEN ' — not a readable sender address' ELSE '' END
				|| CASE WHEN from_marks & 16 THEN ' — the name shown contains another address' ELSE '' END END`,
		`ALTER TABLE messages DROP COLUMN from_marks`,
		`CREATE INDEX messages_listing ON messages(folder, date DESC, id DESC, ` + listRecordV3 + `)`,
		`UPDATE meta SET value = '4' WHERE key = 'schema'`}
}

// reopenAfter runs queries on the index (turning it into an older schema), closes the store and opens it again,
// which migrates it; the store is closed when the test ends.
func reopenAfter(t *testing.T, s *Store, dir string, queries ...string) *Store {
	t.Helper()
	ctx := context.Background()
	for _, q := range queries {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A store whose index SecureMail wrote before the sender's marks were kept apart (schema 4: the English marks
// inside from_text, a signed message's .json holding only "from") opens with every row listed as before — the
// same English text for the command line — and the marks as data for the window, after the migration and
// after a rebuild.
func TestMigrationFromSchema4KeepsSenderMarks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		text  string
		marks mailheader.SenderMark
		from  string
	}
	cases := map[string]want{
		"Subject: no from\r\n":                             {"", mailheader.MarkNoFrom, "(no From field)"},
		"From: <>\r\nSubject: empty\r\n":                   {"", mailheader.MarkEmptyFrom, "(empty From field)"},
		"From: a@x.eu\r\nFrom: b@x.eu\r\nSubject: two\r\n": {"a@x.eu", mailheader.MarkSeveralFields, "a@x.eu — one of several From fields"},
		"From: team: a@x.eu, b@x.eu;\r\nSubject: group\r\n": {"team: a@x.eu, b@x.eu;", mailheader.MarkUnreadable,
			"team: a@x.eu, b@x.eu; — not a readable sender address"},
		"From: \"jan@x.eu\" <eve@x.eu>\r\nSubject: name\r\n": {"jan@x.eu <eve@x.eu>", mailheader.MarkOtherAddress,
			"jan@x.eu <eve@x.eu> — the name shown contains another address"},
		"From: Eve — team <eve@x.eu>\r\nSubject: dash\r\n": {"Eve — team <eve@x.eu>", 0, "Eve — team <eve@x.eu>"},
		"From: Eve <eve@x.eu>\r\nSubject: plain\r\n":       {"Eve <eve@x.eu>", 0, "Eve <eve@x.eu>"},
	}
	ids := map[string]want{}
	for raw, w := range cases {
		id, err := s.Add(ctx, Inbox, []byte(raw+"\r\nbody\r\n"), AddOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ids[id] = w
	}
	// A signed message the signature showed as Eve's certified address, its From field's name holding Jan's.
	signed, err := s.Add(ctx, Inbox, []byte("From: \"jan@x.eu\" <jan@x.eu>\r\nSubject: signed\r\n\r\nbody\r\n"), AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	shown := mailheader.Sender{Text: "Eve Kask <eve@x.eu>", Marks: mailheader.MarkOtherAddress}
	if err := s.SetSecurity(ctx, signed, Security{Signed: true, Signature: SigAddressMismatch, Signer: "eve@x.eu", Sender: &shown}); err != nil {
		t.Fatal(err)
	}
	ids[signed] = want{shown.Text, shown.Marks, "Eve Kask <eve@x.eu> — the name shown contains another address"}
	// Its .json as SecureMail wrote it then: the English text only.
	sc, err := os.ReadFile(s.jsonPath(signed))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(sc, &doc); err != nil {
		t.Fatal(err)
	}
	sec := doc["security"].(map[string]any)
	if sec["from"] != ids[signed].from {
		t.Fatalf("the .json's from is %q, want the English %q an older SecureMail reads", sec["from"], ids[signed].from)
	}
	delete(sec, "sender")
	sc, _ = json.Marshal(doc)
	if err := os.WriteFile(s.jsonPath(signed), sc, 0o600); err != nil {
		t.Fatal(err)
	}

	check := func(s *Store, when string) {
		t.Helper()
		rows, err := s.List(ctx, Inbox, ByDateDesc, 0, 100)
		if err != nil || len(rows) != len(ids) {
			t.Fatalf("%s: %d rows (%v), want %d", when, len(rows), err, len(ids))
		}
		for _, r := range rows {
			w := ids[r.ID]
			if r.From != w.from || r.Sender.Text != w.text || r.Sender.Marks != w.marks {
				t.Errorf("%s: %q listed as %q, sender %+v; want %q, text %q, marks %b", when, r.Subject, r.From, r.Sender, w.from, w.text, w.marks)
			}
			m, err := s.Get(ctx, r.ID)
			if err != nil || m.Row != r {
				t.Errorf("%s: Get(%q) = %+v (%v), want %+v", when, r.Subject, m.Row, err, r)
			}
		}
	}
	s = reopenAfter(t, s, dir, toSchema4()...)
	if s.OpenReport().Rebuilt {
		t.Errorf("a migration is not a rebuild: %+v", s.OpenReport())
	}
	check(s, "after the migration")
	var left int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key = 'legacy_senders'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("legacy_senders still set after the migration (%d, %v)", left, err)
	}
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	check(s, "after a rebuild")
	if r, err := s.Search(ctx, "eve kask", SearchOptions{}); err != nil || len(r.Rows) != 1 || r.Rows[0].Sender != shown {
		t.Errorf("search for the signer: %+v (%v)", r.Rows, err)
	}
}
