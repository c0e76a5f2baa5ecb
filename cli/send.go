package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"securemail/app"
	"securemail/app/compose"
)

// addressList splits repeated, comma-separated address flags.
func addressList(l StringList) []string {
	var out []string
	for _, v := range l {
		for _, a := range strings.Split(v, ",") {
			if a = strings.TrimSpace(a); a != "" {
				out = append(out, a)
			}
		}
	}
	return out
}

// boolPair reads --x / --no-x: the last one given wins; neither gives def.
func boolPair(fs *flag.FlagSet, yes, no *bool, yesName string, def bool) bool {
	v := def
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case yesName:
			v = *yes
		case "no-" + yesName:
			v = !*no
		}
	})
	return v
}

func runSend(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "send", "send --to A [--cc A] [--bcc A] --subject S [--sign|--no-sign] [--encrypt|--no-encrypt] [--attach FILE] < body.txt\n\nThe body is read from standard input. Sign and encrypt follow the settings unless given.\nExit status: 0 sent (or kept in the Outbox when the server is unreachable), 1 refused because a\nrecipient has no valid Digital ID (nothing was sent), 2 any other error.")
	var to, cc, bcc, attach StringList
	fs.Var(&to, "to", "recipient; repeat or separate with commas")
	fs.Var(&cc, "cc", "copy recipient")
	fs.Var(&bcc, "bcc", "blind copy recipient (not shown in the message)")
	fs.Var(&attach, "attach", "file to attach; repeat for several")
	subject := fs.String("subject", "", "subject line")
	sign := fs.Bool("sign", false, "digitally sign the message")
	noSign := fs.Bool("no-sign", false, "do not sign")
	encrypt := fs.Bool("encrypt", false, "encrypt the message for every recipient")
	noEncrypt := fs.Bool("no-encrypt", false, "do not encrypt")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return Fail(env, ExitError, "send: unexpected argument %q; the body is read from standard input", fs.Arg(0))
	}
	d := &compose.Draft{To: addressList(to), Cc: addressList(cc), Bcc: addressList(bcc), Subject: *subject}
	if len(d.Recipients()) == 0 {
		return Fail(env, ExitError, "send needs at least one recipient: --to ADDRESS")
	}
	for _, f := range attach {
		data, err := os.ReadFile(f)
		if err != nil {
			return Fail(env, ExitError, "cannot read the attachment %s: %v", f, errors.Unwrap(err))
		}
		d.Attachments = append(d.Attachments, compose.Attachment{Name: filepath.Base(f), Data: data})
	}
	body, err := io.ReadAll(io.LimitReader(env.Stdin, 64<<20))
	if err != nil {
		return Fail(env, ExitError, "cannot read the message text from standard input: %v", err)
	}
	d.Text = string(body)
	return withApp(ctx, env, profileOptions{PassFile: *passFile, NeedKeys: true}, func(a *app.App) (int, error) {
		s, err := a.Settings()
		if err != nil {
			return ExitError, err
		}
		opts := app.SendOptions{Sign: boolPair(fs, sign, noSign, "sign", s.Security.SignAll),
			Encrypt: boolPair(fs, encrypt, noEncrypt, "encrypt", s.Security.EncryptAll)}
		// Earlier messages waiting in the Outbox go first, in order.
		_, _ = a.FlushOutbox(ctx)
		res, err := a.Send(ctx, d, opts)
		var nid *app.NoDigitalIDError
		if errors.As(err, &nid) {
			var parts []string
			for _, m := range nid.Recipients {
				parts = append(parts, m.Address+" "+m.Reason+", so this message cannot be encrypted for them")
			}
			return Fail(env, ExitNegative, "%s; nothing was sent: ask for their Digital ID with 'securemail securelink request --to ADDRESS', or send with --no-encrypt", strings.Join(parts, "; ")), nil
		}
		if err != nil {
			return ExitError, err
		}
		if res.Queued {
			fmt.Fprintln(env.Stdout, res.Notice)
			return ExitOK, nil
		}
		what := map[[2]bool]string{{false, false}: "", {true, false}: " signed", {false, true}: " encrypted", {true, true}: " signed and encrypted"}[[2]bool{opts.Sign, opts.Encrypt}]
		fmt.Fprintf(env.Stdout, "Sent%s to %s (message %s, now in Sent).\n", what, strings.Join(res.Accepted, ", "), res.ID)
		if len(res.Refused) > 0 {
			fmt.Fprintf(env.Stdout, "The server refused: %s.\n", strings.Join(res.Refused, "; "))
			return ExitNegative, nil
		}
		return ExitOK, nil
	})
}
