package ui

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"securemail/app"
	"securemail/app/profile"
	"securemail/pop3client"
	"securemail/smime/identity"
	"securemail/smtpclient"
)

// ConnStep is one line of the wizard's Test connection: the server ("POP3"
// or "SMTP"), the step checked, and why it failed (nil when it passed).
type ConnStep struct {
	Server string
	Step   string
	Err    error
}

// ConnectionTester runs the diag checks behind the wizard's Test
// connection. TestConnection reports every step in order through report
// (from its own goroutine), stops checking a server at its first failing
// step, and returns the first failure or nil.
type ConnectionTester interface {
	TestConnection(ctx context.Context, s app.Setup, report func(ConnStep)) error
}

// The steps of Test connection, as shown.
const (
	stepConnect = "connect"
	stepTLS     = "TLS, certificate verified"
	stepEHLO    = "EHLO"
	stepLogin   = "login"
	stepStat    = "mailbox size (STAT)"
	stepAuth    = "authentication (AUTH)"
	stepQuit    = "logout (QUIT)"
)

// connTimeout bounds each network wait of a check.
const connTimeout = 15 * time.Second

// TestConnection runs the POP3 and SMTP checks with the real clients.
func (c *appCore) TestConnection(ctx context.Context, s app.Setup, report func(ConnStep)) error {
	return testConnection(ctx, s, report)
}

func testConnection(ctx context.Context, s app.Setup, report func(ConnStep)) error {
	var roots *x509.CertPool
	if len(s.ServerCA) > 0 {
		certs, err := identity.ParseCertificates(s.ServerCA)
		if err != nil {
			return fmt.Errorf("ui: the servers' CA file cannot be read (%w); open the PEM or DER file of the authority that issued your mail servers' certificates", err)
		}
		roots = x509.NewCertPool()
		for _, c := range certs {
			roots.AddCert(c)
		}
	}
	errPOP3 := checkPOP3(ctx, s.POP3, s.POP3Password, roots, stepper{"POP3", report})
	if ctx.Err() != nil {
		return errPOP3
	}
	errSMTP := checkSMTP(ctx, s.SMTP, s.POP3Password, roots, stepper{"SMTP", report})
	return errors.Join(errPOP3, errSMTP)
}

// stepper reports the steps of one server.
type stepper struct {
	server string
	report func(ConnStep)
}

func (s stepper) ok(steps ...string) {
	for _, n := range steps {
		s.report(ConnStep{Server: s.server, Step: n})
	}
}

func (s stepper) fail(step string, err error) error {
	s.report(ConnStep{Server: s.server, Step: step, Err: err})
	return err
}

// dialFailed reports the steps of a Dial before the failing one as passed.
func (s stepper) dialFailed(steps []string, failed string, err error) error {
	for i, n := range steps {
		if n == failed {
			s.ok(steps[:i]...)
			break
		}
	}
	return s.fail(failed, err)
}

func dialSteps(tls string, more ...string) []string {
	steps := []string{stepConnect}
	if tls != "none" {
		steps = append(steps, stepTLS)
	}
	return append(steps, more...)
}

func checkPOP3(ctx context.Context, srv profile.Server, password string, roots *x509.CertPool, st stepper) error {
	steps := dialSteps(srv.TLS)
	c, err := pop3client.Dial(ctx, pop3client.Options{Address: srv.Address, TLS: pop3client.TLSMode(srv.TLS), RootCAs: roots,
		AllowCleartextLogin: srv.AllowCleartext, DialTimeout: connTimeout, IdleTimeout: connTimeout})
	if err != nil {
		return st.dialFailed(steps, pop3DialStep(err), err)
	}
	defer c.Close()
	st.ok(steps...)
	if err := c.Login(ctx, srv.Username, password); err != nil {
		return st.fail(stepLogin, err)
	}
	st.ok(stepLogin)
	if _, _, err := c.Stat(ctx); err != nil {
		return st.fail(stepStat, err)
	}
	st.ok(stepStat)
	_ = c.Quit(ctx)
	return nil
}

// pop3DialStep names the step of pop3client.Dial that failed.
func pop3DialStep(err error) string {
	var ce *pop3client.ConnError
	switch {
	case errors.Is(err, pop3client.ErrTLSNotOffered), pop3client.IsCertificateError(err):
		return stepTLS
	case errors.As(err, &ce) && (ce.Step == "TLS handshake" || ce.Step == "STLS"):
		return stepTLS
	}
	return stepConnect
}

func checkSMTP(ctx context.Context, srv profile.Server, password string, roots *x509.CertPool, st stepper) error {
	steps := dialSteps(srv.TLS, stepEHLO)
	c, err := smtpclient.Dial(ctx, smtpclient.Options{Address: srv.Address, TLS: smtpclient.TLSMode(srv.TLS), RootCAs: roots,
		AllowPlain: srv.AllowCleartext, LocalName: "securemail.localhost", DialTimeout: connTimeout, IdleTimeout: connTimeout})
	if err != nil {
		return st.dialFailed(steps, smtpDialStep(err), err)
	}
	defer c.Close()
	st.ok(steps...)
	if err := c.Auth(ctx, srv.Username, password); err != nil {
		return st.fail(stepAuth, err)
	}
	st.ok(stepAuth)
	if err := c.Quit(ctx); err != nil {
		return st.fail(stepQuit, err)
	}
	st.ok(stepQuit)
	return nil
}

// smtpDialStep names the step of smtpclient.Dial that failed.
func smtpDialStep(err error) string {
	var (
		ce *smtpclient.ConnError
		se *smtpclient.Error
	)
	switch {
	case errors.Is(err, smtpclient.ErrTLSNotOffered), smtpclient.IsCertificateError(err):
		return stepTLS
	case errors.As(err, &se):
		switch se.Command {
		case "STARTTLS":
			return stepTLS
		case "EHLO", "HELO":
			return stepEHLO
		}
	case errors.As(err, &ce):
		switch ce.Step {
		case "TLS handshake", "STARTTLS":
			return stepTLS
		case "EHLO", "HELO":
			return stepEHLO
		}
	}
	return stepConnect
}
