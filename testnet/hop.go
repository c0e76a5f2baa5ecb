package testnet

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// hopError is a failed hand-over to the next node, classified for the
// queue: SMTP 4xx replies and connection problems are temporary, 5xx
// replies permanent.
type hopError struct {
	err  error
	temp bool
}

func (e *hopError) Error() string   { return e.err.Error() }
func (e *hopError) Unwrap() error   { return e.err }
func (e *hopError) Temporary() bool { return e.temp }

func classify(err error) error {
	if err == nil {
		return nil
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return &hopError{err: err, temp: se.Code < 500 || se.Code >= 600}
	}
	return &hopError{err: err, temp: true}
}

// transfer is one SMTP transaction to the next hop.
type transfer struct {
	Addr  string
	TLS   *tls.Config
	Helo  string
	From  string
	To    []string
	EnvID string
	Body  io.Reader
	Size  int64
}

// sender hands messages to another node. The network's default speaks SMTP
// with STARTTLS and a client certificate through go-smtp's client.
type sender interface {
	// Send returns one error per recipient; a transaction-level failure
	// (connection refused, MAIL or DATA rejected) is returned as err and
	// applies to every recipient.
	Send(ctx context.Context, t transfer) (rcptErrs []error, err error)
}

type smtpSender struct{}

func (smtpSender) Send(ctx context.Context, t transfer) ([]error, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", t.Addr)
	if err != nil {
		return nil, classify(fmt.Errorf("connecting to %s: %w", t.Addr, err))
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	c, err := smtp.NewClientStartTLS(conn, t.TLS)
	if err != nil {
		conn.Close()
		return nil, classify(fmt.Errorf("STARTTLS with %s: %w", t.Addr, err))
	}
	defer c.Close()
	if err := c.Hello(t.Helo); err != nil {
		return nil, classify(err)
	}
	if err := c.Mail(t.From, &smtp.MailOptions{EnvelopeID: t.EnvID, Size: t.Size}); err != nil {
		return nil, classify(err)
	}
	errs := make([]error, len(t.To))
	accepted := 0
	for i, to := range t.To {
		if err := c.Rcpt(to, nil); err != nil {
			errs[i] = classify(err)
			continue
		}
		accepted++
	}
	if accepted == 0 {
		c.Reset()
		c.Quit()
		return errs, nil
	}
	w, err := c.Data()
	if err != nil {
		return nil, classify(err)
	}
	if _, err := io.Copy(w, t.Body); err != nil {
		w.Close()
		return nil, classify(err)
	}
	if err := w.Close(); err != nil {
		return nil, classify(err)
	}
	c.Quit()
	return errs, nil
}
