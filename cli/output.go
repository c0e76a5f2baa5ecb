package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"securemail/app"
)

// printJSON prints v as indented JSON, the output of every --json.
func printJSON(env *Env, v any) int {
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return Fail(env, ExitError, "cannot write the JSON output: %v", err)
	}
	return ExitOK
}

// listOutput says how a list command (contacts, revocation lists, secure
// links, messages) prints its rows.
type listOutput[T any] struct {
	JSON   bool           // --json: the rows as one JSON array, as they are
	Empty  string         // the sentence printed instead of an empty table
	Header string         // the table's first line, columns separated by tabs
	Row    func(T) string // one row, columns separated by tabs, without newline
}

// printList prints rows as o says and returns the command's exit status;
// its error is always nil, for withApp's do.
func printList[T any](env *Env, rows []T, o listOutput[T]) (int, error) {
	if o.JSON {
		return printJSON(env, rows), nil
	}
	if len(rows) == 0 {
		fmt.Fprintln(env.Stdout, o.Empty)
		return ExitOK, nil
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, o.Header)
	for _, r := range rows {
		fmt.Fprintln(w, o.Row(r))
	}
	w.Flush()
	return ExitOK, nil
}

// listCommand runs a command of the shape `NAME [--json]` that lists what
// rows reads from the profile, printed as out says.
func listCommand[T any](ctx context.Context, env *Env, args []string, name string, rows func(a *app.App) ([]T, error), out listOutput[T]) int {
	fs := NewFlagSet(env, name, name+" [--json]")
	asJSON := fs.Bool("json", false, "print a JSON array")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	out.JSON = *asJSON
	return withApp(ctx, env, profileOptions{PassFile: *passFile}, func(a *app.App) (int, error) {
		list, err := rows(a)
		if err != nil {
			return ExitError, err
		}
		return printList(env, list, out)
	})
}
