package mailstore

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"securemail/internal/durable"
)

const (
	messagesDir = "messages"
	foldersFile = "folders.json"
	indexFile   = "index.db"
	openMarker  = ".open"
	emlExt      = ".eml"
	jsonExt     = ".json"
	tmpPrefix   = durable.TempPrefix
	idLen       = 28 // 12 hex digits of milliseconds + 16 random hex digits
)

// newID returns a fresh message id: the time in milliseconds (so ids sort roughly by storing time) and 64
// random bits.
func newID(now time.Time) string {
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		panic("mailstore: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	return fmt.Sprintf("%012x", uint64(now.UnixMilli())&(1<<48-1)) + hex.EncodeToString(r[:])
}

// validID reports whether s has the shape of an id (so it can be used in a path).
func validID(s string) bool {
	if len(s) != idLen {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// subdir returns the 256-way fan-out folder of an id: its last two hex digits, which are random.
func subdir(id string) string { return id[len(id)-2:] }

func (s *Store) msgDir(id string) string { return filepath.Join(s.dir, messagesDir, subdir(id)) }
func (s *Store) emlPath(id string) string {
	return filepath.Join(s.dir, messagesDir, subdir(id), id+emlExt)
}
func (s *Store) jsonPath(id string) string {
	return filepath.Join(s.dir, messagesDir, subdir(id), id+jsonExt)
}

// sidecar is the .json file beside each .eml: everything about the message that its bytes do not say.
type sidecar struct {
	Version  int       `json:"v"`
	Folder   string    `json:"folder"` // folder id
	Received time.Time `json:"received"`
	// Arrived is when a fetched message first reached us, by our clock; zero for local messages. Sidecars
	// written before it existed hold only Received, which was that moment for a message with a Source.
	Arrived  time.Time `json:"arrived,omitzero"`
	Seen     bool      `json:"seen,omitempty"`
	Answered bool      `json:"answered,omitempty"`
	Flagged  bool      `json:"flagged,omitempty"`
	Source   *Source   `json:"source,omitempty"`
	Security *Security `json:"security,omitempty"`
	DSN      string    `json:"dsn,omitempty"`  // id of the message this delivery report is about
	Note     string    `json:"note,omitempty"` // a note that the bytes cannot reproduce (e.g. recovered)
	Gen      int64     `json:"gen"`
	// Text is readable text the caller supplied with SetText because the bytes do not show it (a signed-opaque
	// message); never set for an encrypted message.
	Text string `json:"text,omitempty"`
}

func encodeSidecar(sc sidecar) []byte {
	sc.Version = 1
	b, err := json.MarshalIndent(sc, "", " ")
	if err != nil {
		panic("mailstore: sidecar: " + err.Error()) // only plain fields: cannot fail
	}
	return append(b, '\n')
}

func decodeSidecar(b []byte) (sidecar, error) {
	var sc sidecar
	if err := json.Unmarshal(b, &sc); err != nil {
		return sc, err
	}
	if sc.Folder == "" {
		return sc, fmt.Errorf("no folder")
	}
	return sc, nil
}

// Standard folder ids and names. User folders get ids "u" + 16 hex digits.
var standardFolders = [...]struct{ id, name string }{
	{"inbox", "Inbox"}, {"outbox", "Outbox"}, {"sent", "Sent"}, {"drafts", "Drafts"}, {"trash", "Trash"},
}

// Names of the standard folders, which always exist.
const (
	Inbox  = "Inbox"
	Outbox = "Outbox"
	Sent   = "Sent"
	Drafts = "Drafts"
	Trash  = "Trash"
)

func isStandardName(name string) bool {
	for _, f := range standardFolders {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

func newFolderID() string {
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		panic("mailstore: no randomness: " + err.Error())
	}
	return "u" + hex.EncodeToString(r[:])
}

// userFolder is an entry of folders.json.
type userFolder struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type foldersDoc struct {
	Folders []userFolder `json:"folders"`
}

func msToTime(ms int64) time.Time { return time.UnixMilli(ms) }
