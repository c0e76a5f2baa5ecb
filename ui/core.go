// Package ui is SecureMail's Fyne interface: the first-run wizard, the main
// window (folders, message list, reader), the composer, the address book, the
// secure-link view, the settings and the offline network panel. It never
// imports fyne.io/fyne/v2/app, so its tests run headless without cgo; main
// builds the fyne.App and hands it to Run.
//
// The views depend on the small interfaces below, not on *app.App: tests use
// fakes, and AppCore adapts the real core.
package ui

import (
	"context"
	"crypto/x509"
	"time"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/compose"
	"securemail/app/digitalid"
	"securemail/app/profile"
	"securemail/app/revocation"
	"securemail/mailstore"
)

// Mailbox is what the main window reads and does with the mail.
type Mailbox interface {
	Folders(ctx context.Context) ([]mailstore.Folder, error)
	Count(ctx context.Context, folder string) (int, error)
	List(ctx context.Context, folder string, order mailstore.Sort, offset, limit int) ([]mailstore.Row, error)
	Search(ctx context.Context, query string) ([]mailstore.Row, error)
	OpenMessage(ctx context.Context, id string) (*app.MessageView, error)
	Delete(ctx context.Context, ids []string) error
	MarkSeen(ctx context.Context, id string) error
	Fetch(ctx context.Context, progress app.Progress) (*app.FetchResult, error)
	FlushOutbox(ctx context.Context) (int, error)
	AddDigitalIDFromMessage(ctx context.Context, id string) ([]string, error)
	// SetSeen marks a message read or unread.
	SetSeen(ctx context.Context, id string, seen bool) error
	// Restore takes messages out of Trash (to the Inbox, or Sent for the
	// user's own) and returns the folder of each.
	Restore(ctx context.Context, ids []string) ([]string, error)
	// Move puts messages in another folder.
	Move(ctx context.Context, ids []string, folder string) error
	// EmptyTrash removes every message in Trash for good.
	EmptyTrash(ctx context.Context) error
	// OpenDraft reads a message of the Drafts folder back for the composer.
	OpenDraft(ctx context.Context, id string) (*compose.Draft, compose.DraftOptions, error)
}

// Sender is what the composer needs.
type Sender interface {
	Settings() (profile.Settings, error)
	Contacts() ([]app.ContactView, error)
	Send(ctx context.Context, d *compose.Draft, opts app.SendOptions) (*app.SendResult, error)
	RequestSecureLink(ctx context.Context, addrs []string) error
	// WatchContacts calls fn (on any goroutine, quickly) whenever the
	// address book changes — a Digital ID arrived by a fetch, a secure
	// link or an import — until stop is called.
	WatchContacts(fn func()) (stop func())
	// SaveDraft keeps the message being written in Drafts, replacing the
	// draft replaces ("" for none), and returns the new draft's id.
	SaveDraft(ctx context.Context, replaces string, d *compose.Draft, opts compose.DraftOptions) (string, error)
	// DiscardDraft removes a draft for good.
	DiscardDraft(ctx context.Context, id string) error
	// CheckAttachment says, before a file is attached, whether the message
	// would still fit the size limit once encoded (*app.TooLargeError).
	CheckAttachment(d *compose.Draft, add compose.Attachment, opts app.SendOptions) error
}

// AddressBook is what the address book window edits.
type AddressBook interface {
	Contacts() ([]app.ContactView, error)
	ImportDigitalID(data []byte) ([]string, error)
	RemoveDigitalID(addr, fingerprint string) error
	SetDefaultDigitalID(addr, fingerprint string) error
	SaveContact(c *addressbook.Contact) error
	RemoveContact(addr string) error
}

// Linker is the secure-link exchange.
type Linker interface {
	SecureLinkStatus() ([]app.LinkRow, error)
	RequestSecureLink(ctx context.Context, addrs []string) error
	ReplySecureLink(ctx context.Context, addr string) error
}

// Setupper carries out the first-run wizard.
type Setupper interface {
	SetupAccount(ctx context.Context, s app.Setup) error
	SetupFromHandout(ctx context.Context, dir string, trustRoot bool) error
	ConnectionTester
}

// ConnectionTester runs the wizard's Test connection: the core's
// [app.TestConnection], each step reported through report (from its own
// goroutine), the first failure of each server returned.
type ConnectionTester interface {
	TestConnection(ctx context.Context, s app.Setup, report func(app.ConnStep)) error
}

// Preferences are the settings window's data: account, defaults, trust and
// the user's own Digital IDs.
type Preferences interface {
	Settings() (profile.Settings, error)
	SaveSettings(s profile.Settings) error
	MyIDs() ([]digitalid.MyID, error)
	ExportP7B() ([]byte, error)
	ImportPFX(data []byte, password string) (*digitalid.MyID, error)
	Roots() ([]*x509.Certificate, error)
	// TrustRoot trusts a root authority the user confirmed (the wizard's
	// check and tick, in Settings → Trusted authorities).
	TrustRoot(a *digitalid.Authority) error
	RemoveRoot(cert *x509.Certificate) error
	// ImportCRL keeps a certificate revocation list file signed by a
	// known authority.
	ImportCRL(data []byte) (revocation.Kept, error)
	SetPasswords(pop3, smtp string) error
	// TestAccount checks the saved account's servers with the passwords
	// in the keyring ([app.App.TestAccount]).
	TestAccount(ctx context.Context, report func(app.ConnStep)) error
	Now() time.Time
}

// Core is everything the GUI uses; *app.App is adapted to it by AppCore.
type Core interface {
	Mailbox
	Sender
	AddressBook
	Linker
	Setupper
	Preferences
	HasAccount() bool
}
