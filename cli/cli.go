// Package cli implements securemail's command line: one subcommand per
// workflow, each with --help, exit status 0 on success, 1 for a negative
// verdict (such as an invalid signature) and 2 for a usage or runtime error.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"securemail/app"
	"securemail/internal/displaytext"
)

// Exit statuses shared by every command (docs/ARCHITECTURE.md §3.1).
const (
	ExitOK       = 0 // success
	ExitNegative = 1 // a negative verdict, e.g. an invalid signature
	ExitError    = 2 // usage or runtime error
)

// Env is what a command may touch of the outside world. Tests fill it with
// buffers; main fills it with the process's streams.
type Env struct {
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Profile string // --profile or $SECUREMAIL_PROFILE; "" means the OS default
	Getenv  func(string) string
}

// command is one top-level subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) int
}

// commands lists the top-level subcommands. It builds a fresh map on every
// call so that no package-level state can be changed.
func commands() map[string]command {
	return map[string]command{
		"testca":     {"issue test certificates (Root CA, EC CA, Mail.pfx handouts)", runTestCA},
		"smime":      {"sign, encrypt, open and export S/MIME messages", runSMIME},
		"diag":       {"check a POP3 or SMTP server step by step", runDiag},
		"testnet":    {"run the bundled offline TESTA network, inspect and disturb it", runTestnet},
		"version":    {"print the program's version", runVersion},
		"account":    {"set the account up, show it, change its settings", runAccount},
		"send":       {"compose, sign, encrypt and send a message (body on stdin)", runSend},
		"fetch":      {"send the Outbox and fetch new mail over POP3", runFetch},
		"messages":   {"list folders and open messages (decrypt, verify)", runMessages},
		"contacts":   {"the address book: Digital IDs with V / red X", runContacts},
		"crl":        {"import and list certificate revocation lists", runCRL},
		"securelink": {"exchange Digital IDs with signed mails (secure link)", runSecureLink},
	}
}

// Version is the program's version, shown by `securemail version`.
const Version = "0.1.0-dev"

// Run parses global options, dispatches to a subcommand and returns the exit
// status. args excludes the program name. With no command it prints usage;
// main starts the GUI instead when the GUI is built in.
func Run(ctx context.Context, env *Env, args []string) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Profile == "" {
		env.Profile = env.Getenv("SECUREMAIL_PROFILE")
	}
	fs := flag.NewFlagSet("securemail", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&env.Profile, "profile", env.Profile, "data folder of the profile to use")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			Usage(env.Stdout)
			return ExitOK
		}
		return Fail(env, ExitError, "%v; run 'securemail --help' for the commands", err)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		Usage(env.Stdout)
		return ExitOK
	}
	cmd, ok := commands()[rest[0]]
	if !ok {
		if rest[0] == "help" {
			Usage(env.Stdout)
			return ExitOK
		}
		return Fail(env, ExitError, "%q is not a securemail command; run 'securemail --help' for the list", rest[0])
	}
	return cmd.run(ctx, env, rest[1:])
}

// Usage prints the list of commands.
func Usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: securemail [--profile DIR] <command> [options]")
	fmt.Fprintln(w, "\nWith no command, securemail opens its window.\n\nCommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'securemail <command> --help' for a command's options.")
}

// Fail prints one sentence on stderr, prefixed by the program name, and
// returns code, so that commands can write `return Fail(env, ExitError, …)`.
// An error among args is worded by [app.Explain] when it knows its type.
func Fail(env *Env, code int, format string, args ...any) int {
	args = append([]any(nil), args...)
	for i, a := range args {
		if err, ok := a.(error); ok {
			if app.Explains(err) {
				args[i] = app.Explain(err).Inline()
			}
		}
	}
	// An error may quote a message or a certificate: hidden characters show as <U+XXXX>.
	msg := displaytext.Text(strings.TrimSpace(fmt.Sprintf(format, args...)))
	fmt.Fprintf(env.Stderr, "securemail: %s\n", msg)
	return code
}

// NewFlagSet returns a flag set for a subcommand whose usage lists its flags
// under a one-line synopsis.
func NewFlagSet(env *Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "Usage: securemail %s\n\nOptions:\n", synopsis)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(env.Stderr)
	}
	return fs
}

// ParseFlags parses args into fs. It returns done=true with the exit status
// when the command should stop: --help (0) or a usage error (2).
func ParseFlags(env *Env, fs *flag.FlagSet, args []string) (code int, done bool) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(env.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return ExitOK, true
	case err != nil:
		return Fail(env, ExitError, "%s: %v; run 'securemail %s --help'", fs.Name(), err, fs.Name()), true
	}
	return 0, false
}

// StringList is a flag.Value collecting a repeatable string flag such as --to.
type StringList []string

// String returns the values joined by commas.
func (l *StringList) String() string { return strings.Join(*l, ",") }

// Set appends one value.
func (l *StringList) Set(v string) error { *l = append(*l, v); return nil }

// subcommands dispatches to the second word of a command such as
// `smime sign`, printing the list on --help or when the word is missing.
func subcommands(ctx context.Context, env *Env, parent string, args []string, subs map[string]command) int {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprintf(env.Stdout, "Usage: securemail %s <command> [options]\n\nCommands:\n", parent)
		names := make([]string, 0, len(subs))
		for n := range subs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(env.Stdout, "  %-12s %s\n", n, subs[n].summary)
		}
		if len(args) == 0 {
			return ExitError
		}
		return ExitOK
	}
	sub, ok := subs[args[0]]
	if !ok {
		return Fail(env, ExitError, "%q is not a 'securemail %s' command; run 'securemail %s --help'", args[0], parent, parent)
	}
	return sub.run(ctx, env, args[1:])
}

// ReadSecretFile reads a password from a file, dropping one trailing newline.
func ReadSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cannot read the password file: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

func runVersion(_ context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "version", "version")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	fmt.Fprintln(env.Stdout, "securemail", Version)
	return ExitOK
}
