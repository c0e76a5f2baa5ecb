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
	return s.listRecords(ctx, name, listQuery(order, offset, limit), fid, limit, offset)
}

// listQuery is the query of List; its arguments are the folder id, limit and offset.
func listQuery(order Sort, offset, limit int) string {
	from := "messages m"
	if (order == ByDateDesc || order == ByDateAsc) && offset > limit {
		// A page far down the folder: the rows skipped are walked faster in the narrow date index than in the
		// wide covering one (messages_listing is ~4 times its size), and only the page's rows are looked up.
		from = "messages m INDEXED BY messages_folder_date"
	}
	return `SELECT ` + listRecord + ` FROM ` + from + ` WHERE m.folder = ? ORDER BY ` + order.orderBy() +
		` LIMIT ? OFFSET ?`
}

// countQuery counts a folder's messages in its narrowest index (left to itself, SQLite picks the widest).
const countQuery = `SELECT count(*) FROM messages INDEXED BY messages_folder_date WHERE folder = ?`

// Count returns the number of messages in a folder.
func (s *Store) Count(ctx context.Context, folder string) (int, error) {
	fid, err := folderID(ctx, s.db, folder)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, countQuery, fid).Scan(&n); err != nil {
		return 0, fmt.Errorf("mailstore: count messages: %w", err)
	}
	return n, nil
}
