package mailstore

import (
	"context"
	"errors"
	"fmt"

	"securemail/internal/mailheader"
)

// listRecord is the SQL expression that packs one listing line — every field of a Row but the folder — into a
// single text value: eleven decimal numbers separated by commas (the byte lengths of id, from_text, to_text,
// subject, signature and dsn_about; date; size; the flag bits; attachments; the sender's marks), a colon, then
// the six texts one after the other. Lengths rather than separators keep any byte of a header (commas, colons, NUL) harmless.
//
// Why: with modernc.org/sqlite every column of every row costs several calls into the driver (each taking the
// connection's mutex) and an allocation, and a 15-column listing of a 50,000-message folder spent most of its
// time there and in the table lookups behind the date index. The index messages_listing (schema 3) stores this
// expression after (folder, date, id), so a listing by date is a scan of that one index: no table lookup, one
// value per row, one allocation per row (the Row's strings are slices of it).
//
// Byte lengths are length(CAST(x AS BLOB)) rather than octet_length(x), which needs SQLite 3.43: the sqlite3
// tools of older systems can then still write to the index when someone repairs it by hand.
//
// The expression is written with unqualified column names and must stay textually the same in the index and
// in the query (SQLite matches indexed expressions by structure). Changing it needs a migration that recreates
// messages_listing (as schema 5 did, adding from_marks); until then a query with the new expression is still
// correct, only not covered.
const listRecord = `length(CAST(id AS BLOB)) || ',' || length(CAST(from_text AS BLOB)) || ',' ||
	length(CAST(to_text AS BLOB)) || ',' || length(CAST(subject AS BLOB)) || ',' ||
	length(CAST(signature AS BLOB)) || ',' || length(CAST(dsn_about AS BLOB)) || ',' ||
	date || ',' || size || ',' || (signed + 2 * encrypted + 4 * seen + 8 * answered + 16 * flagged) || ',' ||
	attachments || ',' || from_marks || ':' || id || from_text || to_text || subject || signature || dsn_about`

// listRecordV3 is listRecord as schemas 3 and 4 indexed it, before from_marks: migration 3 creates its index
// with it, migration 5 replaces that index.
const listRecordV3 = `length(CAST(id AS BLOB)) || ',' || length(CAST(from_text AS BLOB)) || ',' ||
	length(CAST(to_text AS BLOB)) || ',' || length(CAST(subject AS BLOB)) || ',' ||
	length(CAST(signature AS BLOB)) || ',' || length(CAST(dsn_about AS BLOB)) || ',' ||
	date || ',' || size || ',' || (signed + 2 * encrypted + 4 * seen + 8 * answered + 16 * flagged) || ',' ||
	attachments || ':' || id || from_text || to_text || subject || signature || dsn_about`

// Flag bits of a listing record. (Arithmetic in the SQL, not | and <<: SQLite gives those one precedence.)
const (
	recSigned = 1 << iota
	recEncrypted
	recSeen
	recAnswered
	recFlagged
)

const recNumbers = 11 // decimal numbers before the colon

var errBadRecord = errors.New("malformed listing record")

// parseRecord decodes a listing record (see listRecord) into r. The Row's strings share rec's memory.
func parseRecord(rec string, r *Row) error {
	var n [recNumbers]int64
	i := 0
	for k := range n {
		neg := false
		if i < len(rec) && rec[i] == '-' && k == 6 { // only the date may be negative (before 1970)
			neg = true
			i++
		}
		start := i
		var v int64
		for i < len(rec) && rec[i] >= '0' && rec[i] <= '9' && i-start < 19 {
			v = v*10 + int64(rec[i]-'0')
			i++
		}
		sep := byte(',')
		if k == recNumbers-1 {
			sep = ':'
		}
		if i == start || i >= len(rec) || rec[i] != sep {
			return errBadRecord
		}
		i++
		if neg {
			v = -v
		}
		n[k] = v
	}
	var texts [6]string
	for k := range texts {
		l := n[k]
		if l < 0 || l > int64(len(rec)-i) {
			return errBadRecord
		}
		texts[k] = rec[i : i+int(l)]
		i += int(l)
	}
	if i != len(rec) {
		return errBadRecord
	}
	bits := n[8]
	if n[10] < 0 || n[10] > 255 {
		return errBadRecord
	}
	r.ID, r.Sender.Text, r.To, r.Subject, r.Signature, r.DSN = texts[0], texts[1], texts[2], texts[3], texts[4], texts[5]
	r.Sender.Marks = mailheader.SenderMark(n[10])
	r.From = r.Sender.String()
	r.Date, r.Size, r.Attachments = msToTime(n[6]), n[7], int(n[9])
	r.Signed, r.Encrypted = bits&recSigned != 0, bits&recEncrypted != 0
	r.Seen, r.Answered, r.Flagged = bits&recSeen != 0, bits&recAnswered != 0, bits&recFlagged != 0
	return nil
}

// listChunk is how many rows listRecords collects before starting another slice; the chunks are copied once
// into the result, so a long listing is not copied again and again as an appended slice grows.
const listChunk = 1024

// listRecords runs query, whose only column is listRecord, and returns its rows, all in folder.
func (s *Store) listRecords(ctx context.Context, folder, query string, args ...any) ([]Row, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("mailstore: list messages: %w", err)
	}
	defer rows.Close()
	var chunks [][]Row
	cur := make([]Row, 0, 128)
	total := 0
	var rec string
	for rows.Next() {
		if err := rows.Scan(&rec); err != nil {
			return nil, fmt.Errorf("mailstore: list messages: %w", err)
		}
		if len(cur) == cap(cur) {
			if cap(cur) < listChunk { // grow while small
				grown := make([]Row, len(cur), 2*cap(cur))
				copy(grown, cur)
				cur = grown
			} else {
				chunks = append(chunks, cur)
				cur = make([]Row, 0, listChunk)
			}
		}
		cur = cur[:len(cur)+1]
		r := &cur[len(cur)-1]
		if err := parseRecord(rec, r); err != nil {
			return nil, fmt.Errorf("mailstore: list messages: %w", err)
		}
		r.Folder = folder
		total++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mailstore: list messages: %w", err)
	}
	if len(chunks) == 0 {
		if total == 0 {
			return nil, nil
		}
		return cur, nil
	}
	out := make([]Row, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, cur...), nil
}
