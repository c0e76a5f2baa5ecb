package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"securemail/app"
	"securemail/internal/displaytext"
	"securemail/internal/safefile"
	"securemail/mailstore"
	"securemail/smime"
)

// runMessages dispatches `securemail messages list|show`.
func runMessages(ctx context.Context, env *Env, args []string) int {
	return subcommands(ctx, env, "messages", args, map[string]command{
		"list": {"list a folder's messages with their security status", runMessagesList},
		"show": {"open a message (decrypt, verify) and show it with its report", runMessagesShow},
	})
}

func runMessagesList(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "messages list", "messages list [--folder Inbox|Outbox|Sent|Drafts|Trash|NAME] [--limit N] [--json]")
	folder := fs.String("folder", mailstore.Inbox, "folder to list")
	limit := fs.Int("limit", 0, "list at most N messages, newest first (0: all)")
	asJSON := fs.Bool("json", false, "print a JSON array")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	return withApp(ctx, env, profileOptions{PassFile: *passFile}, func(a *app.App) (int, error) {
		rows, err := a.Messages(ctx, *folder, 0, *limit)
		if err != nil {
			return ExitError, err
		}
		if rows == nil {
			rows = []mailstore.Row{} // --json prints [], not null
		}
		return printList(env, rows, listOutput[mailstore.Row]{JSON: *asJSON, Empty: displaytext.Line(*folder) + " is empty.",
			Header: "ID\tSECURITY\tFROM\tSUBJECT\tDATE", Row: func(r mailstore.Row) string {
				// From and Subject are the sender's text: hidden characters are shown as <U+XXXX>.
				return fmt.Sprintf("%s\t%s\t%s\t%s\t%s", r.ID, securityWords(r), trim(displaytext.Line(r.From), 40),
					trim(displaytext.Line(r.Subject), 50), r.Date.Local().Format("2006-01-02 15:04"))
			}})
	})
}

// securityWords says a message's state in words (docs/UX.md §1: never by colour alone).
func securityWords(r mailstore.Row) string {
	var parts []string
	if r.Encrypted {
		parts = append(parts, "encrypted")
	}
	switch {
	case r.DSN != "":
		parts = append(parts, "delivery report")
	case r.Signed && r.Signature == mailstore.SigUnverified:
		parts = append(parts, "signed")
	case r.Signed:
		parts = append(parts, "signed: "+r.Signature)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func trim(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// attachmentView is one entry of `messages show --json` "attachments".
type attachmentView struct {
	Name        string `json:"name"`
	Size        int    `json:"size"`
	ContentType string `json:"content_type"`
	// SavedAs is the file name it was saved under with --save-attachments.
	SavedAs string `json:"saved_as,omitempty"`
}

// messageView is `messages show --json`: the open report of docs/ARCHITECTURE.md §3.2
// plus the message's headers and attachments.
type messageView struct {
	*smime.Report
	ID          string           `json:"id"`
	Folder      string           `json:"folder"`
	From        string           `json:"from"`
	To          string           `json:"to"`
	Cc          string           `json:"cc"`
	Subject     string           `json:"subject"`
	Date        time.Time        `json:"date"`
	DSN         string           `json:"dsn"`
	Attachments []attachmentView `json:"attachments"`
}

func runMessagesShow(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "messages show", "messages show ID [--json] [--save-attachments DIR]\n\nExit status: 0 readable and unsigned or validly signed, 1 a signature problem, 2 cannot be opened.")
	asJSON := fs.Bool("json", false, "print one JSON object")
	saveDir := fs.String("save-attachments", "", "save the attachments in folder `DIR` under names safe on every system (never overwriting)")
	passFile := keyFileFlag(fs)
	// Accept the id before or after the flags.
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	}
	if id == "" {
		return Fail(env, ExitError, "messages show needs a message id; 'securemail messages list' shows them")
	}
	return withApp(ctx, env, profileOptions{PassFile: *passFile, NeedKeys: true}, func(a *app.App) (int, error) {
		v, err := a.OpenMessage(ctx, id)
		if err != nil {
			return ExitError, err
		}
		m, r := v.Message, v.Report
		out := messageView{Report: r, ID: m.ID, Folder: m.Folder, From: m.From, To: m.To, Cc: m.Cc, Subject: m.Subject,
			Date: m.Date, DSN: m.DSN, Attachments: []attachmentView{}}
		for _, at := range r.Attachments {
			v := attachmentView{Name: at.Name, Size: at.Size, ContentType: at.ContentType}
			if *saveDir != "" && (at.Name != "" || !strings.HasPrefix(at.ContentType, "text/")) {
				if v.SavedAs, err = safefile.Save(*saveDir, at.Name, at.Content); err != nil {
					return ExitError, err
				}
			}
			out.Attachments = append(out.Attachments, v)
		}
		if *asJSON {
			if code := printJSON(env, out); code != ExitOK {
				return code, nil
			}
		} else {
			w := tabwriter.NewWriter(env.Stdout, 0, 0, 1, ' ', 0)
			// Everything from the message is shown with its hidden characters as <U+XXXX>.
			fmt.Fprintf(w, "From:\t%s\nTo:\t%s\n", displaytext.Line(out.From), displaytext.Line(out.To))
			if out.Cc != "" {
				fmt.Fprintf(w, "Cc:\t%s\n", displaytext.Line(out.Cc))
			}
			fmt.Fprintf(w, "Date:\t%s\nSubject:\t%s\n", out.Date.Local().Format(time.RFC1123Z), displaytext.Line(out.Subject))
			w.Flush()
			if r.Reason != "" {
				fmt.Fprintf(env.Stdout, "Security: %s\n", displaytext.Line(r.Reason))
			}
			fmt.Fprintf(env.Stdout, "\n%s\n", displaytext.Text(strings.TrimRight(r.Text, "\r\n")))
			for _, at := range out.Attachments {
				fmt.Fprintf(env.Stdout, "Attachment: %s (%d bytes, %s)", displaytext.Line(at.Name), at.Size, displaytext.Line(at.ContentType))
				if at.SavedAs != "" {
					fmt.Fprintf(env.Stdout, ", saved as %s", at.SavedAs)
				}
				fmt.Fprintln(env.Stdout)
			}
		}
		switch {
		case r.Error != "":
			return Fail(env, ExitError, "%s", r.Error), nil
		case r.Signature != smime.StatusValid && r.Signature != smime.StatusNone:
			return ExitNegative, nil
		}
		return ExitOK, nil
	})
}
