package mailstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// SetText records the readable text of a message whose bytes do not show it, so that [Store.Search] finds its
// words: a signed-opaque message (application/pkcs7-mime; smime-type=signed-data) carries its text inside the
// CMS structure, which the store does not open. The caller opens the message and hands the text over. The text
// is indexed in addition to what the store read itself, kept in the message's .json file (so a rebuild keeps
// it) and cut to 256 KB; an empty text removes what was supplied before.
//
// SetText refuses, with ErrConfidential, a message that is encrypted — by its structure or by a status recorded
// with [Store.SetSecurity] — since the text of an encrypted message is never written to disk. A message marked
// encrypted later loses the text supplied for it.
func (s *Store) SetText(ctx context.Context, id, text string) error {
	if !validID(id) {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if len(text) > maxBodyText {
		text = strings.ToValidUTF8(text[:maxBodyText], "")
	}
	return s.change(ctx, []string{id}, "record the text of the message", func(tx *sql.Tx, id string) error {
		var n int64
		var encrypted bool
		var subject, from, to, cc string
		err := tx.QueryRowContext(ctx, `SELECT n, encrypted, subject, from_text, to_text, cc_text FROM messages
			WHERE id = ?`, id).Scan(&n, &encrypted, &subject, &from, &to, &cc)
		if err == sql.ErrNoRows {
			return fmt.Errorf("%w: %s", ErrNotFound, id)
		}
		if err != nil {
			return err
		}
		if encrypted {
			return fmt.Errorf("%w (message %s is encrypted)", ErrConfidential, id)
		}
		// The full-text index keeps no copy of what it indexed: the store's own text is read again.
		raw, err := s.fs.ReadFile(s.emlPath(id))
		if err != nil {
			return fmt.Errorf("read %s: %w", s.emlPath(id), err)
		}
		e := analyze(raw)
		if e.Encrypted {
			return fmt.Errorf("%w (message %s is encrypted)", ErrConfidential, id)
		}
		body := e.Body
		if text != "" {
			body += "\n" + text
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET text = ? WHERE n = ?`, text, n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM fts WHERE rowid = ?`, n); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO fts(rowid, subject, sender, recipients, body) VALUES(?, ?, ?, ?, ?)`,
			n, subject, from, to+" "+cc, body)
		return err
	})
}
