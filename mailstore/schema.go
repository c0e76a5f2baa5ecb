package mailstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// schemaVersion is the index schema this code writes. migrations[i] brings an index from version i to i+1.
const schemaVersion = 5

var migrations = [schemaVersion]string{
	// 0 -> 1: the first schema.
	`
CREATE TABLE folders(
	id       TEXT PRIMARY KEY,
	name     TEXT NOT NULL UNIQUE COLLATE NOCASE,
	standard INTEGER NOT NULL,
	position INTEGER NOT NULL
);
CREATE TABLE messages(
	n           INTEGER PRIMARY KEY,           -- rowid, shared with the fts table
	id          TEXT NOT NULL UNIQUE,          -- the file name, see the package documentation
	folder      TEXT NOT NULL,                 -- folders.id
	from_text   TEXT NOT NULL,
	from_addr   TEXT NOT NULL,
	to_text     TEXT NOT NULL,
	cc_text     TEXT NOT NULL,
	subject     TEXT NOT NULL,
	date        INTEGER NOT NULL,              -- Unix ms: the Date field, or the received time without one
	received    INTEGER NOT NULL,              -- Unix ms: when the store got the message
	size        INTEGER NOT NULL,
	message_id  TEXT NOT NULL,
	in_reply_to TEXT NOT NULL,
	refs        TEXT NOT NULL,
	seen        INTEGER NOT NULL DEFAULT 0,
	answered    INTEGER NOT NULL DEFAULT 0,
	flagged     INTEGER NOT NULL DEFAULT 0,
	signed      INTEGER NOT NULL DEFAULT 0,
	signature   TEXT NOT NULL DEFAULT '',      -- valid|invalid|untrusted|expired|weak-algorithm|address-mismatch|none; '' not yet verified
	encrypted   INTEGER NOT NULL DEFAULT 0,
	signer      TEXT NOT NULL DEFAULT '',
	sec_known   INTEGER NOT NULL DEFAULT 0,    -- the caller recorded the status after opening the message
	dsn_about   TEXT NOT NULL DEFAULT '',      -- a delivery report: id of the message it is about
	dsn_explicit INTEGER NOT NULL DEFAULT 0,   -- dsn_about was set by the caller (SetDSN), not derived
	dsn_msgid   TEXT NOT NULL DEFAULT '',      -- a delivery report: Message-ID of the message it is about
	attachments INTEGER NOT NULL DEFAULT 0,
	note        TEXT NOT NULL DEFAULT '',      -- what could not be read, for the user
	src_account TEXT,                          -- POP3 source; NULL for local messages
	src_uidl    TEXT,
	gen         INTEGER NOT NULL,              -- generation of the .json file this row reflects
	UNIQUE(src_account, src_uidl)
);
CREATE INDEX messages_folder_date ON messages(folder, date, id);
CREATE INDEX messages_message_id ON messages(message_id);
CREATE INDEX messages_dsn_msgid ON messages(dsn_msgid) WHERE dsn_msgid <> '';
CREATE VIRTUAL TABLE fts USING fts5(subject, sender, recipients, body,
	content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
`,
	// 1 -> 2: sorting a 50,000-message folder by subject or sender took ~0.5 s without these.
	`
CREATE INDEX messages_folder_subject ON messages(folder, subject COLLATE NOCASE, date DESC, id DESC);
CREATE INDEX messages_folder_from ON messages(folder, from_text COLLATE NOCASE, date DESC, id DESC);
`,
	// 2 -> 3: listing a whole 50,000-message folder took ~0.3-0.5 s, mostly per-column work in the driver and
	// table lookups: messages_listing covers a date-ordered listing with one precomputed value per row (see
	// listRecord). A search that decrypts spent ~50 ms counting and picking the encrypted messages with a scan
	// of the table: two small partial indexes hold only the encrypted ones. text: the readable text the caller
	// supplied with SetText for a message whose bytes do not show it (never for an encrypted message).
	`
CREATE INDEX messages_listing ON messages(folder, date DESC, id DESC, ` + listRecordV3 + `);
CREATE INDEX messages_encrypted ON messages(date DESC, id DESC) WHERE encrypted = 1;
CREATE INDEX messages_folder_encrypted ON messages(folder, date DESC, id DESC) WHERE encrypted = 1;
ALTER TABLE messages ADD COLUMN text TEXT NOT NULL DEFAULT '';
`,
	// 3 -> 4: arrived, when a fetched message first reached us by our own clock (Unix ms; 0 for messages that did
	// not come from a server): signatures are judged at that moment (docs/SECURITY.md §3). Until now the received
	// time of a fetched message was that moment.
	`
ALTER TABLE messages ADD COLUMN arrived INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET arrived = received WHERE src_account IS NOT NULL;
`,
	// 4 -> 5: from_marks, the warnings shown with the sender (mailheader.SenderMark), kept apart from its words
	// so the window says them in its language; from_text holds the words alone. The rows indexed before hold
	// the English marks in from_text: meta's legacy_senders says so until Open has indexed them again from their
	// files (reindexLegacySenders).
	`
ALTER TABLE messages ADD COLUMN from_marks INTEGER NOT NULL DEFAULT 0;
DROP INDEX IF EXISTS messages_listing;
CREATE INDEX messages_listing ON messages(folder, date DESC, id DESC, ` + listRecord + `);
INSERT INTO meta(key, value) SELECT 'legacy_senders', '1' WHERE EXISTS (SELECT 1 FROM messages);
`,
}

// migrate brings the index to schemaVersion. It reports newer=true, without touching anything, when the index
// was written by a newer SecureMail (the caller rebuilds it).
func migrate(ctx context.Context, db *sql.DB) (newer bool, err error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)`); err != nil {
		return false, err
	}
	v, err := schemaOf(ctx, db)
	if err != nil {
		return false, err
	}
	if v > schemaVersion {
		return true, nil
	}
	for ; v < schemaVersion; v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return false, err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			_ = tx.Rollback()
			return false, fmt.Errorf("migration to schema %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES('schema', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, strconv.Itoa(v+1)); err != nil {
			_ = tx.Rollback()
			return false, err
		}
		if err := tx.Commit(); err != nil {
			return false, err
		}
	}
	return false, nil
}

func schemaOf(ctx context.Context, db *sql.DB) (int, error) {
	var s string
	err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'schema'`).Scan(&s)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("schema version %q: %w", s, err)
	}
	return v, nil
}
