package app

import (
	"fmt"

	"securemail/app/compose"
)

// DefaultMaxMessageSize is the configured maximum message size when the
// settings name none: 10 MB, as sent.
const DefaultMaxMessageSize = 10 << 20

// SizeLimit is the largest message the account can send, as sent (after
// base64 and encryption), and where that number comes from.
type SizeLimit struct {
	Octets int64
	// Server is the SMTP server that announced the limit (its SIZE), ""
	// when the limit is the configured maximum.
	Server string
}

// SizeLimit returns the limit the composer checks attachments against:
// the SMTP server's SIZE when it is known for the account's server, else
// the configured maximum.
func (a *App) SizeLimit() (SizeLimit, error) {
	s, err := a.Settings()
	if err != nil {
		return SizeLimit{}, err
	}
	if s.ServerMaxSize > 0 && s.ServerMaxSizeOf == s.Account.SMTP.Address {
		return SizeLimit{Octets: s.ServerMaxSize, Server: s.ServerMaxSizeOf}, nil
	}
	if s.MaxMessageSize > 0 {
		return SizeLimit{Octets: s.MaxMessageSize}, nil
	}
	return SizeLimit{Octets: DefaultMaxMessageSize}, nil
}

// rememberServerSize keeps the SIZE the SMTP server at addr announced.
// Best effort: without it the configured maximum applies.
func (a *App) rememberServerSize(addr string, size int64) {
	s, err := a.Settings()
	if err != nil {
		return
	}
	s.ServerMaxSize, s.ServerMaxSizeOf = size, addr
	_ = a.SaveSettings(s)
}

// TooLargeError is an attachment that would make the message larger than
// the account can send. Sizes are in octets: Size the file's, Encoded the
// whole message's as sent (base64, and encryption's base64 again, each
// adding about a third).
type TooLargeError struct {
	Name          string
	Size, Encoded int64
	Limit         SizeLimit
	Encrypted     bool
}

func (e *TooLargeError) Error() string {
	by := "the configured maximum"
	if e.Limit.Server != "" {
		by = "the mail server " + e.Limit.Server
	}
	return fmt.Sprintf("app: %s (%d octets) would make the message %d octets as sent, and %s accepts at most %d octets", e.Name, e.Size, e.Encoded, by, e.Limit.Octets)
}

// CheckAttachment says whether the draft, with one more attachment,
// still fits the account's size limit once encoded for sending; a
// *TooLargeError when it does not, before the file is attached.
func (a *App) CheckAttachment(d *compose.Draft, add compose.Attachment, opts SendOptions) error {
	limit, err := a.SizeLimit()
	if err != nil {
		return err
	}
	return CheckSize(d, add, opts, limit)
}

// CheckSize is CheckAttachment against a given limit.
func CheckSize(d *compose.Draft, add compose.Attachment, opts SendOptions, limit SizeLimit) error {
	sizes := make([]int64, 0, len(d.Attachments)+1)
	for _, a := range d.Attachments {
		sizes = append(sizes, int64(len(a.Data)))
	}
	sizes = append(sizes, int64(len(add.Data)))
	enc := EncodedSize(int64(len(d.Text)), sizes, opts.Sign, opts.Encrypt, len(d.Recipients()))
	if enc <= limit.Octets {
		return nil
	}
	return &TooLargeError{Name: add.Name, Size: int64(len(add.Data)), Encoded: enc, Limit: limit, Encrypted: opts.Encrypt}
}

// EncodedSize estimates, from above, a message's size as sent: its text
// and attachments (sizes in octets) in MIME — attachments in base64, 76
// characters a line — then, when signed, the signature with its
// certificates, and, when encrypted for recipients (and the sender), the
// whole encrypted again in base64.
func EncodedSize(text int64, attachments []int64, sign, encrypt bool, recipients int) int64 {
	const header, partHeader, signature, perRecipient, envelope = 1024, 256, 8192, 1024, 512
	n := header + text + text/10 // quoted-printable
	for _, a := range attachments {
		n += partHeader + base64Lines(a)
	}
	if sign {
		n += signature
	}
	if encrypt {
		n = header + base64Lines(n+16+envelope+int64(recipients+1)*perRecipient)
	}
	return n
}

// base64Lines is the size of n octets in base64 with CRLF every 76 characters.
func base64Lines(n int64) int64 {
	chars := (n + 2) / 3 * 4
	return chars + 2*((chars+75)/76)
}
