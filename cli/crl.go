package cli

import (
	"context"
	"fmt"
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
	return runImport(ctx, env, args, importCommand{Name: "crl import", Synopsis: synopsis, Do: func(a *app.App, data []byte, path string) (int, error) {
		k, err := a.ImportCRL(data)
		if sentence, ok := revocation.Sentence(err); ok {
			return Fail(env, ExitError, "%s: %s", path, sentence), nil
		}
		if err != nil {
			return ExitError, err
		}
		fmt.Fprintln(env.Stdout, displaytext.Line(k.Summary()))
		return ExitOK, nil
	}})
}

type crlView struct {
	Authority  string    `json:"authority"`
	Number     string    `json:"number"`
	ThisUpdate time.Time `json:"this_update"`
	NextUpdate time.Time `json:"next_update"`
	Revoked    int       `json:"revoked"`
}

func runCRLList(ctx context.Context, env *Env, args []string) int {
	return runList(ctx, env, args, listCommand[crlView]{Name: "crl list", Rows: func(a *app.App) ([]crlView, error) {
		kept, err := a.CRLs()
		views := make([]crlView, 0, len(kept))
		for _, k := range kept {
			v := crlView{Authority: k.Authority.Subject.CommonName, ThisUpdate: k.List.ThisUpdate.UTC(), NextUpdate: k.List.NextUpdate.UTC(),
				Revoked: len(k.List.RevokedCertificateEntries)}
			if k.List.Number != nil {
				v.Number = k.List.Number.String()
			}
			views = append(views, v)
		}
		return views, err
	},
		Empty:  "No revocation list is kept yet; they are fetched when a signed message needs one, or imported with 'securemail crl import'.",
		Header: "AUTHORITY\tNUMBER\tREVOKED\tNEXT UPDATE", Row: func(v crlView) string {
			return fmt.Sprintf("%s\t%s\t%d\t%s", displaytext.Line(v.Authority), v.Number, v.Revoked, v.NextUpdate.Format("2006-01-02 15:04 MST"))
		}})
}
