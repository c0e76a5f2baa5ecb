// Package app is SecureMail's core without windows: one App per profile
// ties together the settings, the Digital IDs (keys in the OS keyring), the
// address book, the mail store, and the mail flows — fetch over POP3, send
// over SMTP with Sign / Encrypt, and the secure-link exchange. The GUI (ui)
// and the command line (cli) are two faces on it.
package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"securemail/app/addressbook"
	"securemail/app/digitalid"
	"securemail/app/keystore"
	"securemail/app/profile"
	"securemail/app/revocation"
	"securemail/mailstore"
	"securemail/smime"
	"securemail/smime/envelope"
)

// Options change how Open sets an App up.
type Options struct {
	// Keys is where secrets go; nil means the OS keyring of the profile.
	Keys keystore.Store
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// App is an opened profile.
type App struct {
	Profile *profile.Profile
	Keys    keystore.Store
	Wallet  *digitalid.Wallet
	Book    *addressbook.Book
	Store   *mailstore.Store
	// Revocation keeps the certificate revocation lists (profile's crls/).
	Revocation *revocation.Store
	now        func() time.Time

	// keyMu guards keys: the private keys of the user's Digital IDs, read
	// from the keyring once per App (a keyring round trip, or a scrypt
	// derivation with the key file, costs more than opening a message).
	keyMu sync.Mutex
	keys  []envelope.Key
}

// Open opens (creating when new) the profile in dir and its mail store.
func Open(ctx context.Context, dir string, opts Options) (*App, error) {
	p, err := profile.Open(dir)
	if err != nil {
		return nil, err
	}
	keys := opts.Keys
	if keys == nil {
		k, err := keystore.ForProfile(p.Dir)
		if err != nil {
			return nil, err
		}
		keys = k
	}
	book, err := addressbook.Open(p)
	if err != nil {
		return nil, err
	}
	store, err := mailstore.Open(ctx, p.MailDir, mailstore.Options{})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &App{Profile: p, Keys: keys, Wallet: digitalid.Open(p, keys), Book: book, Store: store, now: now,
		Revocation: revocation.Open(p.Path("crls"), now, nil)}, nil
}

// Close closes the mail store.
func (a *App) Close() error { return a.Store.Close() }

// Now is the App's clock.
func (a *App) Now() time.Time { return a.now() }

// Settings returns the profile's settings; ErrNoAccount (profile package)
// before the account is set up.
func (a *App) Settings() (profile.Settings, error) { return a.Profile.Load() }

// SaveSettings stores changed settings.
func (a *App) SaveSettings(s profile.Settings) error { return a.Profile.Save(s) }

// ---- Account set-up (the wizard's logic) ----

// Setup is everything the first-run wizard collects.
type Setup struct {
	Address      string
	DisplayName  string
	POP3, SMTP   profile.Server
	POP3Password string
	SMTPPassword string // "" means the same as POP3Password
	ServerCA     []byte // PEM of a private CA for the servers' TLS, or nil
	RootCA       []byte // Root_CA.cer as read from the file
	ECCA         []byte // EC_CA.cer
	PFX          []byte // Mail.pfx
	PFXPassword  string
	// TrustRoot is the user's explicit "Trust this authority to identify
	// e-mail senders"; without it Setup refuses.
	TrustRoot bool
	Bundled   bool
}

// ---- Reading ----

// MessageView is an opened message: what the store knows and what opening
// it (decrypting, verifying) found.
type MessageView struct {
	Message *mailstore.Message
	Report  *smime.Report
}

// ---- Fetch ----

// Progress reports how far a long operation has got.
type Progress func(done, total int)

// FetchResult says what a fetch brought.
type FetchResult struct {
	New       int      // messages stored
	Reports   int      // delivery status notifications among them
	Harvested []string // addresses whose Digital ID was added to the address book
}

// ---- Send ----

// SendOptions are the composer's toggles.
type SendOptions struct {
	Sign    bool
	Encrypt bool
	// Draft is the id of the draft the message was written from (""
	// for none): it is removed once the message is in the Outbox.
	Draft string
}

// NoDigitalIDError is the refusal of docs/UX.md §3: encryption was asked
// for, and these recipients have no valid Digital ID. Nothing was sent.
type NoDigitalIDError struct {
	Recipients []MissingID
}

// MissingID is one recipient that cannot be encrypted for, and why.
type MissingID struct {
	Address string
	Reason  string // e.g. "has no Digital ID yet", "whose Digital ID expired on 2 November 2026"
	// Verdict is the contact's evaluation Reason words (Status None when
	// there is no contact): the window says why in its own language from
	// it (Verdict.Phrase).
	Verdict addressbook.ContactVerdict `json:"-"`
}

func (e *NoDigitalIDError) Error() string {
	var parts []string
	for _, m := range e.Recipients {
		parts = append(parts, m.Address+" "+m.Reason)
	}
	return fmt.Sprintf("app: this message cannot be encrypted: %s; ask them for their Digital ID (secure link) or send without encryption", strings.Join(parts, "; "))
}

// SendResult says what happened to a message.
type SendResult struct {
	ID       string   // the stored message (Sent, or Outbox when queued)
	Queued   bool     // kept in the Outbox: the server could not be reached; retried later
	Refused  []string // recipients the server refused, with its reason
	Accepted []string
	// Notice is the sentence to show when the message was queued.
	Notice string
	cause  error // why a queued message could not be sent now
}

// ---- Address book ----

// ContactView is a contact with its evaluated status.
type ContactView struct {
	Contact *addressbook.Contact
	Verdict addressbook.ContactVerdict
}

// ---- Secure link ----

// LinkRow is one line of `securelink status`.
type LinkRow struct {
	Address string                `json:"address"`
	State   addressbook.LinkState `json:"state"`
}
