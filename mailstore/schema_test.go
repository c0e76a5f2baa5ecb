package mailstore

import (
	"context"
	"strings"
	"testing"
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
		`DROP INDEX messages_folder_encrypted`, `ALTER TABLE messages DROP COLUMN text`, `ALTER TABLE messages DROP COLUMN arrived`,
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
	s = reopenAfter(t, s, dir, `ALTER TABLE messages DROP COLUMN arrived`, `UPDATE meta SET value = '3' WHERE key = 'schema'`)
	m, err := s.Get(ctx, fetched)
	if err != nil || m.Arrived.IsZero() || !m.Arrived.Equal(m.Received) {
		t.Fatalf("fetched before the migration: arrived %v, received %v (%v)", m.Arrived, m.Received, err)
	}
	if l, err := s.Get(ctx, local); err != nil || !l.Arrived.IsZero() {
		t.Fatalf("composed here: arrived %v (%v)", l.Arrived, err)
	}
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
