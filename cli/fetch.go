package cli

import (
	"context"
	"fmt"
	"strings"

	"securemail/app"
	"securemail/internal/displaytext"
)

func runFetch(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "fetch", "fetch [--quiet]\n\nSends what waits in the Outbox, then fetches new mail over POP3 into the Inbox.")
	quiet := fs.Bool("quiet", false, "print nothing on success")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return Fail(env, ExitError, "fetch: unexpected argument %q", fs.Arg(0))
	}
	return withApp(ctx, env, profileOptions{PassFile: *passFile, NeedKeys: true}, func(a *app.App) (int, error) {
		sent, flushErr := a.FlushOutbox(ctx)
		res, err := a.Fetch(ctx, nil)
		if err != nil && ctx.Err() != nil { // SIGTERM or Ctrl-C, whatever it cut short
			return Fail(env, ExitError, "fetch stopped: the command was interrupted; the messages it stored are kept, and the next fetch goes on from there"), nil
		}
		if err != nil {
			return ExitError, err
		}
		if !*quiet {
			if sent > 0 {
				fmt.Fprintf(env.Stdout, "Sent %d message(s) from the Outbox.\n", sent)
			}
			fmt.Fprintf(env.Stdout, "%d new message(s)", res.New)
			if res.Reports > 0 {
				fmt.Fprintf(env.Stdout, ", %d of them delivery report(s)", res.Reports)
			}
			fmt.Fprintln(env.Stdout, ".")
			if len(res.Harvested) > 0 {
				fmt.Fprintf(env.Stdout, "Digital IDs added to the address book: %s.\n", displaytext.Line(strings.Join(res.Harvested, ", ")))
			}
		}
		if flushErr != nil {
			return ExitError, flushErr
		}
		return ExitOK, nil
	})
}
