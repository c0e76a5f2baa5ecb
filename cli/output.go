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

// listCommand is a command of the shape `NAME [--json]` that lists what
// Rows reads from the profile, in a table of Header and one Row per row, or
// the Empty sentence.
type listCommand[T any] struct {
	Name   string
	Rows   func(a *app.App) ([]T, error)
	Empty  string
	Header string
	Row    func(T) string
}

// runList runs c with args.
func runList[T any](ctx context.Context, env *Env, args []string, c listCommand[T]) int {
	fs := NewFlagSet(env, c.Name, c.Name+" [--json]")
	asJSON := fs.Bool("json", false, "print a JSON array")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	return withApp(ctx, env, profileOptions{PassFile: *passFile}, func(a *app.App) (int, error) {
		list, err := c.Rows(a)
		if err != nil {
			return ExitError, err
		}
		return printList(env, list, listOutput[T]{JSON: *asJSON, Empty: c.Empty, Header: c.Header, Row: c.Row})
	})
}
