package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"securemail/app/addressbook"
	"securemail/internal/displaytext"
)

// runSecureLink dispatches `securemail securelink request|reply|status`.
func runSecureLink(ctx context.Context, env *Env, args []string) int {
	return subcommands(ctx, env, "securelink", args, map[string]command{
		"request": {"send a signed mail asking for a signed reply (exchange Digital IDs)", runSecureLinkRequest},
		"reply":   {"answer a secure-link request with a signed reply", runSecureLinkReply},
		"status":  {"list each contact's secure-link state", runSecureLinkStatus},
	})
}

func runSecureLinkRequest(ctx context.Context, env *Env, args []string) int {
	return secureLinkSend(ctx, env, args, "request")
}

func runSecureLinkReply(ctx context.Context, env *Env, args []string) int {
	return secureLinkSend(ctx, env, args, "reply")
}

func secureLinkSend(ctx context.Context, env *Env, args []string, kind string) int {
	fs := NewFlagSet(env, "securelink "+kind, "securelink "+kind+" --to ADDRESS [--to ADDRESS…]")
	var to StringList
	fs.Var(&to, "to", "address; repeat or separate with commas")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	addrs := addressList(to)
	if len(addrs) == 0 {
		return Fail(env, ExitError, "securelink %s needs --to ADDRESS", kind)
	}
	a, code := openApp(ctx, env, *passFile, true)
	if a == nil {
		return code
	}
	defer a.Close()
	var err error
	if kind == "request" {
		err = a.RequestSecureLink(ctx, addrs)
	} else {
		for _, addr := range addrs {
			if err = a.ReplySecureLink(ctx, addr); err != nil {
				break
			}
		}
	}
	if err != nil {
		return failErr(env, err)
	}
	fmt.Fprintf(env.Stdout, "Signed secure-link %s sent to %s.\n", kind, strings.Join(addrs, ", "))
	return ExitOK
}

var linkWords = map[addressbook.LinkState]string{
	addressbook.LinkNone:        "Not linked",
	addressbook.LinkRequested:   "Request sent",
	addressbook.LinkReceived:    "Their ID received",
	addressbook.LinkEstablished: "Linked",
}

func runSecureLinkStatus(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "securelink status", "securelink status [--json]")
	asJSON := fs.Bool("json", false, "print a JSON array")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	a, code := openApp(ctx, env, *passFile, false)
	if a == nil {
		return code
	}
	defer a.Close()
	rows, err := a.SecureLinkStatus()
	if err != nil {
		return failErr(env, err)
	}
	if *asJSON {
		return printJSON(env, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(env.Stdout, "No contacts yet; start with 'securemail securelink request --to ADDRESS'.")
		return ExitOK
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ADDRESS\tSECURE LINK")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\n", displaytext.Line(r.Address), linkWords[r.State])
	}
	w.Flush()
	return ExitOK
}
