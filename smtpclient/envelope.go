package smtpclient

import (
	"strings"

	"github.com/emersion/go-smtp"
)

// Envelope is what the server delivers by: the sender (MAIL FROM; "" for
// the null sender of a report) and the recipients (RCPT TO), which may
// differ from the message's From/To/Cc header (Bcc recipients appear only
// here).
type Envelope struct {
	From string
	To   []string
	DSN  *DSN // delivery status notification requests; nil for the server's default
}

// DSN asks for delivery status notifications (RFC 3461). The parameters
// are sent only when the server advertises DSN; Result.DSN says whether
// they were.
type DSN struct {
	// Return is what a report quotes of the message: DSNReturnFull or
	// DSNReturnHeaders; "" leaves it to the server.
	Return string
	// Notify is when to report, for every recipient: DSNNotifyNever alone,
	// or any of DSNNotifySuccess, DSNNotifyFailure, DSNNotifyDelay.
	Notify []string
	// EnvelopeID is the sender's identifier of this transmission, quoted
	// back in reports (printable ASCII, at most 100 characters).
	EnvelopeID string
}

// DSN parameter values.
const (
	DSNReturnFull    = "FULL"
	DSNReturnHeaders = "HDRS"
	DSNNotifyNever   = "NEVER"
	DSNNotifySuccess = "SUCCESS"
	DSNNotifyFailure = "FAILURE"
	DSNNotifyDelay   = "DELAY"
)

// Result is the outcome of one message. The message was sent when Send
// returns no error: then Accepted holds at least one recipient, and Refused
// says who was not accepted and why.
type Result struct {
	Accepted []string
	Refused  []RecipientError
	// Reply is the server's reply to the end of the message, such as
	// "2.0.0 Ok: queued as 4FE2E988F02".
	Reply string
	// DSN reports whether the DSN parameters were sent (the server
	// advertised DSN and Envelope.DSN was set).
	DSN bool
	// EightBit and UTF8 report whether BODY=8BITMIME and SMTPUTF8 were
	// needed by the message (go-smtp adds BODY=8BITMIME whenever the server
	// offers it).
	EightBit, UTF8 bool
	// MaxSize is the server's SIZE limit in octets, 0 when it names none.
	MaxSize int64
}

// check validates the envelope before anything is sent.
func (e Envelope) check() error {
	if err := checkAddress("sender", e.From, true); err != nil {
		return err
	}
	if len(e.To) == 0 {
		return detailf(ErrBadAddress, "the message has no recipient")
	}
	for _, to := range e.To {
		if err := checkAddress("recipient", to, false); err != nil {
			return err
		}
	}
	if e.DSN != nil {
		return e.DSN.check()
	}
	return nil
}

func (d *DSN) check() error {
	switch d.Return {
	case "", DSNReturnFull, DSNReturnHeaders:
	default:
		return detailf(ErrBadAddress, "the DSN return value %q is not FULL or HDRS", d.Return)
	}
	seen := map[string]bool{}
	for _, n := range d.Notify {
		switch n {
		case DSNNotifyNever, DSNNotifySuccess, DSNNotifyFailure, DSNNotifyDelay:
		default:
			return detailf(ErrBadAddress, "the DSN notify value %q is not NEVER, SUCCESS, FAILURE or DELAY", n)
		}
		if seen[n] {
			return detailf(ErrBadAddress, "the DSN notify value %s is given twice", n)
		}
		seen[n] = true
	}
	if seen[DSNNotifyNever] && len(seen) > 1 {
		return detailf(ErrBadAddress, "DSN notify NEVER cannot be combined with other values")
	}
	if len(d.EnvelopeID) > 100 {
		return detailf(ErrBadAddress, "the DSN envelope ID is longer than 100 characters")
	}
	for i := 0; i < len(d.EnvelopeID); i++ {
		if b := d.EnvelopeID[i]; b < 0x20 || b > 0x7e {
			return detailf(ErrBadAddress, "the DSN envelope ID %q must be printable ASCII", d.EnvelopeID)
		}
	}
	return nil
}

// needsUTF8 reports whether an envelope address is not ASCII (RFC 6531).
func (e Envelope) needsUTF8() bool {
	if !isASCII(e.From) {
		return true
	}
	for _, to := range e.To {
		if !isASCII(to) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// mailOptions builds go-smtp's MAIL FROM parameters.
func (e Envelope) mailOptions(size int64, utf8, dsn bool) *smtp.MailOptions {
	o := &smtp.MailOptions{Size: size, UTF8: utf8}
	if dsn && e.DSN != nil {
		o.Return = smtp.DSNReturn(e.DSN.Return)
		o.EnvelopeID = e.DSN.EnvelopeID
	}
	return o
}

// rcptOptions builds go-smtp's RCPT TO parameters.
func (e Envelope) rcptOptions(dsn bool) *smtp.RcptOptions {
	if !dsn || e.DSN == nil || len(e.DSN.Notify) == 0 {
		return nil
	}
	o := &smtp.RcptOptions{}
	for _, n := range e.DSN.Notify {
		o.Notify = append(o.Notify, smtp.DSNNotify(strings.ToUpper(n)))
	}
	return o
}
