package testnet

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
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

// smtpSender keeps idle connections to each next hop for reuse, as an MTA's
// connection cache does: a burst of messages then costs one TLS handshake
// per connection rather than per message.
type smtpSender struct {
	mu      sync.Mutex
	idle    map[string][]*smtp.Client
	maxIdle int
	closed  bool
}

func newSMTPSender() *smtpSender { return &smtpSender{idle: map[string][]*smtp.Client{}, maxIdle: 8} }

func (s *smtpSender) get(key string) *smtp.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.idle[key]
	if len(l) == 0 {
		return nil
	}
	c := l[len(l)-1]
	s.idle[key] = l[:len(l)-1]
	return c
}

func (s *smtpSender) put(key string, c *smtp.Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.idle[key]) >= s.maxIdle {
		c.Close()
		return
	}
	s.idle[key] = append(s.idle[key], c)
}

// Close closes the idle connections.
func (s *smtpSender) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for _, l := range s.idle {
		for _, c := range l {
			c.Quit()
			c.Close()
		}
	}
	s.idle = map[string][]*smtp.Client{}
}

func (s *smtpSender) dial(ctx context.Context, t transfer) (*smtp.Client, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", t.Addr)
	if err != nil {
		return nil, classify(fmt.Errorf("connecting to %s: %w", t.Addr, err))
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	c, err := smtp.NewClientStartTLS(conn, t.TLS)
	if err != nil {
		conn.Close()
		return nil, classify(fmt.Errorf("STARTTLS with %s: %w", t.Addr, err))
	}
	if err := c.Hello(t.Helo); err != nil {
		c.Close()
		return nil, classify(err)
	}
	return c, nil
}

func (s *smtpSender) Send(ctx context.Context, t transfer) ([]error, error) {
	key := t.Helo + ">" + t.Addr
	for try := 0; ; try++ {
		c := s.get(key)
		reused := c != nil
		if c == nil {
			var err error
			if c, err = s.dial(ctx, t); err != nil {
				return nil, err
			}
		}
		errs, err, healthy := s.transact(ctx, c, t)
		if healthy {
			s.put(key, c)
		} else {
			c.Close()
		}
		// A cached connection the peer has dropped fails at MAIL: retry
		// once on a fresh one.
		if err != nil && reused && !healthy && try == 0 && errs == nil {
			if br, ok := t.Body.(io.Seeker); ok {
				br.Seek(0, io.SeekStart)
			}
			continue
		}
		return errs, err
	}
}

// transact runs MAIL, RCPT and DATA on c; healthy tells whether c may be
// reused.
func (s *smtpSender) transact(ctx context.Context, c *smtp.Client, t transfer) (errs []error, err error, healthy bool) {
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Mail(t.From, &smtp.MailOptions{EnvelopeID: t.EnvID, Size: t.Size}); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			c.Reset()
			return nil, classify(err), true
		}
		return nil, classify(err), false
	}
	errs = make([]error, len(t.To))
	accepted := 0
	for i, to := range t.To {
		if err := c.Rcpt(to, nil); err != nil {
			var se *smtp.SMTPError
			if !errors.As(err, &se) {
				return nil, classify(err), false
			}
			errs[i] = classify(err)
			continue
		}
		accepted++
	}
	if accepted == 0 {
		return errs, nil, c.Reset() == nil
	}
	w, err := c.Data()
	if err != nil {
		return nil, classify(err), false
	}
	if _, err := io.Copy(w, t.Body); err != nil {
		w.Close()
		return nil, classify(err), false
	}
	if err := w.Close(); err != nil {
		var se *smtp.SMTPError
		return nil, classify(err), errors.As(err, &se)
	}
	return errs, nil, true
}
