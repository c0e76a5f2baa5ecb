package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"securemail/app"
)

const diagSMTPSynopsis = `diag smtp --server HOST:PORT [--tls none|starttls|implicit] [--user U --password-file F] [--ca FILE] [--from A --to B] [--allow-cleartext-login]

Connects to an SMTP server and checks it step by step: name lookup,
connection, banner, EHLO capabilities, TLS (version and certificate),
authentication, and with --from and --to a short test message (the
server's reply is printed). This is the "telnet to port 25" check, done
properly: --tls none checks a server without TLS, and sends a password
without TLS only with --allow-cleartext-login (--allow-plain and
--allow-cleartext are its old names).

Exit status: 0 every step passed; 1 a step failed (connection refused,
timeout, TLS not offered, certificate not trusted, authentication failed,
a recipient or the message refused, …), and stderr says which step and why;
2 a usage error or a local problem (bad option, unreadable password or CA
file, an address that cannot be used).`

// runDiagSMTP implements `securemail diag smtp`.
func runDiagSMTP(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "diag smtp", diagSMTPSynopsis)
	f := defineDiagFlags(env, fs, "diag smtp", "SMTP server (submission is usually port 587 with starttls or 465 with implicit)",
		"none, starttls (STARTTLS, port 587) or implicit (TLS from the start, port 465)")
	from := fs.String("from", "", "sender of the test message (with --to)")
	var to StringList
	fs.Var(&to, "to", "recipient of the test message (repeatable; with --from)")
	localName := fs.String("local-name", "", "name to give in EHLO (default: localhost)")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return Fail(env, ExitError, "diag smtp: unexpected argument %q; run 'securemail diag smtp --help'", fs.Arg(0))
	}
	for _, a := range append([]string{*from}, to...) {
		if strings.ContainsAny(a, "\r\n<> ") {
			return Fail(env, ExitError, "diag smtp: %q is not an address that can be used in SMTP (no spaces, angle brackets or line breaks)", a)
		}
	}
	if (*from == "") != (len(to) == 0) {
		return Fail(env, ExitError, "diag smtp: --from and --to go together: the test message needs a sender and a recipient")
	}
	c, code := f.check(env, "diag smtp", app.SMTP)
	if code != 0 {
		return code
	}
	c.LocalName = *localName
	if *from != "" {
		c.From, c.To, c.Message = *from, to, diagSMTPMessage(*from, to, time.Now())
	}
	r := &diagReport{}
	r.lines = func(st app.ConnStep) { diagSMTPLines(r, st) }
	code = runDiagCheck(ctx, env, "diag smtp", c, r)
	if r.failed != nil && errors.Is(r.failed.Err, app.ErrBadAddress) {
		return ExitError
	}
	return code
}

// diagSMTPLines prints what one step of diag smtp found.
func diagSMTPLines(r *diagReport, st app.ConnStep) {
	out := r.out
	switch st.Kind {
	case app.StepGreeting:
		fmt.Fprintf(out, "banner:       %s\n", st.Banner)
	case app.StepCapabilities:
		r.maxSize = st.MaxSize
		if len(st.Capabilities) == 0 {
			fmt.Fprintln(out, "capabilities: (none: the server does not answer EHLO with extensions)")
		}
		for i, line := range st.Capabilities {
			label := "capabilities:"
			if i > 0 {
				label = ""
			}
			fmt.Fprintf(out, "%-13s %s\n", label, line)
		}
	case app.StepTLS:
		diagTLSLines(out, st.TLS, r.certName)
		if max := r.maxSize; max > 0 {
			fmt.Fprintf(out, "size limit:   %d octets\n", max)
		}
	case app.StepLogin:
		if st.Skipped != "" {
			fmt.Fprintln(out, "authentication: skipped (no --user)")
		} else if st.Err == nil {
			fmt.Fprintf(out, "authentication: OK as %s (AUTH %s)\n", st.User, st.Mechanism)
		}
	case app.StepTestMessage:
		if st.Skipped != "" {
			fmt.Fprintln(out, "test message: skipped (no --from/--to)")
			return
		}
		if len(st.Accepted) > 0 {
			fmt.Fprintf(out, "test message: accepted for %s\n", strings.Join(st.Accepted, ", "))
			fmt.Fprintf(out, "server reply: 250 %s\n", st.Reply)
		}
		for _, x := range st.Refused {
			fmt.Fprintf(out, "refused:      %s: %s\n", x.Recipient, x.Reply)
		}
	}
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
