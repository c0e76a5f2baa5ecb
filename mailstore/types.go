package mailstore

import (
	"time"

	"securemail/internal/mailheader"
)

// Source is where a fetched message came from: the POP3 account and the message's UIDL. The store refuses a
// second message with the same source, so a re-fetch after a crash never duplicates.
type Source struct {
	Account string `json:"account"`
	UIDL    string `json:"uidl"`
}

// Signature statuses, as in the "signature" field of docs/ARCHITECTURE.md §3.2.
const (
	SigValid           = "valid"
	SigInvalid         = "invalid"
	SigUntrusted       = "untrusted"
	SigExpired         = "expired"
	SigWeakAlgorithm   = "weak-algorithm"
	SigAddressMismatch = "address-mismatch"
	// SigBadFrom: the From field names no single sender (docs/SECURITY.md, "Who sent it").
	SigBadFrom = "bad-from"
	SigNone    = "none"
	// SigUnverified is the status of a message whose structure is signed but which has not been opened yet.
	SigUnverified = ""
)

// Security is what opening a message (decrypt, verify) found; the caller records it with [Store.SetSecurity].
type Security struct {
	Signed    bool   `json:"signed"`
	Signature string `json:"signature"` // one of the Sig* constants
	Encrypted bool   `json:"encrypted"`
	Signer    string `json:"signer,omitempty"` // the signer's e-mail address
	// Sender is the sender as shown once the signature is known (mailheader.Shown: the signer's certified
	// address, marked when the From field's name holds another address); nil keeps the From field as indexed.
	Sender *mailheader.Sender `json:"sender,omitempty"`
	// From is Sender's English text (its String), written into the message's .json file for an older
	// SecureMail; a file written before Sender existed holds only this, and the store reads it back with the
	// marks recomputed from the message (see legacySender). Callers set Sender.
	From string `json:"from,omitempty"`
	// Subject is the Subject the message protects inside its signature or encryption (RFC 9788 header
	// protection): what the reader, the list and search show instead of the outer one (an encrypted message's
	// outer Subject is often "[...]", a relay may rewrite a signed one's); "" keeps the Subject as indexed. It
	// is kept in the message's .json file, so a rebuilt index shows it too.
	Subject string `json:"subject,omitempty"`
}

// Flags are the user's marks on a message.
type Flags uint8

// Flag values; combine with |.
const (
	Seen Flags = 1 << iota
	Answered
	Flagged
)

// Row is one line of a folder listing: the fields of `messages list --json` (docs/ARCHITECTURE.md §3.2) and a few more.
type Row struct {
	ID          string    `json:"id"`
	Folder      string    `json:"folder"`
	From        string    `json:"from"` // Sender's English text, marks included
	To          string    `json:"to"`
	Subject     string    `json:"subject"`
	Date        time.Time `json:"date"`
	Signed      bool      `json:"signed"`
	Signature   string    `json:"signature"`
	Encrypted   bool      `json:"encrypted"`
	DSN         string    `json:"dsn"` // a delivery report: id of the message it is about; "" otherwise
	Seen        bool      `json:"seen"`
	Answered    bool      `json:"answered"`
	Flagged     bool      `json:"flagged"`
	Size        int64     `json:"size"`
	Attachments int       `json:"attachments"`
	// Sender is From as data: the sender's words and its marks apart, for the window to say the marks in
	// its language (docs/ARCHITECTURE.md §7).
	Sender mailheader.Sender `json:"-"`
}

// Shown is the sender as data for the window: Sender, or for a Row built without it by a caller that knows only
// the English text, From as plain text.
func (r Row) Shown() mailheader.Sender {
	if r.Sender == (mailheader.Sender{}) {
		return mailheader.Sender{Text: r.From}
	}
	return r.Sender
}

// Message is one message with everything the index knows and its raw bytes.
type Message struct {
	Row
	FromAddr   string    // first From address, lower case
	Cc         string    //
	MessageID  string    // with angle brackets
	InReplyTo  string    // space-separated <ids>
	References string    // space-separated <ids>
	Signer     string    // from the recorded security status
	Verified   bool      // the caller recorded a security status with SetSecurity
	Received   time.Time // when the store got it
	Arrived    time.Time // when it first reached us from a server, by our clock; zero for local messages
	Source     *Source   // nil for local messages
	Note       string    // what could not be read in it, for the user; "" when all went well
	Raw        []byte    // the exact bytes stored
}
