package mailstore

import (
	"context"
	"fmt"
)

// Sort is the order of a listing.
type Sort int

// Orders for List. Ties are broken by id, so a listing is stable (and identical after a rebuild).
const (
	ByDateDesc Sort = iota // newest first, the default
	ByDateAsc
	ByFrom
	BySubject
	BySizeDesc
)

func (o Sort) orderBy() string {
	switch o {
	case ByDateAsc:
		return "m.date ASC, m.id ASC"
	case ByFrom:
		return "m.from_text COLLATE NOCASE ASC, m.date DESC, m.id DESC"
	case BySubject:
		return "m.subject COLLATE NOCASE ASC, m.date DESC, m.id DESC"
	case BySizeDesc:
		return "m.size DESC, m.id DESC"
	}
	return "m.date DESC, m.id DESC"
}

// List returns one page of a folder for a virtualised list: limit rows from offset in the given order. A whole
// folder can be listed in one call (limit = [Store.Count]); by date that is a scan of one index.
func (s *Store) List(ctx context.Context, folder string, order Sort, offset, limit int) ([]Row, error) {
	fid, name, err := folderRef(ctx, s.db, folder)
	if err != nil {
		return nil, err
	}
	if offset < 0 || limit < 0 {
		return nil, fmt.Errorf("mailstore: negative offset or limit")
	}
	return s.listRecords(ctx, name, `SELECT `+listRecord+` FROM messages m WHERE m.folder = ? ORDER BY `+
		order.orderBy()+` LIMIT ? OFFSET ?`, fid, limit, offset)
}

// Count returns the number of messages in a folder.
func (s *Store) Count(ctx context.Context, folder string) (int, error) {
	fid, err := folderID(ctx, s.db, folder)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE folder = ?`, fid).Scan(&n); err != nil {
		return 0, fmt.Errorf("mailstore: count messages: %w", err)
	}
	return n, nil
}
