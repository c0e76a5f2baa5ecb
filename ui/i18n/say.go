package i18n

import (
	"time"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"securemail/internal/phrase"
)

// Say is p in the window's language: the translation of its key filled with
// its values, each value in the language too (a phrase.Date as [Date], a
// phrase.Moment as [DateTime] in local time, a phrase.Number with the
// language's digit grouping, a nested phrase by Say). Without
// a translation it is p's English, so a sentence is never lost.
func Say(p phrase.Phrase) string {
	if p.Key == "" {
		return p.String()
	}
	// The fallback is the English template, filled by lang like a
	// translation: a rendered sentence would be run as a template, and a
	// value holding "{{" (an address from a message) with it.
	return lang.X(p.Key, p.English, localArgs(p.Args))
}

// SayAll is phrases in the window's language, one after the other.
func SayAll(ps []phrase.Phrase) string { return phrase.Join(ps, Say) }

// localArgs is args with every value in the window's language.
func localArgs(args phrase.Args) map[string]any {
	if len(args) == 0 {
		return nil
	}
	out := make(map[string]any, len(args))
	for k, v := range args {
		switch v := v.(type) {
		case phrase.Date:
			out[k] = Date(time.Time(v).UTC())
		case phrase.Moment:
			out[k] = DateTime(time.Time(v).Local())
		case phrase.Number:
			out[k] = message.NewPrinter(language.Make(Current().Code)).Sprintf("%d", int(v))
		case phrase.Phrase:
			out[k] = Say(v)
		default:
			out[k] = v
		}
	}
	return out
}
