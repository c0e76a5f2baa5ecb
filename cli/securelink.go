package cli

import (
	"context"
	"fmt"
	"strings"

	"securemail/app"
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
	return withApp(ctx, env, profileOptions{PassFile: *passFile, NeedKeys: true}, func(a *app.App) (int, error) {
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
			return ExitError, err
		}
		fmt.Fprintf(env.Stdout, "Signed secure-link %s sent to %s.\n", kind, strings.Join(addrs, ", "))
		return ExitOK, nil
	})
}

var linkWords = map[addressbook.LinkState]string{
	addressbook.LinkNone:        "Not linked",
	addressbook.LinkRequested:   "Request sent",
	addressbook.LinkReceived:    "Their ID received",
	addressbook.LinkEstablished: "Linked",
}

func runSecureLinkStatus(ctx context.Context, env *Env, args []string) int {
	return runList(ctx, env, args, listCommand[app.LinkRow]{Name: "securelink status", Rows: func(a *app.App) ([]app.LinkRow, error) {
		return a.SecureLinkStatus()
	}, Empty: "No contacts yet; start with 'securemail securelink request --to ADDRESS'.",
		Header: "ADDRESS\tSECURE LINK", Row: func(r app.LinkRow) string {
			return fmt.Sprintf("%s\t%s", displaytext.Line(r.Address), linkWords[r.State])
		}})
}
