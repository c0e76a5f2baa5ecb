package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"securemail/app"
	"securemail/app/profile"
)

func runDiag(ctx context.Context, env *Env, args []string) int {
	return subcommands(ctx, env, "diag", args, map[string]command{
		"pop3": {"check a POP3 server: banner, capabilities, TLS, login, mailbox size", runDiagPOP3},
		"smtp": {"check an SMTP server: banner, EHLO, TLS, authentication, a test message", runDiagSMTP},
	})
}

// diagRootCAs reads the CA certificates of a diag command's --ca file; ""
// means the system's (nil).
func diagRootCAs(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read the CA file: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}

// diagFlags are the options diag pop3 and diag smtp share.
type diagFlags struct {
	server, mode, user, pwFile, caFile, serverName *string
	allowCleartextLogin                            *bool
	timeout                                        *time.Duration
}

// defineDiagFlags defines the shared options on fs; what names the server
// ("POP3 server"), tlsHelp explains the TLS modes.
func defineDiagFlags(env *Env, fs *flag.FlagSet, cmd, what, tlsHelp string) diagFlags {
	f := diagFlags{
		server:     fs.String("server", "", what+" as HOST:PORT (required)"),
		mode:       fs.String("tls", "starttls", tlsHelp),
		user:       fs.String("user", "", "user name to log in with (omit to check only connection and TLS)"),
		pwFile:     fs.String("password-file", "", "file holding the password (one line)"),
		caFile:     fs.String("ca", "", "PEM file of the CA(s) that issued the server certificate (default: the system's)"),
		serverName: fs.String("server-name", "", "name the certificate must be valid for (default: the host of --server)"),
		timeout:    fs.Duration("timeout", 30*time.Second, "give up on a step after this long"),
	}
	f.allowCleartextLogin = fs.Bool("allow-cleartext-login", false,
		"allow sending the password over a connection without TLS (--tls none; a test network only)")
	for _, old := range []string{"allow-cleartext", "allow-plain"} {
		fs.Var(&deprecatedBool{target: f.allowCleartextLogin, name: old, cmd: cmd, stderr: env.Stderr}, old,
			"deprecated: the same as --allow-cleartext-login")
	}
	return f
}

// deprecatedBool is an old name of a boolean flag: it sets the new one and
// says once on stderr that the name is deprecated.
type deprecatedBool struct {
	target    *bool
	name, cmd string
	stderr    io.Writer
}

func (d *deprecatedBool) String() string {
	if d == nil || d.target == nil {
		return "false"
	}
	return fmt.Sprint(*d.target)
}

func (d *deprecatedBool) Set(v string) error {
	b, err := parseBool(v)
	if err != nil {
		return err
	}
	*d.target = b
	fmt.Fprintf(d.stderr, "securemail: %s: --%s is deprecated; use --allow-cleartext-login\n", d.cmd, d.name)
	return nil
}

// IsBoolFlag lets the flag be given without a value.
func (d *deprecatedBool) IsBoolFlag() bool { return true }

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "1", "t", "true":
		return true, nil
	case "0", "f", "false":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", v)
}

// check turns the flags into the server check; code is non-zero (with the
// sentence on stderr) for a usage error.
func (f diagFlags) check(env *Env, cmd string, protocol app.Protocol) (c app.ServerCheck, code int) {
	if *f.server == "" {
		return c, Fail(env, ExitError, "%s: --server HOST:PORT is required; run 'securemail %s --help'", cmd, cmd)
	}
	mode := strings.ToLower(strings.TrimSpace(*f.mode))
	if mode != "none" && mode != "starttls" && mode != "implicit" {
		return c, Fail(env, ExitError, "%s: --tls must be none, starttls or implicit, not %q", cmd, *f.mode)
	}
	if *f.user != "" && *f.pwFile == "" {
		return c, Fail(env, ExitError, "%s: --user needs --password-file with the password", cmd)
	}
	c = app.ServerCheck{Protocol: protocol, ServerName: *f.serverName, Timeout: *f.timeout,
		Server: profile.Server{Address: *f.server, TLS: mode, Username: *f.user, AllowCleartextLogin: *f.allowCleartextLogin}}
	var err error
	if *f.user != "" {
		if c.Password, err = ReadSecretFile(*f.pwFile); err != nil {
			return c, Fail(env, ExitError, "%s: %v", cmd, err)
		}
	}
	if c.RootCAs, err = diagRootCAs(*f.caFile); err != nil {
		return c, Fail(env, ExitError, "%s: %v", cmd, err)
	}
	return c, 0
}

// diagReport prints the steps of a diag check as they are reported: the
// greeting, capabilities and TLS lines once the connection is set up (in
// that order, whatever the TLS mode), then one line per later step.
type diagReport struct {
	out      io.Writer
	protocol app.Protocol
	certName string
	dial     map[app.StepKind]app.ConnStep
	failed   *app.ConnStep
	maxSize  int64 // SMTP's SIZE limit, printed after the TLS lines
	// lines prints what a step found (label and value lines).
	lines func(st app.ConnStep)
}

func (r *diagReport) step(st app.ConnStep) {
	if st.Err != nil && r.failed == nil {
		s := st
		r.failed = &s
	}
	switch st.Kind {
	case app.StepDNS:
		if st.Err == nil {
			fmt.Fprintf(r.out, "address:      %s\n", strings.Join(st.Addresses, ", "))
		}
		return
	case app.StepTCP, app.StepTLS, app.StepGreeting, app.StepCapabilities:
		if st.Err == nil {
			r.dial[st.Kind] = st
			if len(r.dial) < 4 {
				return
			}
		}
		r.flushDial()
		return
	}
	r.lines(st)
}

// flushDial prints the set-up's steps that passed, in the report's order.
func (r *diagReport) flushDial() {
	for _, k := range []app.StepKind{app.StepGreeting, app.StepCapabilities, app.StepTLS} {
		if st, ok := r.dial[k]; ok {
			r.lines(st)
		}
	}
	r.dial = map[app.StepKind]app.ConnStep{}
}

// diagTLSLines prints the TLS lines of a diag report: version and cipher,
// and the server certificate verified for name.
func diagTLSLines(out io.Writer, st *tls.ConnectionState, name string) {
	if st == nil {
		fmt.Fprintln(out, "TLS:          none (the connection is not encrypted)")
		return
	}
	fmt.Fprintf(out, "TLS:          %s, %s\n", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
	if len(st.PeerCertificates) > 0 {
		leaf := st.PeerCertificates[0]
		fmt.Fprintf(out, "certificate:  %s\n", leaf.Subject)
		fmt.Fprintf(out, "issuer:       %s\n", leaf.Issuer)
		fmt.Fprintf(out, "valid until:  %s (verified for %s)\n", leaf.NotAfter.UTC().Format(time.RFC3339), name)
	}
}

// runDiagCheck runs one server check with its report, and ends it: the
// failed step on stdout (so the report reads to the end) and as one
// sentence on stderr, exit 1; or "all checks passed", exit 0.
func runDiagCheck(ctx context.Context, env *Env, cmd string, c app.ServerCheck, r *diagReport) int {
	fmt.Fprintf(env.Stdout, "server:       %s (TLS: %s)\n", c.Server.Address, c.Server.TLS)
	r.out, r.protocol, r.dial = env.Stdout, c.Protocol, map[app.StepKind]app.ConnStep{}
	r.certName = certName(c.Server.Address, c.ServerName)
	err := app.CheckServer(ctx, c, r.step)
	if err == nil {
		fmt.Fprintln(env.Stdout, "result:       all checks passed")
		return ExitOK
	}
	step := app.FailedStep(err)
	if r.failed != nil {
		step = r.failed.Kind
	}
	fmt.Fprintf(env.Stdout, "FAILED at step %q\n", diagStepName(c.Protocol, step))
	return Fail(env, ExitNegative, "%s: %s failed: %s", cmd, diagStepName(c.Protocol, step), app.Explain(err))
}

// diagStepName is the name diag gives a step in its report (the names of
// the reports before the steps were typed).
func diagStepName(p app.Protocol, k app.StepKind) string {
	switch k {
	case app.StepDNS, app.StepTCP:
		return "connection"
	case app.StepTLS:
		return "TLS"
	case app.StepGreeting:
		return "banner"
	case app.StepCapabilities:
		if p == app.SMTP {
			return "EHLO"
		}
	case app.StepLogin:
		if p == app.SMTP {
			return "authentication"
		}
	case app.StepMailbox:
		return "mailbox size (STAT)"
	case app.StepLogout:
		return "logout (QUIT)"
	}
	return k.String()
}

// certName is the name the certificate was verified for (diag pop3 and
// diag smtp).
func certName(server, serverName string) string {
	if serverName != "" {
		return serverName
	}
	host, _, err := net.SplitHostPort(server)
	if err != nil {
		return server
	}
	return host
}
