// Package phrase holds a sentence as data: the key that names its wording in
// the window's translation files, its English template, and the named values
// it shows. The core words what it says once, in English, as a Phrase; the
// command line, the JSON reports and the logs print its English (String),
// and the window renders the same key in its own language with the same
// values (ui/i18n.Say). docs/ARCHITECTURE.md §7 (sentences and languages).
//
// Templates are Go text/template text with named placeholders, {{.Who}}, as
// Fyne's lang package reads them. A test of ui/i18n finds every phrase.New
// call of the repository and checks that en.json holds the same English
// template under the same key, so the English of the command line and of the
// window cannot drift apart.
package phrase

import (
	"strconv"
	"strings"
	"text/template"
	"time"
)

// Phrase is one sentence (or part of one) as data.
type Phrase struct {
	// Key names the wording in the translation files ("verdict.valid").
	Key string
	// English is the English template, the text shown when no translation
	// applies and the text of the command line, JSON and logs.
	English string
	// Inside says the phrase goes inside another sentence: rendered
	// without its final full stop, in every language.
	Inside bool
	// Args are the values the template names: strings, numbers, Number,
	// Date, Moment or another Phrase (rendered in the same language).
	Args Args
}

// Args are a phrase's named values.
type Args = map[string]any

// New is the phrase key with its English template and values.
func New(key, english string, args Args) Phrase {
	return Phrase{Key: key, English: english, Args: args}
}

// IsZero reports whether p says nothing.
func (p Phrase) IsZero() bool { return p.Key == "" && p.English == "" }

// String is the phrase in English.
func (p Phrase) String() string { return p.Finish(Render(p.English, p.Args)) }

// Finish ends a rendering of p: without its final full stop when p goes
// inside another sentence.
func (p Phrase) Finish(text string) string {
	if p.Inside {
		return strings.TrimSuffix(text, ".")
	}
	return text
}

// Within is p to go inside another sentence (see Inside).
func (p Phrase) Within() Phrase {
	p.Inside = true
	return p
}

// Date is a day a phrase shows: "2 January 2006" in English (UTC), the
// language's own format in the window.
type Date time.Time

// String is the day in English.
func (d Date) String() string { return time.Time(d).UTC().Format("2 January 2006") }

// Moment is a day and time a phrase shows: "2 January 2006 15:04 UTC" in
// English, the language's own format in the window.
type Moment time.Time

// String is the moment in English.
func (m Moment) String() string { return time.Time(m).UTC().Format("2 January 2006 15:04 MST") }

// Number is a count a phrase shows: "10,000" in English, grouped as the
// language groups digits in the window ("10 000", "10.000").
type Number int

// String is the number in English, with a comma between thousands.
func (n Number) String() string {
	s := strconv.Itoa(int(n))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Render fills the template text with args, each value printed by its
// String method (a nested Phrase in English). A template that cannot be
// parsed or filled renders as its text, so a mistake in a translation never
// hides a sentence; the test of the translation files catches it first.
func Render(text string, args Args) string {
	if !strings.Contains(text, "{{") {
		return text
	}
	t, err := template.New("").Option("missingkey=zero").Parse(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	if err := t.Execute(&b, args); err != nil {
		return text
	}
	return b.String()
}

// Join is phrases rendered one after the other, separated by a space: a
// sentence followed by the sentences that complete it.
func Join(ps []Phrase, render func(Phrase) string) string {
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		if p.IsZero() {
			continue
		}
		parts = append(parts, render(p))
	}
	return strings.Join(parts, " ")
}
