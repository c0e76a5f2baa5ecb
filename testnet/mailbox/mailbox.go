// Package mailbox keeps the national servers' mailboxes on disk, one
// Maildir-like folder per user: tmp/ for messages being written, new/ for
// delivered messages. seen.log at the root lists every keyed delivery ever
// made (so that a retransmission is not delivered twice, even after the
// user deleted the first copy).
package mailbox

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"securemail/internal/durable"
)

// Store is the root folder of all mailboxes of one server. It is safe for
// concurrent use within one process.
type Store struct {
	dir string

	mu   sync.Mutex
	seen map[string]bool // "user/uid" of keyed deliveries
	// inflight holds the keyed deliveries being made ("user/uid"), each
	// with a channel closed when it is done: a second delivery with the
	// same key waits for the first.
	inflight map[string]chan struct{}
	log      *os.File // seen.log, appended to
	dirs     map[string]*dirSyncer
	// syncDir makes a folder's renames durable (fsync); tests replace it
	// to delay or fail it.
	syncDir func(dir string) error
}

// dirSyncer shares directory fsyncs between concurrent deliveries to one
// folder (group commit): a delivery whose rename is done waits for an
// fsync of the folder that started after its rename; one fsync covers
// every rename made before it started — and when it fails, it fails for
// every one of them, not only for the delivery that ran it (a second
// fsync would report success without making them durable).
type dirSyncer struct {
	mu      sync.Mutex
	cond    *sync.Cond
	renamed uint64     // renames so far
	synced  uint64     // renames made durable
	lost    []lostSpan // renames whose fsync failed
	syncing bool
}

// lostSpan is the renames (from, to] covered by a failed fsync.
type lostSpan struct {
	from, to uint64
	err      error
}

// renamedAndSync records a rename just made in dir and returns once it is
// durable.
func (d *dirSyncer) renamedAndSync(dir string, syncDir func(string) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.renamed++
	mine := d.renamed
	for {
		for _, l := range d.lost {
			if mine > l.from && mine <= l.to {
				return l.err
			}
		}
		if d.synced >= mine {
			return nil
		}
		if d.syncing {
			d.cond.Wait()
			continue
		}
		d.syncing = true
		from, target := d.synced, d.renamed
		d.mu.Unlock()
		err := syncDir(dir)
		d.mu.Lock()
		d.syncing = false
		d.cond.Broadcast()
		if err != nil {
			d.lost = append(d.lost, lostSpan{from, target, err})
			continue
		}
		if target > d.synced {
			d.synced = target
		}
	}
}

func (s *Store) syncer(dir string) *dirSyncer {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.dirs[dir]
	if d == nil {
		d = &dirSyncer{}
		d.cond = sync.NewCond(&d.mu)
		s.dirs[dir] = d
	}
	return d
}

// Open returns the store in dir, creating dir if needed.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mailbox: %w", err)
	}
	s := &Store{dir: dir, seen: map[string]bool{}, inflight: map[string]chan struct{}{}, dirs: map[string]*dirSyncer{}, syncDir: durable.SyncDir}
	p := filepath.Join(dir, "seen.log")
	if b, err := os.ReadFile(p); err == nil {
		whole := bytes.LastIndexByte(b, '\n') + 1
		for _, l := range strings.Split(string(b[:whole]), "\n") {
			if l != "" {
				s.seen[l] = true
			}
		}
		if whole < len(b) {
			// A line cut short by a crash: drop it, or the next record
			// appended would be glued to it and lost.
			if err := os.Truncate(p, int64(whole)); err != nil {
				return nil, fmt.Errorf("mailbox: %w", err)
			}
		}
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("mailbox: %w", err)
	}
	s.log = f
	return s, nil
}

// Close closes the store's log.
func (s *Store) Close() error { return s.log.Close() }

// Message is one stored message.
type Message struct {
	UID  string
	Size int64
}

func (s *Store) userDir(user string) (string, error) {
	u := strings.ToLower(user)
	if u == "" || strings.ContainsAny(u, "/\\\x00") || u == "." || u == ".." {
		return "", fmt.Errorf("mailbox: %q cannot be a mailbox name", user)
	}
	return filepath.Join(s.dir, u), nil
}

func validUID(uid string) bool {
	if uid == "" || len(uid) > 70 {
		return false
	}
	for _, r := range uid {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// Deliver stores body in user's mailbox and makes it durable. key
// identifies the delivery (the envelope id); a second delivery with the same
// key and user is recognised and dropped (dup is true). An empty key never
// matches. Bare LF line endings are stored as CR LF, as POP3 sends them.
func (s *Store) Deliver(user, key string, body io.Reader) (dup bool, err error) {
	ud, err := s.userDir(user)
	if err != nil {
		return false, err
	}
	newDir := filepath.Join(ud, "new")
	if _, err := os.Stat(newDir); err != nil {
		if err := s.makeMailbox(ud); err != nil {
			return false, err
		}
	}
	var uid string
	if key != "" {
		sum := sha256.Sum256([]byte(key + "\x00" + strings.ToLower(user)))
		uid = hex.EncodeToString(sum[:16])
		k := filepath.Base(ud) + "/" + uid
		done, dup := s.begin(k)
		if dup {
			return true, nil
		}
		defer done()
		if _, err := os.Stat(filepath.Join(newDir, uid)); err == nil {
			// Left by a delivery whose record was lost (a crash before
			// seen.log was written): a duplicate once the folder is
			// known durable.
			if err := s.syncer(newDir).renamedAndSync(newDir, s.syncDir); err != nil {
				return false, fmt.Errorf("mailbox: delivering to %s: %w", user, err)
			}
			s.record(k)
			return true, nil
		}
	} else {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return false, fmt.Errorf("mailbox: %w", err)
		}
		uid = hex.EncodeToString(b[:])
	}
	dst := filepath.Join(newDir, uid)
	err = durable.Write(dst, durable.Options{TempDir: filepath.Join(ud, "tmp"), DeferDirSync: true}, func(f durable.File) error {
		bw := bufio.NewWriterSize(f, 64*1024)
		if err := copyCRLF(bw, body); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		// List orders by modification time: a nanosecond one, as the
		// file system's own may be as coarse as a clock tick.
		now := time.Now()
		return os.Chtimes(f.Name(), now, now)
	})
	if err != nil {
		return false, fmt.Errorf("mailbox: delivering to %s: %w", user, err)
	}
	if err := s.syncer(newDir).renamedAndSync(newDir, s.syncDir); err != nil {
		// Not known durable: take it back, so that the sender's retry
		// stores it once (an unkeyed retry gets a new name).
		os.Remove(dst)
		return false, fmt.Errorf("mailbox: delivering to %s: %w", user, err)
	}
	if key != "" {
		s.record(filepath.Base(ud) + "/" + uid)
	}
	return false, nil
}

// record notes the keyed delivery k ("user/uid") in seen.log. The record
// needs no fsync: until it is on disk the message file itself, under the
// same name, marks the delivery.
func (s *Store) record(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen[k] = true
	s.log.WriteString(k + "\n")
}

// makeMailbox creates a user's folders, durably: the folders' own entries
// are fsynced in their parents, so that a message made durable in new/
// cannot be lost with its folder.
func (s *Store) makeMailbox(ud string) error {
	for _, d := range []string{"tmp", "new"} {
		if err := os.MkdirAll(filepath.Join(ud, d), 0o700); err != nil {
			return fmt.Errorf("mailbox: %w", err)
		}
	}
	for _, d := range []string{ud, s.dir} {
		if err := durable.SyncDir(d); err != nil {
			return fmt.Errorf("mailbox: %w", err)
		}
	}
	return nil
}

// begin starts the keyed delivery k ("user/uid"): it waits for one with
// the same key in flight, and reports dup when k was delivered. Otherwise
// the caller calls done when finished.
func (s *Store) begin(k string) (done func(), dup bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.seen[k] {
			return nil, true
		}
		ch := s.inflight[k]
		if ch == nil {
			break
		}
		s.mu.Unlock()
		<-ch
		s.mu.Lock()
	}
	ch := make(chan struct{})
	s.inflight[k] = ch
	return func() {
		s.mu.Lock()
		delete(s.inflight, k)
		close(ch)
		s.mu.Unlock()
	}, false
}

// copyCRLF copies r to w turning bare LF into CR LF.
func copyCRLF(w *bufio.Writer, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64*1024)
	prevCR := false // the previous chunk ended in CR (a line split by the buffer)
	for {
		chunk, err := br.ReadSlice('\n')
		if n := len(chunk); n > 0 {
			if chunk[n-1] == '\n' {
				cr := (n >= 2 && chunk[n-2] == '\r') || (n == 1 && prevCR)
				w.Write(chunk[:n-1])
				if !cr {
					w.WriteByte('\r')
				}
				w.WriteByte('\n')
			} else {
				w.Write(chunk)
			}
			prevCR = chunk[n-1] == '\r'
		}
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case err == io.EOF:
			return nil
		default:
			return err
		}
	}
}

// List returns user's messages, oldest first.
func (s *Store) List(user string) ([]Message, error) {
	ud, err := s.userDir(user)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(ud, "new"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mailbox: %w", err)
	}
	type item struct {
		Message
		mod int64
	}
	var items []item
	for _, e := range entries {
		if !validUID(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		items = append(items, item{Message{UID: e.Name(), Size: info.Size()}, info.ModTime().UnixNano()})
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].mod != items[j].mod {
			return items[i].mod < items[j].mod
		}
		return items[i].UID < items[j].UID
	})
	out := make([]Message, len(items))
	for i, it := range items {
		out[i] = it.Message
	}
	return out, nil
}

// Open returns one message's bytes.
func (s *Store) Open(user, uid string) (io.ReadCloser, error) {
	ud, err := s.userDir(user)
	if err != nil {
		return nil, err
	}
	if !validUID(uid) {
		return nil, fmt.Errorf("mailbox: no message %q", uid)
	}
	f, err := os.Open(filepath.Join(ud, "new", uid))
	if err != nil {
		return nil, fmt.Errorf("mailbox: %w", err)
	}
	return f, nil
}

// Delete removes messages from user's mailbox.
func (s *Store) Delete(user string, uids []string) error {
	ud, err := s.userDir(user)
	if err != nil {
		return err
	}
	var errs []error
	for _, uid := range uids {
		if !validUID(uid) {
			continue
		}
		if err := os.Remove(filepath.Join(ud, "new", uid)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := durable.SyncDir(filepath.Join(ud, "new")); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("mailbox: %w", err)
	}
	return nil
}

// Bytes is a convenience for tests and tools: the message as a byte slice.
func (s *Store) Bytes(user, uid string) ([]byte, error) {
	rc, err := s.Open(user, uid)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(rc)
	return b.Bytes(), err
}
