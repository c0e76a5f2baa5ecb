package i18n

import (
	"time"
	"unicode"
	"unicode/utf8"

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
	args := localArgs(p.Args)
	return p.Finish(keepCase(lang.X(p.Key, p.English, args), phrase.Render(p.English, args)))
}

// keepCase is text, or english when text is english but for the case of
// its first letter: a sentence the core put inside another one in lower
// case ("Mail could not be fetched: the server…") keeps it in a language
// whose text is the English, as the command line writes it.
func keepCase(text, english string) string {
	r1, n1 := utf8.DecodeRuneInString(text)
	r2, n2 := utf8.DecodeRuneInString(english)
	if text != english && text[n1:] == english[n2:] && unicode.ToLower(r1) == unicode.ToLower(r2) {
		return english
	}
	return text
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
