package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"securemail/app"
	"securemail/app/revocation"
	"securemail/internal/displaytext"
)

// runCRL dispatches `securemail crl import|list`.
func runCRL(ctx context.Context, env *Env, args []string) int {
	return subcommands(ctx, env, "crl", args, map[string]command{
		"import": {"keep a certificate revocation list file (DER or PEM) signed by a known authority", runCRLImport},
		"list":   {"list the revocation lists kept, with their authority and next update", runCRLList},
	})
}

func runCRLImport(ctx context.Context, env *Env, args []string) int {
	synopsis := "crl import FILE   (.crl, DER or PEM)\n\nKeeps the revocation list in the profile after checking that a trusted\nauthority, or an authority of the chain you installed, signed it. Digital\nIDs it lists are revoked from then on (docs/SECURITY.md, revocation)."
	return importFile(ctx, env, args, "crl import", synopsis, func(a *app.App, data []byte, path string) int {
		k, err := a.ImportCRL(data)
		if sentence, ok := revocation.Sentence(err); ok {
			return Fail(env, ExitError, "%s: %s", path, sentence)
		}
		if err != nil {
			return failErr(env, err)
		}
		fmt.Fprintln(env.Stdout, displaytext.Line(k.Summary()))
		return ExitOK
	})
}

type crlView struct {
	Authority  string    `json:"authority"`
	Number     string    `json:"number"`
	ThisUpdate time.Time `json:"this_update"`
	NextUpdate time.Time `json:"next_update"`
	Revoked    int       `json:"revoked"`
}

func runCRLList(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "crl list", "crl list [--json]")
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
	kept, err := a.CRLs()
	if err != nil {
		return failErr(env, err)
	}
	views := make([]crlView, 0, len(kept))
	for _, k := range kept {
		v := crlView{Authority: k.Authority.Subject.CommonName, ThisUpdate: k.List.ThisUpdate.UTC(), NextUpdate: k.List.NextUpdate.UTC(),
			Revoked: len(k.List.RevokedCertificateEntries)}
		if k.List.Number != nil {
			v.Number = k.List.Number.String()
		}
		views = append(views, v)
	}
	if *asJSON {
		return printJSON(env, views)
	}
	if len(views) == 0 {
		fmt.Fprintln(env.Stdout, "No revocation list is kept yet; they are fetched when a signed message needs one, or imported with 'securemail crl import'.")
		return ExitOK
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "AUTHORITY\tNUMBER\tREVOKED\tNEXT UPDATE")
	for _, v := range views {
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", displaytext.Line(v.Authority), v.Number, v.Revoked, v.NextUpdate.Format("2006-01-02 15:04 MST"))
	}
	w.Flush()
	return ExitOK
}
