package mailstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"securemail/internal/mailheader"
)

// AddOptions describe a message being stored.
type AddOptions struct {
	// Source is the POP3 account and UIDL of a fetched message; nil for messages composed here. A second Add
	// with the same Source fails with a *DuplicateError (errors.Is ErrDuplicate) naming the stored message.
	Source *Source
	// Flags the message starts with (a sent message is Seen).
	Flags Flags
	// Received is when the message arrived; zero means now.
	Received time.Time
	// Arrived is when a message fetched from a server first reached us, read from our own clock by the caller
	// at fetch time (never a time the message states); zero for messages that did not come from a server. It
	// is kept for ever, through moves and index rebuilds: signatures are judged at that moment.
	Arrived time.Time
}

// Add stores raw — kept byte for byte — in folder and indexes it. When Add returns nil the message is on disk
// (fsynced) and listed: a POP3 client may then delete it from the server. Any input is stored: what cannot be
// parsed is described by the message's Note. On failure nothing is left behind; a full disk gives a
// *StorageError whose text can be shown as it is.
func (s *Store) Add(ctx context.Context, folder string, raw []byte, opts AddOptions) (string, error) {
	if opts.Source != nil && (opts.Source.Account == "" || opts.Source.UIDL == "") {
		return "", errors.New("mailstore: a message source needs both an account and a UIDL")
	}
	e := analyze(raw) // the slow part, outside the lock
	if err := s.lock(); err != nil {
		return "", err
	}
	defer s.mu.Unlock()
	fid, err := folderID(ctx, s.db, folder)
	if err != nil {
		return "", err
	}
	now := s.now()
	received := opts.Received
	if received.IsZero() {
		received = now
	}
	id := newID(now)
	sc := sidecar{Folder: fid, Received: received.UTC().Truncate(time.Millisecond),
		Arrived: opts.Arrived.UTC().Truncate(time.Millisecond), Seen: opts.Flags&Seen != 0,
		Answered: opts.Flags&Answered != 0, Flagged: opts.Flags&Flagged != 0, Source: opts.Source, Gen: 1}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", storageErr(s.dir, "store the message", err)
	}
	defer tx.Rollback()
	if src := opts.Source; src != nil {
		var old string
		err := tx.QueryRowContext(ctx, `SELECT id FROM messages WHERE src_account = ? AND src_uidl = ?`,
			src.Account, src.UIDL).Scan(&old)
		if err == nil {
			return "", &DuplicateError{Account: src.Account, UIDL: src.UIDL, ID: old}
		}
		if err != sql.ErrNoRows {
			return "", storageErr(s.dir, "store the message", err)
		}
	}
	if err := s.insertRow(ctx, tx, id, &e, sc); err != nil {
		return "", storageErr(s.dir, "index the message", err)
	}
	if err := s.writeMessageFiles(id, raw, sc); err != nil {
		return "", err
	}
	if s.afterFiles != nil {
		if err := s.afterFiles(); err != nil {
			return "", err // a simulated crash: the files stay, the row is never committed
		}
	}
	if err := tx.Commit(); err != nil {
		s.removeMessageFiles(id)
		return "", storageErr(s.dir, "index the message", err)
	}
	return id, nil
}

// writeMessageFiles writes the .json then the .eml atomically and fsyncs their folder; on failure it removes
// whatever it wrote.
func (s *Store) writeMessageFiles(id string, raw []byte, sc sidecar) error {
	err := writeAtomic(s.fs, s.jsonPath(id), encodeSidecar(sc))
	if err == nil {
		err = writeAtomic(s.fs, s.emlPath(id), raw)
	}
	if err == nil {
		err = s.fs.SyncDir(s.msgDir(id))
	}
	if err != nil {
		s.removeMessageFiles(id)
		return storageErr(s.dir, "write the message", err)
	}
	return nil
}

// removeMessageFiles removes a message's files, the .eml first (a lone .json is cleaned up by Reconcile).
func (s *Store) removeMessageFiles(id string) {
	_ = s.fs.Remove(s.emlPath(id))
	_ = s.fs.Remove(s.jsonPath(id))
	_ = s.fs.SyncDir(s.msgDir(id))
}

const rowColumns = `m.id, f.name, m.from_text, m.to_text, m.subject, m.date, m.signed, m.signature, m.encrypted,
	m.dsn_about, m.seen, m.answered, m.flagged, m.size, m.attachments, m.from_marks`

type scanner interface{ Scan(dest ...any) error }

func scanRow(sc scanner, extra ...any) (Row, error) {
	var r Row
	var date int64
	dest := append([]any{&r.ID, &r.Folder, &r.Sender.Text, &r.To, &r.Subject, &date, &r.Signed, &r.Signature,
		&r.Encrypted, &r.DSN, &r.Seen, &r.Answered, &r.Flagged, &r.Size, &r.Attachments, &r.Sender.Marks}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return r, err
	}
	r.Date, r.From = msToTime(date), r.Sender.String()
	return r, nil
}

// Get returns a message with its raw bytes.
func (s *Store) Get(ctx context.Context, id string) (*Message, error) {
	if !validID(id) {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	m := &Message{}
	var received, arrived int64
	var account, uidl sql.NullString
	row, err := scanRow(s.db.QueryRowContext(ctx, `SELECT `+rowColumns+`, m.from_addr, m.cc_text, m.message_id,
		m.in_reply_to, m.refs, m.signer, m.sec_known, m.received, m.arrived, m.src_account, m.src_uidl, m.note
		FROM messages m JOIN folders f ON f.id = m.folder WHERE m.id = ?`, id),
		&m.FromAddr, &m.Cc, &m.MessageID, &m.InReplyTo, &m.References, &m.Signer, &m.Verified, &received,
		&arrived, &account, &uidl, &m.Note)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("mailstore: read message %s: %w", id, err)
	}
	m.Row, m.Received = row, msToTime(received)
	if arrived != 0 {
		m.Arrived = msToTime(arrived)
	}
	if account.Valid {
		m.Source = &Source{Account: account.String, UIDL: uidl.String}
	}
	m.Raw, err = s.fs.ReadFile(s.emlPath(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: the file of message %s has vanished from %s", ErrNotFound, id, s.dir)
	}
	if err != nil {
		return nil, fmt.Errorf("mailstore: read message %s: %w", id, err)
	}
	return m, nil
}

// change applies update to each message inside one transaction, rewrites each .json to match, then commits.
// If a file cannot be written the transaction is rolled back and the .json files already rewritten are
// restored.
func (s *Store) change(ctx context.Context, ids []string, what string, update func(tx *sql.Tx, id string) error) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return storageErr(s.dir, what, err)
	}
	defer tx.Rollback()
	type undo struct {
		id string
		sc sidecar
	}
	var done []undo
	dirs := map[string]bool{}
	fail := func(err error) error {
		for _, u := range done {
			if werr := writeAtomic(s.fs, s.jsonPath(u.id), encodeSidecar(u.sc)); werr != nil {
				s.dirty = true // the next Open re-reads the .json files
			}
		}
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConfidential) {
			return err
		}
		return storageErr(s.dir, what, err)
	}
	for _, id := range ids {
		old, err := rowSidecar(ctx, tx, id)
		if err != nil {
			return fail(err)
		}
		if err := update(tx, id); err != nil {
			return fail(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET gen = gen + 1 WHERE id = ?`, id); err != nil {
			return fail(err)
		}
		sc, err := rowSidecar(ctx, tx, id)
		if err != nil {
			return fail(err)
		}
		if err := writeAtomic(s.fs, s.jsonPath(id), encodeSidecar(sc)); err != nil {
			return fail(err)
		}
		done = append(done, undo{id, old})
		dirs[s.msgDir(id)] = true
	}
	for d := range dirs {
		if err := s.fs.SyncDir(d); err != nil {
			return fail(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return nil
}

// Move moves messages to folder. Their .eml files are not touched.
func (s *Store) Move(ctx context.Context, ids []string, folder string) error {
	fid, err := folderID(ctx, s.db, folder)
	if err != nil {
		return err
	}
	return s.change(ctx, ids, "move messages", func(tx *sql.Tx, id string) error {
		_, err := tx.ExecContext(ctx, `UPDATE messages SET folder = ? WHERE id = ?`, fid, id)
		return err
	})
}

// Delete moves messages to Trash; [Store.Expunge] or [Store.EmptyTrash] removes them for good.
func (s *Store) Delete(ctx context.Context, ids []string) error { return s.Move(ctx, ids, Trash) }

// SetFlags adds and removes flags on messages.
func (s *Store) SetFlags(ctx context.Context, ids []string, add, remove Flags) error {
	set := func(f Flags) any {
		switch {
		case add&f != 0:
			return 1
		case remove&f != 0:
			return 0
		}
		return nil
	}
	return s.change(ctx, ids, "change flags", func(tx *sql.Tx, id string) error {
		_, err := tx.ExecContext(ctx, `UPDATE messages SET seen = coalesce(?, seen), answered = coalesce(?, answered),
			flagged = coalesce(?, flagged) WHERE id = ?`, set(Seen), set(Answered), set(Flagged), id)
		return err
	})
}

func validSignature(s string) bool {
	switch s {
	case SigValid, SigInvalid, SigUntrusted, SigExpired, SigWeakAlgorithm, SigAddressMismatch, SigBadFrom, SigNone:
		return true
	}
	return false
}

// SetSecurity records what opening the message found. Marking a message encrypted removes any body text of it
// from the full-text index (overwritten, thanks to secure_delete); a message once known to be encrypted stays
// so.
func (s *Store) SetSecurity(ctx context.Context, id string, sec Security) error {
	if !validSignature(sec.Signature) {
		return fmt.Errorf("mailstore: unknown signature status %q", sec.Signature)
	}
	purged := false
	err := s.change(ctx, []string{id}, "record the security status", func(tx *sql.Tx, id string) error {
		var n int64
		var wasEncrypted bool
		var subject, to, cc, text string
		var from mailheader.Sender
		if err := tx.QueryRowContext(ctx, `SELECT n, encrypted, subject, from_text, from_marks, to_text, cc_text, text
			FROM messages WHERE id = ?`, id).Scan(&n, &wasEncrypted, &subject, &from.Text, &from.Marks, &to, &cc, &text); err != nil {
			return err
		}
		if sec.Sender != nil {
			from = *sec.Sender
		}
		newSubject := sec.Subject != "" && sec.Subject != subject
		if newSubject {
			subject = sec.Subject
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET signed = ?, signature = ?, encrypted = encrypted OR ?,
			signer = ?, from_text = ?, from_marks = ?, subject = ?, sec_known = 1,
			text = CASE WHEN ? THEN '' ELSE text END WHERE id = ?`,
			sec.Signed, sec.Signature, sec.Encrypted, sec.Signer, from.Text, from.Marks, subject, sec.Encrypted, id); err != nil {
			return err
		}
		// The full-text row is rewritten whole (the index keeps no copy to edit): an encrypted message's
		// with its headers only — the protected Subject, no body text indexed before it was known to be
		// encrypted —, another's with the protected Subject the reader shows instead of the outer one a
		// relay may have rewritten, and its body read again from its file.
		encrypted := sec.Encrypted || wasEncrypted
		if sec.Encrypted && !wasEncrypted || newSubject {
			body := ""
			if !encrypted {
				raw, err := s.fs.ReadFile(s.emlPath(id))
				if err != nil {
					return fmt.Errorf("mailstore: read %s: %w", s.emlPath(id), err)
				}
				e := analyze(raw)
				body = ftsBody(&e, text, false)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM fts WHERE rowid = ?`, n); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO fts(rowid, subject, sender, recipients, body)
				VALUES(?, ?, ?, ?, ?)`, n, subject, from.Text, to+" "+cc, body); err != nil {
				return err
			}
			purged = purged || sec.Encrypted && !wasEncrypted
		}
		return nil
	})
	if err != nil || !purged {
		return err
	}
	return s.scrub(ctx)
}

// scrub makes text deleted from the full-text index unrecoverable from the files: FTS5 deletes only mark
// entries as gone, so the index is merged ('optimize', which rewrites it; freed pages are zeroed by
// secure_delete), then the WAL is checkpointed and truncated. It costs about a second on a 50,000-message
// store and runs only when a message turns out to be encrypted after its body was indexed.
func (s *Store) scrub(ctx context.Context) error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO fts(fts) VALUES('optimize')`); err != nil {
		return storageErr(s.dir, "scrub the index", err)
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return storageErr(s.dir, "scrub the index", err)
	}
	return nil
}

// SetDSN records that message id is a delivery status report about message aboutID ("" to clear). The store
// already links a report to the message whose Message-ID it quotes; this is for the cases it cannot see.
func (s *Store) SetDSN(ctx context.Context, id, aboutID string) error {
	return s.change(ctx, []string{id}, "link the delivery report", func(tx *sql.Tx, id string) error {
		_, err := tx.ExecContext(ctx, `UPDATE messages SET dsn_about = ?, dsn_explicit = ? WHERE id = ?`,
			aboutID, aboutID != "", id)
		return err
	})
}

// Expunge removes messages for good: index rows and files.
func (s *Store) Expunge(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return storageErr(s.dir, "delete messages", err)
	}
	defer tx.Rollback()
	for _, id := range ids {
		if !validID(id) {
			return fmt.Errorf("%w: %q", ErrNotFound, id)
		}
		if err := deleteRow(ctx, tx, id); err != nil {
			return storageErr(s.dir, "delete messages", err)
		}
	}
	// Files go before the commit: a crash in between leaves rows without files, which Open drops.
	for _, id := range ids {
		if err := s.fs.Remove(s.emlPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return storageErr(s.dir, "delete messages", err)
		}
		if err := s.fs.Remove(s.jsonPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return storageErr(s.dir, "delete messages", err)
		}
		_ = s.fs.SyncDir(s.msgDir(id))
	}
	return storageErr(s.dir, "delete messages", tx.Commit())
}

// EmptyTrash expunges every message in Trash.
func (s *Store) EmptyTrash(ctx context.Context) error {
	ids, err := s.idsIn(ctx, "trash")
	if err != nil {
		return err
	}
	return s.Expunge(ctx, ids)
}

// Sources returns the UIDLs already stored for a POP3 account, each with its message id: the fetch loop skips
// them and may delete them from the server.
func (s *Store) Sources(ctx context.Context, account string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT src_uidl, id FROM messages WHERE src_account = ?`, account)
	if err != nil {
		return nil, fmt.Errorf("mailstore: read sources: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var uidl, id string
		if err := rows.Scan(&uidl, &id); err != nil {
			return nil, fmt.Errorf("mailstore: read sources: %w", err)
		}
		out[uidl] = id
	}
	return out, rows.Err()
}

// ByMessageID returns the messages whose Message-ID is msgID (angle brackets included), newest first.
func (s *Store) ByMessageID(ctx context.Context, msgID string) ([]Row, error) {
	return s.queryRows(ctx, `SELECT `+rowColumns+` FROM messages m JOIN folders f ON f.id = m.folder
		WHERE m.message_id = ? ORDER BY m.date DESC, m.id DESC`, msgID)
}

func (s *Store) queryRows(ctx context.Context, query string, args ...any) ([]Row, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("mailstore: list messages: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("mailstore: list messages: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mailstore: list messages: %w", err)
	}
	return out, nil
}
