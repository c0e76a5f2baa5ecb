package cli

import (
	"context"
	"fmt"

	"securemail/app"
)

const diagPOP3Synopsis = `diag pop3 --server HOST:PORT [--tls none|starttls|implicit] [--user U --password-file F] [--ca FILE] [--allow-cleartext-login]

Connects to a POP3 server and checks it step by step: name lookup,
connection, banner, capabilities, TLS (version and certificate), login,
mailbox size. Nothing is fetched or deleted. A password is sent without TLS
(--tls none) only with --allow-cleartext-login (--allow-cleartext and
--allow-plain are its old names).

Exit status: 0 every step passed; 1 a step failed (connection refused,
timeout, TLS not offered, certificate not trusted, authentication failed, …),
and stderr says which step and why; 2 a usage error or a local problem (bad
option, unreadable password or CA file).`

// runDiagPOP3 implements `securemail diag pop3`.
func runDiagPOP3(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "diag pop3", diagPOP3Synopsis)
	f := defineDiagFlags(env, fs, "diag pop3", "POP3 server", "none, starttls (STLS on port 110) or implicit (TLS on port 995)")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return Fail(env, ExitError, "diag pop3: unexpected argument %q; run 'securemail diag pop3 --help'", fs.Arg(0))
	}
	c, code := f.check(env, "diag pop3", app.POP3)
	if code != 0 {
		return code
	}
	r := &diagReport{}
	r.lines = func(st app.ConnStep) {
		out := r.out
		switch st.Kind {
		case app.StepGreeting:
			fmt.Fprintf(out, "banner:       +OK %s\n", st.Banner)
		case app.StepCapabilities:
			caps := "(none: the server does not answer CAPA)"
			if len(st.Capabilities) > 0 {
				caps = st.Capabilities[0]
			}
			fmt.Fprintf(out, "capabilities: %s\n", caps)
		case app.StepTLS:
			diagTLSLines(out, st.TLS, r.certName)
		case app.StepLogin:
			if st.Skipped != "" {
				fmt.Fprintln(out, "login:        skipped (no --user)")
			} else if st.Err == nil {
				fmt.Fprintf(out, "login:        OK as %s\n", st.User)
			}
		case app.StepMailbox:
			if st.Err == nil {
				fmt.Fprintf(out, "mailbox:      %d messages, %d octets\n", st.Messages, st.Octets)
			}
		}
	}
	return runDiagCheck(ctx, env, "diag pop3", c, r)
}
