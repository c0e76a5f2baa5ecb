package queue

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"securemail/internal/durable"
)

// File layout of a queue directory:
//
//	journal-<n>.log new messages (meta and body), appended with group
//	                commit; see journal.go
//	<id>.msg        a message that left the journal (its state changed),
//	                exactly as received
//	<id>.json       its Meta (envelope and per-recipient status); written
//	                after the message file, so its presence (complete) is
//	                what makes the copy valid
//	done.log        one JSON line (a tombstone) per finished message (every
//	                recipient delivered or failed and notified); kept for
//	                Lifetime so that a retransmission of the same envelope
//	                is recognised; compacted when the queue opens
//	.tmp-*, tmp-*   files being written (tmp-* by older versions); removed
//	                when the queue opens
//
// A new message is appended to the journal and fdatasynced (one
// fdatasync for every Enqueue waiting at that moment) before the queue
// reports success. When its state first changes it is copied to its two
// files (created, fsynced, directory fsynced) before the journal lets it
// go. Later changes to a meta file are written to a tmp- name, fsynced and
// renamed into place, so that a meta file once complete is never seen torn.

const (
	msgExt    = ".msg"
	metaExt   = ".json"
	doneLog   = "done.log"
	tmpPrefix = durable.TempPrefix
	// oldTmpPrefix began temporary files before package durable wrote them.
	oldTmpPrefix = "tmp-"
)

// newID returns a queue id that sorts by creation time.
func newID(now time.Time) string {
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("queue: no randomness: " + err.Error())
	}
	return fmt.Sprintf("%013x%s", now.UnixMicro(), hex.EncodeToString(b[:]))
}

// validID reports whether s can be a queue id (and so a file name).
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// createDurable writes a new file dir/name in place and fsyncs it. It is
// used for a new message's two files: until the meta file is complete and
// the directory fsynced the message is not acknowledged, and Open drops a
// message whose meta file is missing or unreadable.
func createDurable(dir, name string, fill func(io.Writer) (int64, error)) (int64, error) {
	p := filepath.Join(dir, name)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, fmt.Errorf("queue: %w", err)
	}
	n, err := fill(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
		return 0, fmt.Errorf("queue: writing %s: %w", name, err)
	}
	return n, nil
}

// writeDurable writes data produced by fill to dir/name through a temporary
// file that is fsynced and renamed. The caller fsyncs dir.
func writeDurable(dir, name string, fill func(io.Writer) (int64, error)) (int64, error) {
	var n int64
	err := durable.Write(filepath.Join(dir, name), durable.Options{DeferDirSync: true}, func(f durable.File) error {
		var err error
		n, err = fill(f)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("queue: %w", err)
	}
	return n, nil
}

func writeJSON(dir, name string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	_, err = writeDurable(dir, name, func(w io.Writer) (int64, error) {
		n, err := w.Write(append(b, '\n'))
		return int64(n), err
	})
	return err
}

// syncDir makes renames and removals in dir durable.
func syncDir(dir string) error {
	if err := durable.SyncDir(dir); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	return nil
}

// tombstone records that a message is finished.
type tombstone struct {
	ID    string    `json:"id"`
	EnvID string    `json:"envid"`
	Rcpts []string  `json:"rcpts"`
	At    time.Time `json:"at"`
}

// ReadDir returns the metadata of every message in a queue directory,
// oldest first, without opening the queue. It is for inspection by another
// process (`securemail testnet queue`); finished messages whose files are
// still present are left out.
func ReadDir(dir string) ([]Meta, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	finished := map[string]bool{}
	stones, _ := readTombstones(filepath.Join(dir, doneLog))
	for _, ts := range stones {
		finished[ts.ID] = true
	}
	var out []Meta
	for _, e := range entries {
		name := e.Name()
		id, ok := strings.CutSuffix(name, metaExt)
		if !ok || !validID(id) {
			continue
		}
		if finished[id] {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue // removed meanwhile
		}
		var m Meta
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("queue: %s is damaged: %w", name, err)
		}
		out = append(out, m)
	}
	// Messages still in the journal, unless finished or copied out.
	own := map[string]bool{}
	for _, m := range out {
		own[m.ID] = true
	}
	segs, err := segments(dir)
	if err != nil {
		return nil, err
	}
	for _, seg := range segs {
		_ = readSegment(filepath.Join(dir, segName(seg)), seg, func(m Meta, _ jloc) {
			if !finished[m.ID] && !own[m.ID] {
				out = append(out, m)
			}
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// dropTornLine cuts a line-per-record log after its last complete line:
// a line torn by a crash would otherwise swallow the next record appended.
func dropTornLine(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return fmt.Errorf("queue: %w", err)
	}
	whole := bytes.LastIndexByte(b, '\n') + 1
	if whole == len(b) {
		return nil
	}
	if err := os.Truncate(path, int64(whole)); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	return nil
}

// readTombstones reads done.log, skipping damaged lines (a line torn by a
// crash only weakens duplicate detection).
func readTombstones(path string) ([]tombstone, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("queue: %w", err)
	}
	var out []tombstone
	for _, line := range strings.Split(string(b), "\n") {
		var ts tombstone
		if line == "" || json.Unmarshal([]byte(line), &ts) != nil || !validID(ts.ID) {
			continue
		}
		out = append(out, ts)
	}
	return out, nil
}
