// Package dsn writes RFC 3464 delivery status notifications: the delay
// warning and the non-delivery report that the TESTA relays and national
// servers send to an originator.
//
// A report is multipart/report; report-type=delivery-status with three
// parts: a human-readable text/plain explanation, the machine-readable
// message/delivery-status, and text/rfc822-headers with the original
// message's header (RFC 3462, RFC 3464 §2).
package dsn

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message/textproto"
)

// Actions (RFC 3464 §2.3.3) used by the network.
const (
	ActionDelayed = "delayed"
	ActionFailed  = "failed"
)

// Recipient is one per-recipient block of the report.
type Recipient struct {
	FinalRecipient string    // the address that could not be reached
	Action         string    // ActionDelayed or ActionFailed
	Status         string    // e.g. "4.4.7" or "5.4.7"
	Diagnostic     string    // the last error, "" when unknown
	LastAttempt    time.Time // zero when never attempted
	WillRetryUntil time.Time // for ActionDelayed
}

// Report describes one notification.
type Report struct {
	ReportingMTA  string // host name of the reporting node
	From          string // the report's sender, e.g. postmaster@relay.eu-admin.net
	To            string // the originator of the original message
	OriginalEnvID string
	MessageID     string // of the original message, for the human part
	Arrival       time.Time
	Date          time.Time // zero: time.Now()
	Recipients    []Recipient
	Boundary      string // zero: random; fixed in golden tests
}

// oneLine makes s safe for a header field value.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f || r > 0x7e {
			return '?'
		}
		return r
	}, s)
	if len(s) > 900 {
		s = s[:900]
	}
	return strings.TrimSpace(s)
}

// Build writes the report for original (the whole original message; only
// its header is included) and returns the complete RFC 5322 message.
func Build(r Report, original io.Reader) ([]byte, error) {
	if len(r.Recipients) == 0 {
		return nil, fmt.Errorf("dsn: a report needs at least one recipient")
	}
	if r.Date.IsZero() {
		r.Date = time.Now()
	}
	if r.Boundary == "" {
		var b [12]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("dsn: %w", err)
		}
		r.Boundary = "dsn-" + hex.EncodeToString(b[:])
	}
	hdr, err := textproto.ReadHeader(bufio.NewReader(original))
	if err != nil {
		return nil, fmt.Errorf("dsn: the original message's header is unreadable: %w", err)
	}
	failed := false
	for _, rc := range r.Recipients {
		if rc.Action == ActionFailed {
			failed = true
		}
	}
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\r\n", args...) }
	subject := "Delivery delayed: the message has not been delivered yet"
	if failed {
		subject = "Undelivered mail returned to sender"
	}
	w("From: Mail Delivery System <%s>", oneLine(r.From))
	w("To: <%s>", oneLine(r.To))
	w("Subject: %s", subject)
	w("Date: %s", r.Date.Format(time.RFC1123Z))
	w("Message-ID: <%s.%s@%s>", r.Date.UTC().Format("20060102150405"), r.Boundary, oneLine(r.ReportingMTA))
	w("Auto-Submitted: auto-replied")
	w("MIME-Version: 1.0")
	w("Content-Type: multipart/report; report-type=delivery-status;")
	w("\tboundary=\"%s\"", r.Boundary)
	w("")
	w("This is a delivery status notification in MIME format.")
	w("")
	// Part 1: for people.
	w("--%s", r.Boundary)
	w("Content-Type: text/plain; charset=us-ascii")
	w("Content-Description: Notification")
	w("")
	w("This is the mail system at %s (TESTA test network).", oneLine(r.ReportingMTA))
	w("")
	if r.MessageID != "" {
		w("Your message %s, received %s,", oneLine(r.MessageID), r.Arrival.Format(time.RFC1123Z))
	} else {
		w("Your message received %s", r.Arrival.Format(time.RFC1123Z))
	}
	for _, rc := range r.Recipients {
		switch rc.Action {
		case ActionDelayed:
			w("has not yet been delivered to <%s>.", oneLine(rc.FinalRecipient))
			w("Delivery will be retried until %s; you need not send it again.", rc.WillRetryUntil.Format(time.RFC1123Z))
		default:
			w("could not be delivered to <%s> and has been given up.", oneLine(rc.FinalRecipient))
		}
		if rc.Diagnostic != "" {
			w("The last error was: %s", oneLine(rc.Diagnostic))
		}
	}
	w("")
	// Part 2: for programs.
	w("--%s", r.Boundary)
	w("Content-Type: message/delivery-status")
	w("Content-Description: Delivery report")
	w("")
	w("Reporting-MTA: dns; %s", oneLine(r.ReportingMTA))
	if r.OriginalEnvID != "" {
		w("Original-Envelope-Id: %s", oneLine(r.OriginalEnvID))
	}
	w("Arrival-Date: %s", r.Arrival.Format(time.RFC1123Z))
	for _, rc := range r.Recipients {
		w("")
		w("Final-Recipient: rfc822; %s", oneLine(rc.FinalRecipient))
		w("Action: %s", rc.Action)
		w("Status: %s", oneLine(rc.Status))
		if rc.Diagnostic != "" {
			w("Diagnostic-Code: %s", diagnostic(rc.Diagnostic))
		}
		if !rc.LastAttempt.IsZero() {
			w("Last-Attempt-Date: %s", rc.LastAttempt.Format(time.RFC1123Z))
		}
		if rc.Action == ActionDelayed && !rc.WillRetryUntil.IsZero() {
			w("Will-Retry-Until: %s", rc.WillRetryUntil.Format(time.RFC1123Z))
		}
	}
	w("")
	// Part 3: the original header.
	w("--%s", r.Boundary)
	w("Content-Type: text/rfc822-headers")
	w("Content-Description: Undelivered message header")
	w("")
	if err := textproto.WriteHeader(&b, hdr); err != nil {
		return nil, fmt.Errorf("dsn: %w", err)
	}
	w("--%s--", r.Boundary)
	return b.Bytes(), nil
}

// diagnostic gives a Diagnostic-Code value: "smtp; <reply>" when the error
// carries an SMTP reply code, "x-testa; <text>" otherwise (RFC 3464 §2.3.6).
func diagnostic(s string) string {
	s = oneLine(s)
	if i := strings.IndexAny(s, "2345"); i >= 0 && i+3 <= len(s) {
		code := s[i : i+3]
		if code[1] >= '0' && code[1] <= '9' && code[2] >= '0' && code[2] <= '9' && (i+3 == len(s) || s[i+3] == ' ' || s[i+3] == '-') {
			return "smtp; " + s[i:]
		}
	}
	return "x-testa; " + s
}
