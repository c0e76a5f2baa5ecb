// Package mailstore keeps SecureMail's local folders: every message as one file holding its raw RFC 5322 bytes,
// exactly as fetched or composed, and an SQLite index (modernc.org/sqlite, WAL mode, FTS5) over its headers,
// flags, security status and — for messages that are not encrypted — its body text.
//
// # Layout on disk
//
// The store lives in one folder (normally "<profile>/mail"):
//
//	messages/<xy>/<id>.eml   the raw message, never rewritten after it is stored
//	messages/<xy>/<id>.json  its metadata: folder id, flags, POP3 source, security status, DSN link
//	folders.json             user folders (id, name); the standard ones are implicit
//	index.db (+ -wal, -shm)  the SQLite index, derived from the two above; may be deleted at any time
//	.open                    present while a Store is open; found at open time it means the last run crashed
//
// Files are named by id, not by content: an id is 12 hex digits of the storing time in milliseconds followed
// by 16 random hex digits, and <xy> is the id's last two hex digits (256 subfolders). Naming by id rather than
// by hash means the same bytes fetched twice are two messages (the POP3 source decides what is a duplicate),
// and moving or flagging a message rewrites only its small .json file: the .eml keeps its bytes and its name.
//
// Every file is written atomically: a temporary file in the same folder, write, fsync, rename, fsync of the
// folder. The .json and .eml files are the truth; the index is rebuilt from them by [Store.Rebuild], and
// automatically at open when the index file is missing or damaged.
//
// # Confidential at rest
//
// For a message whose content is encrypted (application/pkcs7-mime enveloped or auth-enveloped data, or
// multipart/encrypted), the index keeps only its headers: no body text is extracted, and the store never writes
// decrypted content anywhere. [Store.Search] can look into encrypted bodies only through a caller-supplied
// Decrypt function; the decrypted text lives in memory for the duration of the match and is then dropped.
// The index runs with secure_delete on, so text removed from it (for instance when [Store.SetSecurity] marks a
// message as encrypted after the fact) is overwritten, not merely unlinked. [Store.SetText] lets the caller
// supply the text of a message the store cannot read but which is not encrypted (a signed-opaque message, whose
// text is inside the CMS); it refuses an encrypted message with ErrConfidential. One header field is the
// exception to "never decrypted": the Subject an encrypted message protects inside (RFC 9788, its outer Subject
// then "[...]"), which [Store.SetSecurity] indexes like any Subject so that the list and search show it — the
// same Subject that mail without header protection carries in the clear, in the .eml file itself — and keeps in
// the message's .json file for a rebuild. A signed message's protected Subject replaces its outer one in the
// index the same way (its body is indexed again from its file): search finds what the reader shows.
//
// # Listing
//
// A folder listing reads, per message, one value packed by SQL and stored in a covering index (see listRecord
// in listing.go), so listing a whole 50,000-message folder by date is a scan of one index with one value and
// one allocation per row; pages far down a folder and counts use the narrow date index instead.
//
// # Consistency
//
// A message is stored as: index row inserted in an open transaction, .json then .eml written and fsynced, the
// folder fsynced, then the transaction committed. A crash between the files and the commit leaves files without
// a row; a message file removed by hand leaves a row without a file. Open reconciles both every time (files are
// indexed, rows without a file are reported in the log and dropped), and after a crash it also re-reads every
// .json file so a move or flag change whose commit was lost is applied.
package mailstore
