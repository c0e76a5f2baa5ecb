package mailstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"securemail/internal/mailheader"
)

// insertRow indexes one message: its row and, unless it is encrypted, its full text.
func (s *Store) insertRow(ctx context.Context, q querier, id string, e *entry, sc sidecar) error {
	date := e.Date
	if date.IsZero() {
		date = sc.Received
	}
	signed, signature, encrypted, signer, known := e.Signed, SigNone, e.Encrypted, "", false
	if e.Signed {
		signature = SigUnverified
	}
	if sec := sc.Security; sec != nil {
		signed, signature, signer, known = sec.Signed, sec.Signature, sec.Signer, true
		encrypted = encrypted || sec.Encrypted
		switch {
		case sec.Sender != nil:
			e.From = *sec.Sender
		case sec.From != "":
			e.From = legacySender(e.FromField, sec.Signer, sec.From)
		}
		if sec.Subject != "" {
			e.Subject = sec.Subject // the protected Subject the reader shows (RFC 9788), kept through rebuilds
		}
	}
	notes := e.Notes
	if sc.Note != "" {
		notes = append([]string{sc.Note}, notes...)
	}
	dsnAbout := sc.DSN
	if dsnAbout == "" && e.DSNOriginalMsgID != "" {
		err := q.QueryRowContext(ctx, `SELECT id FROM messages WHERE message_id = ? AND id <> ?
			ORDER BY folder IN ('sent', 'outbox') DESC LIMIT 1`, e.DSNOriginalMsgID, id).Scan(&dsnAbout)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
	}
	var account, uidl any
	arrived := int64(0)
	if !sc.Arrived.IsZero() {
		arrived = sc.Arrived.UnixMilli()
	}
	if sc.Source != nil {
		account, uidl = sc.Source.Account, sc.Source.UIDL
		if arrived == 0 {
			arrived = sc.Received.UnixMilli() // a sidecar older than Arrived: see sidecar
		}
	}
	res, err := q.ExecContext(ctx, `INSERT INTO messages(id, folder, from_text, from_addr, to_text, cc_text, subject,
		date, received, size, message_id, in_reply_to, refs, seen, answered, flagged, signed, signature, encrypted,
		signer, sec_known, dsn_about, dsn_explicit, dsn_msgid, attachments, note, src_account, src_uidl, gen, arrived,
		from_marks)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		id, sc.Folder, e.From.Text, e.FromAddr, e.To, e.Cc, e.Subject, date.UnixMilli(), sc.Received.UnixMilli(), e.Size,
		e.MessageID, e.InReplyTo, e.References, sc.Seen, sc.Answered, sc.Flagged, signed, signature, encrypted,
		signer, known, dsnAbout, sc.DSN != "", e.DSNOriginalMsgID, e.Attachments, strings.Join(notes, "; "), account, uidl, sc.Gen, arrived,
		e.From.Marks)
	if err != nil {
		return err
	}
	n, err := res.LastInsertId()
	if err != nil {
		return err
	}
	if sc.Text != "" && !encrypted {
		if _, err := q.ExecContext(ctx, `UPDATE messages SET text = ? WHERE n = ?`, sc.Text, n); err != nil {
			return err
		}
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO fts(rowid, subject, sender, recipients, body) VALUES(?,?,?,?,?)`,
		n, e.Subject, e.From.Text, e.To+" "+e.Cc, ftsBody(e, sc.Text, encrypted)); err != nil {
		return err
	}
	if e.MessageID != "" { // delivery reports that arrived before the message they are about
		if _, err := q.ExecContext(ctx, `UPDATE messages SET dsn_about = ? WHERE dsn_msgid = ? AND dsn_about = ''
			AND id <> ?`, id, e.MessageID, id); err != nil {
			return err
		}
	}
	return nil
}

// legacySender is the sender of a signed message whose .json file was written before the sender's marks were
// kept apart (Security.Sender): shown is the English text mailheader.Shown gave then, the certified address
// followed by the English of its marks. The marks are recomputed from the From fields and the signer's
// address (they depend on nothing else), and the text is shown without their English.
func legacySender(f mailheader.From, signer, shown string) mailheader.Sender {
	if signer == "" {
		return mailheader.Sender{Text: shown}
	}
	s := mailheader.Shown(f, signer, "")
	s.Text = shown
	if s.Marks&mailheader.MarkOtherAddress != 0 {
		s.Text = strings.TrimSuffix(shown, " — "+mailheader.FlagOtherAddress)
	}
	return s
}

// ftsBody is the body text the full-text index holds for a message: the text of its parts and the text the
// caller supplied (SetText); none for an encrypted message, confidential at rest: only its headers are indexed.
func ftsBody(e *entry, text string, encrypted bool) string {
	if encrypted {
		return ""
	}
	if text != "" {
		return e.Body + "\n" + text
	}
	return e.Body
}

// deleteRow removes a message's row and full text.
func deleteRow(ctx context.Context, q querier, id string) error {
	var n int64
	if err := q.QueryRowContext(ctx, `SELECT n FROM messages WHERE id = ?`, id).Scan(&n); err != nil {
		if err == sql.ErrNoRows {
			return nil
		}
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM fts WHERE rowid = ?`, n); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `DELETE FROM messages WHERE n = ?`, n)
	return err
}

// rowSidecar rebuilds the .json content of a message from its index row.
func rowSidecar(ctx context.Context, q querier, id string) (sidecar, error) {
	var sc sidecar
	var received, arrived int64
	var known bool
	var sec Security
	var sender mailheader.Sender
	var account, uidl sql.NullString
	var explicitDSN string
	err := q.QueryRowContext(ctx, `SELECT folder, received, seen, answered, flagged, signed, signature, encrypted,
		signer, sec_known, CASE WHEN dsn_explicit THEN dsn_about ELSE '' END, src_account, src_uidl, gen, text, arrived,
		from_text, from_marks, subject FROM messages WHERE id = ?`, id).Scan(&sc.Folder, &received, &sc.Seen, &sc.Answered, &sc.Flagged,
		&sec.Signed, &sec.Signature, &sec.Encrypted, &sec.Signer, &known, &explicitDSN, &account, &uidl, &sc.Gen,
		&sc.Text, &arrived, &sender.Text, &sender.Marks, &sec.Subject)
	if err == sql.ErrNoRows {
		return sc, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return sc, err
	}
	sc.Received = msToTime(received).UTC()
	if arrived != 0 {
		sc.Arrived = msToTime(arrived).UTC()
	}
	if known {
		if sec.Signer != "" { // else the From field as indexed: recomputed from the message
			sec.Sender, sec.From = &sender, sender.String()
		}
		sc.Security = &sec
	}
	if account.Valid {
		sc.Source = &Source{Account: account.String, UIDL: uidl.String}
	}
	sc.DSN = explicitDSN
	return sc, nil
}

// fileSet is what the message folders hold.
type fileSet struct {
	eml, json bool
}

// anyMessage reports whether files holds at least one message (an .eml file).
func anyMessage(files map[string]*fileSet) bool {
	for _, f := range files {
		if f.eml {
			return true
		}
	}
	return false
}

// scanFiles lists the message files, removing temporary files left by an interrupted write.
func (s *Store) scanFiles() (map[string]*fileSet, error) {
	files := make(map[string]*fileSet)
	base := filepath.Join(s.dir, messagesDir)
	subs, err := s.fs.ReadDir(base)
	if err != nil {
		return nil, fmt.Errorf("mailstore: list the message folders: %w", err)
	}
	for _, sub := range subs {
		if !sub.IsDir() {
			continue
		}
		ents, err := s.fs.ReadDir(filepath.Join(base, sub.Name()))
		if err != nil {
			return nil, fmt.Errorf("mailstore: list the message folders: %w", err)
		}
		for _, ent := range ents {
			name := ent.Name()
			if strings.HasPrefix(name, tmpPrefix) {
				_ = s.fs.Remove(filepath.Join(base, sub.Name(), name))
				continue
			}
			id, ext := strings.TrimSuffix(name, filepath.Ext(name)), filepath.Ext(name)
			if !validID(id) || subdir(id) != sub.Name() || (ext != emlExt && ext != jsonExt) {
				continue
			}
			f := files[id]
			if f == nil {
				f = &fileSet{}
				files[id] = f
			}
			if ext == emlExt {
				f.eml = true
			} else {
				f.json = true
			}
		}
	}
	return files, nil
}

// loadSidecar reads a message's .json; when it is missing or damaged it writes one placing the message in
// Inbox with a note, so the message is listed (never lost) and stays where the user then puts it.
func (s *Store) loadSidecar(id string, has bool) (sidecar, error) {
	if has {
		b, err := s.fs.ReadFile(s.jsonPath(id))
		if err == nil {
			if sc, err := decodeSidecar(b); err == nil {
				return sc, nil
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return sidecar{}, fmt.Errorf("mailstore: read %s: %w", s.jsonPath(id), err)
		}
	}
	sc := sidecar{Folder: "inbox", Received: s.now().UTC(), Gen: 1,
		Note: "recovered after an interrupted save; its folder and flags were lost"}
	if err := writeAtomic(s.fs, s.jsonPath(id), encodeSidecar(sc)); err != nil {
		return sc, storageErr(s.dir, "write "+s.jsonPath(id), err)
	}
	return sc, storageErr(s.dir, "sync the message folder", s.fs.SyncDir(s.msgDir(id)))
}

// indexFromFiles reads a message's two files and indexes it.
func (s *Store) indexFromFiles(ctx context.Context, q querier, id string, hasJSON bool) error {
	sc, err := s.loadSidecar(id, hasJSON)
	if err != nil {
		return err
	}
	raw, err := s.fs.ReadFile(s.emlPath(id))
	if err != nil {
		return fmt.Errorf("mailstore: read %s: %w", s.emlPath(id), err)
	}
	if err := s.ensureFolderID(ctx, q, sc.Folder); err != nil {
		return err
	}
	e := analyze(raw)
	return s.insertRow(ctx, q, id, &e, sc)
}

// Reconcile compares the index with the message files: files without a row are indexed, rows without a file
// are dropped (and logged), leftovers of interrupted writes are removed. With full, every .json file is also
// re-read and rows whose .json is newer are brought up to date. Open calls it; so may a "check the mail
// folder" command.
func (s *Store) Reconcile(ctx context.Context, full bool) (Report, error) {
	if err := s.lock(); err != nil {
		return Report{}, err
	}
	defer s.mu.Unlock()
	return s.reconcile(ctx, full)
}

func (s *Store) reconcile(ctx context.Context, full bool) (Report, error) {
	var r Report
	files, err := s.scanFiles()
	if err != nil {
		return r, err
	}
	type rowInfo struct {
		gen             int64
		subject, folder string
	}
	rows := make(map[string]rowInfo)
	qr, err := s.db.QueryContext(ctx, `SELECT m.id, m.gen, m.subject, f.name FROM messages m
		LEFT JOIN folders f ON f.id = m.folder`)
	if err != nil {
		return r, fmt.Errorf("mailstore: read the index: %w", err)
	}
	for qr.Next() {
		var id string
		var ri rowInfo
		var folder sql.NullString
		if err := qr.Scan(&id, &ri.gen, &ri.subject, &folder); err != nil {
			qr.Close()
			return r, fmt.Errorf("mailstore: read the index: %w", err)
		}
		ri.folder = folder.String
		rows[id] = ri
	}
	qr.Close()
	if err := qr.Err(); err != nil {
		return r, fmt.Errorf("mailstore: read the index: %w", err)
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return r, storageErr(s.dir, "reconcile the index", err)
	}
	defer tx.Rollback()
	ids := make([]string, 0, len(files))
	for id := range files {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		f := files[id]
		ri, indexed := rows[id]
		switch {
		case !f.eml:
			// a .json without its message: an add that never completed, or an expunge half done
			_ = s.fs.Remove(s.jsonPath(id))
		case !indexed:
			if err := s.indexFromFiles(ctx, tx, id, f.json); err != nil {
				return r, err
			}
			r.Recovered = append(r.Recovered, id)
			s.log.Info("mailstore: a stored message was missing from the index and has been indexed", "id", id)
		case !f.json:
			sc, err := rowSidecar(ctx, tx, id)
			if err != nil {
				return r, err
			}
			if err := writeAtomic(s.fs, s.jsonPath(id), encodeSidecar(sc)); err != nil {
				return r, storageErr(s.dir, "write "+s.jsonPath(id), err)
			}
		case full:
			b, err := s.fs.ReadFile(s.jsonPath(id))
			if err != nil {
				return r, fmt.Errorf("mailstore: read %s: %w", s.jsonPath(id), err)
			}
			sc, decErr := decodeSidecar(b)
			if decErr == nil && sc.Gen == ri.gen {
				continue
			}
			if err := deleteRow(ctx, tx, id); err != nil {
				return r, storageErr(s.dir, "reconcile the index", err)
			}
			if err := s.indexFromFiles(ctx, tx, id, decErr == nil); err != nil {
				return r, err
			}
			r.Repaired++
		}
	}
	for id, ri := range rows {
		if f := files[id]; f != nil && f.eml {
			continue
		}
		if err := deleteRow(ctx, tx, id); err != nil {
			return r, storageErr(s.dir, "reconcile the index", err)
		}
		r.Dropped = append(r.Dropped, id)
		s.log.Warn("mailstore: a message file has vanished from the mail folder; it was removed from the list",
			"id", id, "folder", ri.folder, "subject", ri.subject, "file", s.emlPath(id))
	}
	sort.Strings(r.Dropped)
	if err := tx.Commit(); err != nil {
		return r, storageErr(s.dir, "reconcile the index", err)
	}
	return r, nil
}

// reindexLegacySenders indexes again, from their files, the rows that an index older than schema 5 holds with
// the sender's English marks inside from_text ("… — one of several From fields"), so that their marks are data
// (from_marks) like those of the rows indexed since; meta's legacy_senders, set by the migration, says that
// some may be left. Only the rows whose text can hold a mark are read again.
func (s *Store) reindexLegacySenders(ctx context.Context) error {
	var pending string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'legacy_senders'`).Scan(&pending)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mailstore: read the index: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM messages
		WHERE from_text IN ('(no From field)', '(empty From field)') OR instr(from_text, ' — ') > 0`)
	if err != nil {
		return fmt.Errorf("mailstore: read the index: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("mailstore: read the index: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("mailstore: read the index: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return storageErr(s.dir, "update the index", err)
	}
	defer tx.Rollback()
	for _, id := range ids {
		if err := deleteRow(ctx, tx, id); err != nil {
			return storageErr(s.dir, "update the index", err)
		}
		if err := s.indexFromFiles(ctx, tx, id, true); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = 'legacy_senders'`); err != nil {
		return storageErr(s.dir, "update the index", err)
	}
	if err := tx.Commit(); err != nil {
		return storageErr(s.dir, "update the index", err)
	}
	if len(ids) > 0 {
		s.log.Info("mailstore: senders indexed again with their marks apart", "messages", len(ids))
	}
	return nil
}

// Rebuild throws the index away and rebuilds it from the message files alone: .eml for the headers and text,
// .json for folder, flags, POP3 source and recorded security status.
func (s *Store) Rebuild(ctx context.Context) error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	s.log.Info("mailstore: rebuilding the mail index from the message files", "folder", s.dir)
	return s.rebuild(ctx)
}

func (s *Store) rebuild(ctx context.Context) error {
	files, err := s.scanFiles()
	if err != nil {
		return err
	}
	return s.rebuildFrom(ctx, files)
}

// rebuildFrom rebuilds the index from files, as scanFiles found them.
func (s *Store) rebuildFrom(ctx context.Context, files map[string]*fileSet) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return storageErr(s.dir, "rebuild the index", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM messages`); err != nil {
		return storageErr(s.dir, "rebuild the index", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM fts`); err != nil {
		return storageErr(s.dir, "rebuild the index", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = 'legacy_senders'`); err != nil {
		return storageErr(s.dir, "rebuild the index", err)
	}
	ids := make([]string, 0, len(files))
	for id := range files {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("mailstore: rebuild: %w", err)
		}
		f := files[id]
		if !f.eml {
			_ = s.fs.Remove(s.jsonPath(id))
			continue
		}
		if err := s.indexFromFiles(ctx, tx, id, f.json); err != nil {
			return storageErr(s.dir, "rebuild the index", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return storageErr(s.dir, "rebuild the index", err)
	}
	s.log.Info("mailstore: the mail index was rebuilt", "messages", len(ids))
	return nil
}
