package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"securemail/smtpclient"
)

const diagSMTPSynopsis = `diag smtp --server HOST:PORT [--tls none|starttls|implicit] [--user U --password-file F] [--ca FILE] [--from A --to B] [--allow-plain]

Connects to an SMTP server and checks it step by step: connection, banner,
EHLO capabilities, TLS (version and certificate), authentication, and with
--from and --to a short test message (the server's reply is printed). This
is the "telnet to port 25" check, done properly.

Exit status: 0 every step passed; 1 a step failed (connection refused,
timeout, TLS not offered, certificate not trusted, authentication failed,
a recipient or the message refused, …), and stderr says which step and why;
2 a usage error or a local problem (bad option, unreadable password or CA
file, an address that cannot be used).`

// runDiagSMTP implements `securemail diag smtp`.
func runDiagSMTP(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "diag smtp", diagSMTPSynopsis)
	server := fs.String("server", "", "SMTP server as HOST:PORT (required; submission is usually port 587 with starttls or 465 with implicit)")
	mode := fs.String("tls", "starttls", "none, starttls (STARTTLS, port 587) or implicit (TLS from the start, port 465)")
	user := fs.String("user", "", "user name to authenticate with (omit to check only connection and TLS)")
	pwFile := fs.String("password-file", "", "file holding the password (one line)")
	caFile := fs.String("ca", "", "PEM file of the CA(s) that issued the server certificate (default: the system's)")
	serverName := fs.String("server-name", "", "name the certificate must be valid for (default: the host of --server)")
	from := fs.String("from", "", "sender of the test message (with --to)")
	var to StringList
	fs.Var(&to, "to", "recipient of the test message (repeatable; with --from)")
	allowPlain := fs.Bool("allow-plain", false, "allow a connection without TLS (--tls none); a password is never sent without TLS")
	fs.BoolVar(allowPlain, "allow-cleartext", false, "the same as --allow-plain (the name diag pop3 uses)")
	localName := fs.String("local-name", "", "name to give in EHLO (default: localhost)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on a step after this long")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return Fail(env, ExitError, "diag smtp: unexpected argument %q; run 'securemail diag smtp --help'", fs.Arg(0))
	}
	if *server == "" {
		return Fail(env, ExitError, "diag smtp: --server HOST:PORT is required; run 'securemail diag smtp --help'")
	}
	tlsMode, err := smtpclient.ParseTLSMode(*mode)
	if err != nil {
		return Fail(env, ExitError, "diag smtp: --tls must be none, starttls or implicit, not %q", *mode)
	}
	if tlsMode == smtpclient.TLSNone && !*allowPlain {
		return Fail(env, ExitError, "diag smtp: --tls none sends everything unencrypted; add --allow-plain to check such a server anyway")
	}
	if *user != "" && *pwFile == "" {
		return Fail(env, ExitError, "diag smtp: --user needs --password-file with the password")
	}
	if *user != "" && tlsMode == smtpclient.TLSNone {
		return Fail(env, ExitError, "diag smtp: a password is never sent without TLS; use --tls starttls or implicit, or leave out --user")
	}
	for _, a := range append([]string{*from}, to...) {
		if strings.ContainsAny(a, "\r\n<> ") {
			return Fail(env, ExitError, "diag smtp: %q is not an address that can be used in SMTP (no spaces, angle brackets or line breaks)", a)
		}
	}
	if (*from == "") != (len(to) == 0) {
		return Fail(env, ExitError, "diag smtp: --from and --to go together: the test message needs a sender and a recipient")
	}
	var password string
	if *user != "" {
		if password, err = ReadSecretFile(*pwFile); err != nil {
			return Fail(env, ExitError, "diag smtp: %v", err)
		}
	}
	opts := smtpclient.Options{
		Address:     *server,
		TLS:         tlsMode,
		ServerName:  *serverName,
		AllowPlain:  *allowPlain,
		LocalName:   *localName,
		DialTimeout: *timeout,
		IdleTimeout: *timeout,
	}
	if opts.RootCAs, err = diagRootCAs(*caFile); err != nil {
		return Fail(env, ExitError, "diag smtp: %v", err)
	}
	var testMsg []byte
	envelope := smtpclient.Envelope{From: *from, To: to}
	if *from != "" {
		testMsg = diagSMTPMessage(*from, to, time.Now())
	}

	out := env.Stdout
	fmt.Fprintf(out, "server:       %s (TLS: %s)\n", *server, tlsMode)
	c, err := smtpclient.Dial(ctx, opts)
	if err != nil {
		return diagSMTPFailed(env, diagSMTPStep(err), err)
	}
	defer c.Close()
	fmt.Fprintf(out, "banner:       %s\n", c.Banner())
	caps := c.Capabilities()
	if len(caps) == 0 {
		fmt.Fprintln(out, "capabilities: (none: the server does not answer EHLO with extensions)")
	}
	for i, line := range caps {
		label := "capabilities:"
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(out, "%-13s %s\n", label, line)
	}
	st, ok := c.TLSState()
	diagPrintTLS(out, st, ok, certName(*server, *serverName))
	if max, ok := c.MaxSize(); ok && max > 0 {
		fmt.Fprintf(out, "size limit:   %d octets\n", max)
	}

	if *user == "" {
		fmt.Fprintln(out, "authentication: skipped (no --user)")
	} else {
		if err := c.Auth(ctx, *user, password); err != nil {
			return diagSMTPFailed(env, "authentication", err)
		}
		fmt.Fprintf(out, "authentication: OK as %s (AUTH %s)\n", *user, c.AuthMechanism())
	}

	if testMsg == nil {
		fmt.Fprintln(out, "test message: skipped (no --from/--to)")
	} else {
		res, err := c.Send(ctx, envelope, bytes.NewReader(testMsg))
		if err != nil {
			if errors.Is(err, smtpclient.ErrBadAddress) {
				return Fail(env, ExitError, "diag smtp: %s", strings.TrimPrefix(err.Error(), "smtpclient: "))
			}
			return diagSMTPFailed(env, "test message", err)
		}
		fmt.Fprintf(out, "test message: accepted for %s\n", strings.Join(res.Accepted, ", "))
		fmt.Fprintf(out, "server reply: 250 %s\n", res.Reply)
		if len(res.Refused) > 0 {
			for _, r := range res.Refused {
				fmt.Fprintf(out, "refused:      %s: %s\n", r.Recipient, r.Err.Reply())
			}
			_ = c.Quit(ctx)
			fmt.Fprintln(out, `FAILED at step "test message"`)
			return Fail(env, ExitNegative, "diag smtp: test message failed: %s", strings.TrimPrefix(res.Refused[0].Error(), "smtpclient: "))
		}
	}
	if err := c.Quit(ctx); err != nil {
		return diagSMTPFailed(env, "logout (QUIT)", err)
	}
	fmt.Fprintln(out, "result:       all checks passed")
	return ExitOK
}

// diagSMTPStep names the step of Dial that failed.
func diagSMTPStep(err error) string {
	var (
		ce *smtpclient.ConnError
		se *smtpclient.Error
	)
	switch {
	case errors.Is(err, smtpclient.ErrTLSNotOffered), smtpclient.IsCertificateError(err):
		return "TLS"
	case errors.As(err, &se):
		switch se.Command {
		case "greeting":
			return "banner"
		case "STARTTLS":
			return "TLS"
		case "AUTH":
			return "authentication"
		}
		return se.Command
	case errors.As(err, &ce):
		switch ce.Step {
		case "connect":
			return "connection"
		case "TLS handshake", "STARTTLS":
			return "TLS"
		case "greeting":
			return "banner"
		}
		return ce.Step
	}
	return "connection"
}

// diagSMTPFailed reports the failed step on stdout (so the report reads to
// the end) and as one sentence on stderr.
func diagSMTPFailed(env *Env, step string, err error) int {
	fmt.Fprintf(env.Stdout, "FAILED at step %q\n", step)
	msg := strings.TrimPrefix(err.Error(), "smtpclient: ")
	if strings.HasPrefix(msg, step+" failed") {
		return Fail(env, ExitNegative, "diag smtp: %s", msg)
	}
	return Fail(env, ExitNegative, "diag smtp: %s failed: %s", step, msg)
}

// diagSMTPMessage is the short test message: plain ASCII, with the header
// fields a server expects, so that nothing in it can be the reason for a
// refusal.
func diagSMTPMessage(from string, to []string, now time.Time) []byte {
	var id [8]byte
	_, _ = rand.Read(id[:])
	domain := "securemail.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	var b strings.Builder
	b.WriteString("Date: " + now.Format(time.RFC1123Z) + "\r\n")
	b.WriteString("From: <" + from + ">\r\n")
	b.WriteString("To: <" + strings.Join(to, ">, <") + ">\r\n")
	b.WriteString("Subject: SecureMail connection test\r\n")
	b.WriteString("Message-ID: <diag-" + hex.EncodeToString(id[:]) + "@" + domain + ">\r\n")
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
	b.WriteString("This message was sent by 'securemail diag smtp' to check that the server\r\n")
	b.WriteString("accepts mail. It can be deleted.\r\n")
	return []byte(b.String())
}
