package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"securemail/pop3client"
)

const diagPOP3Synopsis = `diag pop3 --server HOST:PORT [--tls none|starttls|implicit] [--user U --password-file F] [--ca FILE] [--allow-cleartext]

Connects to a POP3 server and checks it step by step: connection, banner,
capabilities, TLS (version and certificate), login, mailbox size. Nothing is
fetched or deleted.

Exit status: 0 every step passed; 1 a step failed (connection refused,
timeout, TLS not offered, certificate not trusted, authentication failed, …),
and stderr says which step and why; 2 a usage error or a local problem (bad
option, unreadable password or CA file).`

// runDiagPOP3 implements `securemail diag pop3`.
func runDiagPOP3(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "diag pop3", diagPOP3Synopsis)
	server := fs.String("server", "", "POP3 server as HOST:PORT (required)")
	mode := fs.String("tls", "starttls", "none, starttls (STLS on port 110) or implicit (TLS on port 995)")
	user := fs.String("user", "", "user name to log in with (omit to check only connection and TLS)")
	pwFile := fs.String("password-file", "", "file holding the password (one line)")
	caFile := fs.String("ca", "", "PEM file of the CA(s) that issued the server certificate (default: the system's)")
	serverName := fs.String("server-name", "", "name the certificate must be valid for (default: the host of --server)")
	allowClear := fs.Bool("allow-cleartext", false, "allow sending the password without TLS")
	fs.BoolVar(allowClear, "allow-plain", false, "the same as --allow-cleartext (the name diag smtp uses)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on a step after this long")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return Fail(env, ExitError, "diag pop3: unexpected argument %q; run 'securemail diag pop3 --help'", fs.Arg(0))
	}
	if *server == "" {
		return Fail(env, ExitError, "diag pop3: --server HOST:PORT is required; run 'securemail diag pop3 --help'")
	}
	tlsMode, err := pop3client.ParseTLSMode(*mode)
	if err != nil {
		return Fail(env, ExitError, "diag pop3: --tls must be none, starttls or implicit, not %q", *mode)
	}
	if *user != "" && *pwFile == "" {
		return Fail(env, ExitError, "diag pop3: --user needs --password-file with the password")
	}
	var password string
	if *user != "" {
		if password, err = ReadSecretFile(*pwFile); err != nil {
			return Fail(env, ExitError, "diag pop3: %v", err)
		}
	}
	opts := pop3client.Options{
		Address:             *server,
		TLS:                 tlsMode,
		ServerName:          *serverName,
		AllowCleartextLogin: *allowClear,
		DialTimeout:         *timeout,
		IdleTimeout:         *timeout,
	}
	if opts.RootCAs, err = diagRootCAs(*caFile); err != nil {
		return Fail(env, ExitError, "diag pop3: %v", err)
	}

	out := env.Stdout
	fmt.Fprintf(out, "server:       %s (TLS: %s)\n", *server, tlsMode)
	c, err := pop3client.Dial(ctx, opts)
	if err != nil {
		return diagPOP3Failed(env, dialStep(err, tlsMode), err)
	}
	defer c.Close()
	fmt.Fprintf(out, "banner:       +OK %s\n", c.Banner())
	fmt.Fprintf(out, "capabilities: %s\n", orNone(c.Capabilities().String()))
	st, ok := c.TLSState()
	diagPrintTLS(out, st, ok, certName(*server, *serverName))
	if *user == "" {
		fmt.Fprintln(out, "login:        skipped (no --user)")
		_ = c.Quit(ctx)
		return ExitOK
	}
	if err := c.Login(ctx, *user, password); err != nil {
		return diagPOP3Failed(env, "login", err)
	}
	fmt.Fprintf(out, "login:        OK as %s\n", *user)
	count, size, err := c.Stat(ctx)
	if err != nil {
		return diagPOP3Failed(env, "mailbox size (STAT)", err)
	}
	fmt.Fprintf(out, "mailbox:      %d messages, %d octets\n", count, size)
	if err := c.Quit(ctx); err != nil {
		return diagPOP3Failed(env, "logout (QUIT)", err)
	}
	fmt.Fprintln(out, "result:       all checks passed")
	return ExitOK
}

// dialStep names the step of Dial that failed.
func dialStep(err error, mode pop3client.TLSMode) string {
	var ce *pop3client.ConnError
	switch {
	case errors.Is(err, pop3client.ErrTLSNotOffered), pop3client.IsCertificateError(err):
		return "TLS"
	case errors.As(err, &ce):
		switch ce.Step {
		case "connect":
			return "connection"
		case "TLS handshake", "STLS":
			return "TLS"
		case "greeting":
			return "banner"
		case "CAPA":
			return "capabilities"
		}
		return ce.Step
	}
	if mode == pop3client.TLSStartTLS {
		return "connection or STLS"
	}
	return "connection"
}

// diagPOP3Failed reports the failed step on stdout (so the report reads to
// the end) and as one sentence on stderr.
func diagPOP3Failed(env *Env, step string, err error) int {
	fmt.Fprintf(env.Stdout, "FAILED at step %q\n", step)
	// The client's errors start with its package name; a user needs only
	// the sentence.
	msg := strings.TrimPrefix(err.Error(), "pop3client: ")
	return Fail(env, ExitNegative, "diag pop3: %s failed: %s", step, msg)
}

func orNone(s string) string {
	if s == "" {
		return "(none: the server does not answer CAPA)"
	}
	return s
}
