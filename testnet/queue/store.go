package queue

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// File layout of a queue directory:
//
//	<id>.msg        the message, exactly as received
//	<id>.json       its Meta (envelope and per-recipient status)
//	done/<id>.json  a tombstone: the message was finished (every recipient
//	                delivered or failed and notified); kept for Lifetime so
//	                that a retransmission of the same envelope is recognised
//	tmp-*           files being written; removed when the queue opens
//
// Every file is written to a tmp- name, fsynced, renamed into place, and the
// directory is fsynced before the queue reports success.

const (
	msgExt    = ".msg"
	metaExt   = ".json"
	doneDir   = "done"
	tmpPrefix = "tmp-"
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

// writeDurable writes data produced by fill to dir/name through a temporary
// file that is fsynced and renamed. The caller fsyncs dir.
func writeDurable(dir, name string, fill func(io.Writer) (int64, error)) (int64, error) {
	f, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return 0, fmt.Errorf("queue: %w", err)
	}
	tmp := f.Name()
	n, err := fill(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("queue: writing %s: %w", name, err)
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
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("queue: syncing %s: %w", dir, err)
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
	var out []Meta
	for _, e := range entries {
		name := e.Name()
		id, ok := strings.CutSuffix(name, metaExt)
		if !ok || !validID(id) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, doneDir, id+metaExt)); err == nil {
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
	return out, nil
}
