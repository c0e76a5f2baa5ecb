package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/internal/displaytext"
)

// runContacts dispatches `securemail contacts list|import|export|remove`.
func runContacts(ctx context.Context, env *Env, args []string) int {
	return subcommands(ctx, env, "contacts", args, map[string]command{
		"list":   {"list contacts with V / red X and the reason", runContactsList},
		"import": {"import Digital IDs from a .p7b, .cer or .pem file", runContactsImport},
		"export": {"write a contact's Digital ID with its chain as .p7b", runContactsExport},
		"remove": {"remove a contact", runContactsRemove},
	})
}

type digitalIDView struct {
	Fingerprint string    `json:"fingerprint_sha256"`
	Status      string    `json:"status"`
	Reason      string    `json:"reason"`
	NotAfter    time.Time `json:"not_after"`
	Default     bool      `json:"default"`
}

type contactView struct {
	Address    string          `json:"address"`
	Name       string          `json:"name"`
	Status     string          `json:"status"`
	Reason     string          `json:"reason"`
	SecureLink string          `json:"secure_link"`
	DigitalIDs []digitalIDView `json:"digital_ids"`
}

func runContactsList(ctx context.Context, env *Env, args []string) int {
	return runList(ctx, env, args, listCommand[contactView]{Name: "contacts list", Rows: func(a *app.App) ([]contactView, error) {
		cs, err := a.Contacts()
		views := make([]contactView, 0, len(cs))
		for _, c := range cs {
			v := contactView{Address: c.Contact.Address, Name: c.Contact.Name, Status: string(c.Verdict.Status),
				Reason: c.Verdict.Reason, SecureLink: string(c.Contact.Link), DigitalIDs: []digitalIDView{}}
			for _, x := range c.Verdict.IDs {
				v.DigitalIDs = append(v.DigitalIDs, digitalIDView{Fingerprint: x.ID.Fingerprint(), Status: string(x.Problem),
					Reason: x.Reason, NotAfter: x.NotAfter.UTC(), Default: x.ID.Default})
			}
			views = append(views, v)
		}
		return views, err
	}, Empty: "The address book is empty.", Header: "\tADDRESS\tSTATUS", Row: func(v contactView) string {
		mark := map[string]string{string(addressbook.Valid): "V", string(addressbook.Invalid): "X", string(addressbook.None): "-"}[v.Status]
		return fmt.Sprintf("%s\t%s\t%s", mark, displaytext.Line(v.Address), displaytext.Line(v.Reason))
	}})
}

func runContactsImport(ctx context.Context, env *Env, args []string) int {
	return runImport(ctx, env, args, importCommand{Name: "contacts import", Synopsis: "contacts import FILE   (.p7b, .cer or .pem)", Do: func(a *app.App, data []byte, _ string) (int, error) {
		addrs, err := a.ImportContacts(data)
		if err != nil {
			return ExitError, err
		}
		fmt.Fprintf(env.Stdout, "Digital ID imported for %s.\n", displaytext.Line(strings.Join(addrs, ", ")))
		return ExitOK, nil
	}})
}

// importCommand is a command of the shape `NAME FILE`: Do imports the
// bytes of the file at path into the opened profile.
type importCommand struct {
	Name     string
	Synopsis string
	Do       func(a *app.App, data []byte, path string) (int, error)
}

// runImport runs c with args: it parses the flags, reads the one file
// named, opens the profile and hands both to c.Do.
func runImport(ctx context.Context, env *Env, args []string, c importCommand) int {
	name := c.Name
	fs := NewFlagSet(env, name, c.Synopsis)
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() != 1 {
		return Fail(env, ExitError, "%s needs one file: 'securemail %s FILE'", name, name)
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return Fail(env, ExitError, "cannot read %s: %v", fs.Arg(0), errors.Unwrap(err))
	}
	return withApp(ctx, env, profileOptions{PassFile: *passFile}, func(a *app.App) (int, error) {
		return c.Do(a, data, fs.Arg(0))
	})
}

func runContactsExport(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "contacts export", "contacts export ADDRESS [--out FILE] > id.p7b")
	out := fs.String("out", "", "write to this file instead of standard output")
	passFile := keyFileFlag(fs)
	var addr string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		addr, args = args[0], args[1:]
	}
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if addr == "" && fs.NArg() == 1 {
		addr = fs.Arg(0)
	}
	if addr == "" {
		return Fail(env, ExitError, "contacts export needs an address: 'securemail contacts export ADDRESS'")
	}
	return withApp(ctx, env, profileOptions{PassFile: *passFile}, func(a *app.App) (int, error) {
		p7b, err := a.Book.Export(addr)
		if err != nil {
			return ExitError, err
		}
		if *out != "" {
			if err := os.WriteFile(*out, p7b, 0o644); err != nil {
				return Fail(env, ExitError, "cannot write %s: %v", *out, errors.Unwrap(err)), nil
			}
			return ExitOK, nil
		}
		return writeOut(env, p7b), nil
	})
}

func runContactsRemove(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "contacts remove", "contacts remove ADDRESS")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() != 1 {
		return Fail(env, ExitError, "contacts remove needs one address: 'securemail contacts remove ADDRESS'")
	}
	return withApp(ctx, env, profileOptions{PassFile: *passFile}, func(a *app.App) (int, error) {
		if err := a.Book.Remove(fs.Arg(0)); err != nil {
			return ExitError, err
		}
		fmt.Fprintf(env.Stdout, "%s removed from the address book.\n", fs.Arg(0))
		return ExitOK, nil
	})
}
