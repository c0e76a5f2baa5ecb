package mailstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go, with FTS5
)

// Options configure a Store; the zero value is ready to use.
type Options struct {
	// FS writes and reads the message files; nil means the operating system's.
	FS FS
	// Logger receives the lines about repairs (index rebuilt, message recovered or dropped); nil means
	// slog.Default().
	Logger *slog.Logger
	// Now is the clock for received times and ids; nil means time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	out := o
	if out.FS == nil {
		out.FS = OSFS{}
	}
	if out.Logger == nil {
		out.Logger = slog.Default()
	}
	if out.Now == nil {
		out.Now = time.Now
	}
	return out
}

// Store is an open mail folder. Its methods are safe for concurrent use; writes are serialised.
type Store struct {
	dir  string
	fs   FS
	log  *slog.Logger
	now  func() time.Time
	db   *sql.DB
	mu   sync.Mutex // serialises writers: files and index change together
	open Report
	// dirty: a write failed half-way (index and files may disagree); Close then keeps the crash marker so the
	// next Open re-reads every .json file.
	dirty bool
	// afterFiles, when set by a test, runs after a message's files are written and before its index row is
	// committed; an error makes Add stop there, as if the process had died.
	afterFiles func() error
	closed     bool
}

// Report says what Open (or Reconcile) repaired.
type Report struct {
	Rebuilt   bool     // the index was rebuilt from the message files
	Reason    string   // why it was rebuilt
	Crashed   bool     // the previous run did not close the store
	Recovered []string // ids of message files that had no index row and were indexed
	Dropped   []string // ids of index rows whose message file had vanished; the rows were dropped
	Repaired  int      // rows brought up to date from their .json file after a crash
}

// reasonNoIndex is the Report.Reason of a rebuild because index.db did not exist.
const reasonNoIndex = "the index file is missing"

// Open opens (creating if needed) the mail store in dir. A missing, damaged or unreadable index is rebuilt
// from the message files, and the index is reconciled with the files; what was repaired is logged and
// returned by [Store.OpenReport]. Creating the index of a new store (no message files yet) is not a repair: it
// is logged at debug level only and not reported.
func Open(ctx context.Context, dir string, opts Options) (*Store, error) {
	o := opts.withDefaults()
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("mailstore: %w", err)
	}
	s := &Store{dir: abs, fs: o.FS, log: o.Logger, now: o.Now}
	if err := s.fs.MkdirAll(filepath.Join(abs, messagesDir), 0o700); err != nil {
		return nil, storageErr(abs, "create the mail folder", err)
	}
	if err := s.makeSubdirs(); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(filepath.Join(abs, openMarker))
	s.open.Crashed = statErr == nil
	if err := writeAtomic(s.fs, filepath.Join(abs, openMarker), []byte("open\n")); err != nil {
		return nil, storageErr(abs, "mark the store open", err)
	}
	if err := s.fs.SyncDir(abs); err != nil {
		return nil, storageErr(abs, "sync the mail folder", err)
	}
	if err := s.openIndex(ctx); err != nil {
		return nil, err
	}
	if err := s.loadFolders(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	if s.open.Rebuilt {
		files, err := s.scanFiles()
		if err != nil {
			s.db.Close()
			return nil, err
		}
		if s.open.Reason == reasonNoIndex && !anyMessage(files) {
			// A new store (or one holding no message at all): creating its index repairs nothing.
			s.open.Rebuilt, s.open.Reason = false, ""
			s.log.Debug("mailstore: created a new mail index", "folder", abs)
			return s, nil
		}
		s.log.Warn("mailstore: rebuilding the mail index from the message files", "folder", abs, "reason", s.open.Reason)
		if err := s.rebuildFrom(ctx, files); err != nil {
			s.db.Close()
			return nil, err
		}
	} else {
		r, err := s.reconcile(ctx, s.open.Crashed)
		if err != nil {
			s.db.Close()
			return nil, err
		}
		s.open.Recovered, s.open.Dropped, s.open.Repaired = r.Recovered, r.Dropped, r.Repaired
		if err := s.reindexLegacySenders(ctx); err != nil {
			s.db.Close()
			return nil, err
		}
	}
	return s, nil
}

func (s *Store) makeSubdirs() error {
	base := filepath.Join(s.dir, messagesDir)
	if _, err := os.Stat(filepath.Join(base, "ff")); err == nil {
		return nil
	}
	for i := 0; i < 256; i++ {
		if err := s.fs.MkdirAll(filepath.Join(base, fmt.Sprintf("%02x", i)), 0o700); err != nil {
			return storageErr(s.dir, "create the message folders", err)
		}
	}
	return storageErr(s.dir, "sync the message folders", s.fs.SyncDir(base))
}

// openIndex opens index.db, setting s.open.Rebuilt when it has to be rebuilt (missing, damaged, newer).
func (s *Store) openIndex(ctx context.Context) error {
	path := filepath.Join(s.dir, indexFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		s.open.Rebuilt, s.open.Reason = true, reasonNoIndex
	}
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		if s.db, err = openDB(path); err != nil {
			return storageErr(s.dir, "open the index", err)
		}
		var reason string
		reason, err = s.checkIndex(ctx)
		if err == nil && reason == "" {
			return nil
		}
		s.db.Close()
		if err != nil {
			if se := (*StorageError)(nil); errors.As(err, &se) {
				return err
			}
			reason = "the index file is damaged (" + err.Error() + ")"
		}
		if attempt > 0 {
			break
		}
		s.open.Rebuilt, s.open.Reason = true, reason
		s.log.Warn("mailstore: the mail index cannot be used; setting it aside and rebuilding it",
			"index", path, "reason", reason)
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return storageErr(s.dir, "remove the damaged index", err)
			}
		}
	}
	return fmt.Errorf("mailstore: the index %s cannot be created: %w", path, err)
}

// checkIndex migrates the schema and, after a crash, runs SQLite's quick check. It returns a reason to rebuild,
// or an error when the file is not a usable database.
func (s *Store) checkIndex(ctx context.Context) (reason string, err error) {
	newer, err := migrate(ctx, s.db)
	if err != nil {
		if c := sqliteCode(err); c == sqliteCorrupt || c == sqliteNotADB || c == sqliteIOErr {
			return "", err
		}
		if c := sqliteCode(err); c == sqliteFull || c == sqliteReadOnly {
			return "", storageErr(s.dir, "prepare the index", err)
		}
		return "", err
	}
	if newer {
		return "the index was written by a newer SecureMail", nil
	}
	if s.open.Crashed {
		var res string
		if err := s.db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&res); err != nil {
			return "", err
		}
		if res != "ok" {
			return "", errors.New(res)
		}
	}
	return "", nil
}

func openDB(path string) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)",
		"secure_delete(ON)", "foreign_keys(ON)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

// OpenReport returns what Open repaired.
func (s *Store) OpenReport() Report { return s.open }

// Dir returns the mail folder.
func (s *Store) Dir() string { return s.dir }

// Close checkpoints and closes the index. After a clean Close the next Open skips the after-crash checks.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	_, _ = s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	err := s.db.Close()
	if err == nil && !s.dirty {
		if rerr := s.fs.Remove(filepath.Join(s.dir, openMarker)); rerr == nil {
			_ = s.fs.SyncDir(s.dir)
		}
	}
	if err != nil {
		return fmt.Errorf("mailstore: close the index: %w", err)
	}
	return nil
}

// lock takes the writer lock, failing when the store is closed.
func (s *Store) lock() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	return nil
}
