package mailstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Folder is one folder with its counts.
type Folder struct {
	Name     string `json:"name"`
	Standard bool   `json:"standard"` // Inbox, Outbox, Sent, Drafts or Trash
	Total    int    `json:"total"`
	Unseen   int    `json:"unseen"`
}

// readFoldersDoc reads folders.json; a missing file is an empty list.
func (s *Store) readFoldersDoc() (foldersDoc, error) {
	var doc foldersDoc
	b, err := s.fs.ReadFile(filepath.Join(s.dir, foldersFile))
	if errors.Is(err, fs.ErrNotExist) {
		return doc, nil
	}
	if err != nil {
		return doc, fmt.Errorf("mailstore: read the folder list: %w", err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		s.log.Warn("mailstore: the folder list is damaged; user folders will be recovered from the messages",
			"file", filepath.Join(s.dir, foldersFile), "error", err)
		return foldersDoc{}, nil
	}
	return doc, nil
}

func (s *Store) writeFoldersDoc(doc foldersDoc) error {
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return fmt.Errorf("mailstore: %w", err)
	}
	if err := writeAtomic(s.fs, filepath.Join(s.dir, foldersFile), append(b, '\n')); err != nil {
		return storageErr(s.dir, "write the folder list", err)
	}
	return storageErr(s.dir, "sync the mail folder", s.fs.SyncDir(s.dir))
}

// loadFolders makes the folders table match the standard folders and folders.json.
func (s *Store) loadFolders(ctx context.Context) error {
	doc, err := s.readFoldersDoc()
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return storageErr(s.dir, "load the folders", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM folders`); err != nil {
		return storageErr(s.dir, "load the folders", err)
	}
	pos := 0
	for _, f := range standardFolders {
		if _, err := tx.ExecContext(ctx, `INSERT INTO folders(id, name, standard, position) VALUES(?, ?, 1, ?)`,
			f.id, f.name, pos); err != nil {
			return storageErr(s.dir, "load the folders", err)
		}
		pos++
	}
	for _, f := range doc.Folders {
		if _, err := tx.ExecContext(ctx, `INSERT INTO folders(id, name, standard, position) VALUES(?, ?, 0, ?)
			ON CONFLICT DO NOTHING`, f.ID, f.Name, pos); err != nil {
			return storageErr(s.dir, "load the folders", err)
		}
		pos++
	}
	return storageErr(s.dir, "load the folders", tx.Commit())
}

// ensureFolderID makes sure a folder id found in a .json file exists, creating a user folder "Recovered …" for
// an id that folders.json no longer lists (so no message is ever hidden).
func (s *Store) ensureFolderID(ctx context.Context, q querier, id string) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM folders WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	doc, err := s.readFoldersDoc()
	if err != nil {
		return err
	}
	name := "Recovered " + strings.TrimPrefix(id, "u")
	doc.Folders = append(doc.Folders, userFolder{ID: id, Name: name})
	if err := s.writeFoldersDoc(doc); err != nil {
		return err
	}
	s.log.Warn("mailstore: a folder missing from the folder list was recreated", "folder", name)
	_, err = q.ExecContext(ctx, `INSERT INTO folders(id, name, standard, position)
		VALUES(?, ?, 0, (SELECT coalesce(max(position), 0) + 1 FROM folders))`, id, name)
	return err
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// folderID returns the id of the folder named name (ignoring case).
func folderID(ctx context.Context, q querier, name string) (string, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT id FROM folders WHERE name = ?`, name).Scan(&id)
	if err == sql.ErrNoRows {
		return "", fmt.Errorf("%w: %q", ErrNoFolder, name)
	}
	if err != nil {
		return "", fmt.Errorf("mailstore: look up folder %q: %w", name, err)
	}
	return id, nil
}

// folderRef returns the id and the name, as the store spells it, of the folder named name (ignoring case).
func folderRef(ctx context.Context, q querier, name string) (id, canonical string, err error) {
	err = q.QueryRowContext(ctx, `SELECT id, name FROM folders WHERE name = ?`, name).Scan(&id, &canonical)
	if err == sql.ErrNoRows {
		return "", "", fmt.Errorf("%w: %q", ErrNoFolder, name)
	}
	if err != nil {
		return "", "", fmt.Errorf("mailstore: look up folder %q: %w", name, err)
	}
	return id, canonical, nil
}

// Folders lists the standard folders, then the user folders in creation order, with their counts.
func (s *Store) Folders(ctx context.Context) ([]Folder, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT f.name, f.standard,
			(SELECT count(*) FROM messages m INDEXED BY messages_folder_date WHERE m.folder = f.id),
			(SELECT count(*) FROM messages m WHERE m.folder = f.id AND m.seen = 0)
		FROM folders f ORDER BY f.position`)
	if err != nil {
		return nil, fmt.Errorf("mailstore: list folders: %w", err)
	}
	defer rows.Close()
	var out []Folder
	for rows.Next() {
		var f Folder
		if err := rows.Scan(&f.Name, &f.Standard, &f.Total, &f.Unseen); err != nil {
			return nil, fmt.Errorf("mailstore: list folders: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// checkFolderName trims name and checks it can be a folder name.
func checkFolderName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 || !utf8.ValidString(name) {
		return "", ErrFolderName
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", ErrFolderName
		}
	}
	return name, nil
}

// CreateFolder creates a user folder. Names are unique ignoring case.
func (s *Store) CreateFolder(ctx context.Context, name string) error {
	name, err := checkFolderName(name)
	if err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, err := folderID(ctx, s.db, name); err == nil {
		return fmt.Errorf("%w: %q", ErrFolderExists, name)
	}
	doc, err := s.readFoldersDoc()
	if err != nil {
		return err
	}
	id := newFolderID()
	doc.Folders = append(doc.Folders, userFolder{ID: id, Name: name})
	if err := s.writeFoldersDoc(doc); err != nil {
		return err
	}
	return s.loadFolders(ctx)
}

// RenameFolder renames a user folder; its messages follow without being touched.
func (s *Store) RenameFolder(ctx context.Context, oldName, newName string) error {
	newName, err := checkFolderName(newName)
	if err != nil {
		return err
	}
	if isStandardName(oldName) || isStandardName(newName) {
		return ErrStandardFolder
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	id, err := folderID(ctx, s.db, oldName)
	if err != nil {
		return err
	}
	if other, err := folderID(ctx, s.db, newName); err == nil && other != id {
		return fmt.Errorf("%w: %q", ErrFolderExists, newName)
	}
	doc, err := s.readFoldersDoc()
	if err != nil {
		return err
	}
	found := false
	for i := range doc.Folders {
		if doc.Folders[i].ID == id {
			doc.Folders[i].Name, found = newName, true
		}
	}
	if !found { // recreated from a .json file: make it permanent
		doc.Folders = append(doc.Folders, userFolder{ID: id, Name: newName})
	}
	if err := s.writeFoldersDoc(doc); err != nil {
		return err
	}
	return s.loadFolders(ctx)
}

// DeleteFolder deletes a user folder; its messages are moved to Trash first, so nothing is lost.
func (s *Store) DeleteFolder(ctx context.Context, name string) error {
	if isStandardName(name) {
		return ErrStandardFolder
	}
	if err := s.lock(); err != nil {
		return err
	}
	id, err := folderID(ctx, s.db, name)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	ids, err := s.idsIn(ctx, id)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if err := s.Move(ctx, ids, Trash); err != nil {
		return err
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if left, err := s.idsIn(ctx, id); err != nil || len(left) > 0 {
		return fmt.Errorf("mailstore: folder %q received new messages while being deleted; try again", name)
	}
	doc, err := s.readFoldersDoc()
	if err != nil {
		return err
	}
	kept := doc.Folders[:0]
	for _, f := range doc.Folders {
		if f.ID != id {
			kept = append(kept, f)
		}
	}
	doc.Folders = kept
	if err := s.writeFoldersDoc(doc); err != nil {
		return err
	}
	return s.loadFolders(ctx)
}

func (s *Store) idsIn(ctx context.Context, folderID string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM messages WHERE folder = ?`, folderID)
	if err != nil {
		return nil, fmt.Errorf("mailstore: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("mailstore: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
