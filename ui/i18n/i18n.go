// Package i18n gives the window its words in the user's language. Every
// user-visible string of the window is a key (such as "wizard.title") looked
// up through Fyne's own lang package (lang.L, lang.N for plurals, lang.X);
// the words are in the translation files translations/<language>.json,
// embedded in the program. English is complete and is the fallback; adding a
// language is adding one file (the key test checks it; scripts/i18n-missing.sh
// lists what a new file still lacks; docs/GLOSSARY.md fixes the terms).
//
// The command line, its JSON and the logs stay English: they are contracts
// read by scripts, so nothing outside the window uses this package.
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/jeandeaual/go-locale"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
)

//go:embed translations/*.json
var files embed.FS

// init gives Fyne's lang our words in the system's language as soon as the
// window's code is loaded, so that every screen (and every test of one) reads
// English rather than keys even before [Use] is called. Fyne's lang is
// itself process-wide; this adds to it once.
func init() {
	if err := lang.AddTranslationsFS(files, "translations"); err != nil {
		fyne.LogError("SecureMail's translation files", err)
	}
}

// Language is one language the window speaks.
type Language struct {
	Code string // the file's name without .json: "en", "fr", "de"
	Name string // the language's own name for itself: "Français"
}

// Languages returns the languages there are translation files for, English
// first, then by code.
func Languages() []Language {
	entries, _ := fs.ReadDir(files, "translations")
	var out []Language
	for _, e := range entries {
		code := strings.TrimSuffix(e.Name(), ".json")
		tag := language.Make(code)
		out = append(out, Language{Code: code, Name: display.Self.Name(tag)})
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Code == "en") != (out[j].Code == "en") {
			return out[i].Code == "en"
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// ErrUnknownLanguage means a profile asks for a language there is no
// translation file for (a file removed, a setting typed by hand).
var ErrUnknownLanguage = errors.New("i18n: no translation file for this language")

// Use loads the translations into Fyne's lang package and returns the
// language the window will speak. choice "" follows the system's language
// (a C or POSIX locale, or a language without a file, means English);
// otherwise choice is a code of [Languages] and overrides the system for
// this profile. Use is called before the first window is built; the window
// does not change language while it is open.
func Use(choice string) (Language, error) {
	if err := lang.AddTranslationsFS(files, "translations"); err != nil {
		return Language{}, fmt.Errorf("i18n: %w", err)
	}
	if choice == "" {
		return system(), nil
	}
	data, err := files.ReadFile("translations/" + choice + ".json")
	if err != nil {
		return system(), fmt.Errorf("%w: %q", ErrUnknownLanguage, choice)
	}
	// Fyne's lang picks, among the languages it has files for, the one
	// closest to the system's locales, and offers no way to choose another.
	// So the chosen file is registered under each of the system's locales
	// (and English, the fallback): whichever Fyne picks speaks the choice.
	// The files also carry Fyne's own dialog words (Cancel, Save …), so
	// those follow the choice too.
	for _, tag := range systemTags() {
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(tag)); err != nil {
			return system(), fmt.Errorf("i18n: %w", err)
		}
	}
	return Language{Code: choice, Name: display.Self.Name(language.Make(choice))}, nil
}

// systemTags are the tags Fyne's lang may pick: the system's locales that
// parse as language tags, and English.
func systemTags() []string {
	tags := []string{"en"}
	all, _ := locale.GetLocales()
	for _, l := range all {
		if t, err := language.Parse(l); err == nil {
			tags = append(tags, t.String())
			if b, conf := t.Base(); conf != language.No {
				tags = append(tags, b.String())
			}
		}
	}
	return tags
}

// system is the language Fyne's lang speaks when nothing overrides it.
func system() Language {
	code := lang.X("language.code", "en")
	return Language{Code: code, Name: display.Self.Name(language.Make(code))}
}

// Current is the language the window speaks now.
func Current() Language { return system() }

// CountryName names a country, given by its ISO 3166-1 alpha-2 region code
// ("FI"), in the window's language; an unknown code is returned as it is.
func CountryName(region string) string {
	r, err := language.ParseRegion(region)
	if err != nil {
		return region
	}
	if n := display.Regions(language.Make(Current().Code)).Name(r); n != "" {
		return n
	}
	return region
}

// Size says a number of bytes in the window's language, in units of 1024
// as the file managers of Windows and Linux desktops do: "1.5 MB",
// "1,5 Mo", "1,5 MB".
func Size(n int64) string {
	p := message.NewPrinter(language.Make(Current().Code))
	switch {
	case n < 1<<10:
		return lang.N("size.bytes", int(n), map[string]any{"N": p.Sprintf("%d", n)})
	case n < 1<<20:
		return lang.L("size.kb", map[string]any{"N": p.Sprintf("%d", (n+512)>>10)})
	case n < 1<<30:
		return lang.L("size.mb", map[string]any{"N": p.Sprintf("%.1f", float64(n)/(1<<20))})
	default:
		return lang.L("size.gb", map[string]any{"N": p.Sprintf("%.1f", float64(n)/(1<<30))})
	}
}

// Date says a day as the window's language writes it: "2 March 2027",
// "2 mars 2027", "2. März 2027".
func Date(t time.Time) string { return lang.L("format.date", dateFields(t)) }

// DateTime says a moment with its weekday and time of day:
// "Tue 2 March 2027 14:05", "mar. 2 mars 2027 14:05".
func DateTime(t time.Time) string { return lang.L("format.datetime", dateFields(t)) }

// ShortDate says a day briefly, for a column of dates: "2 Mar 2027",
// "2 mars 2027", "2. März 2027".
func ShortDate(t time.Time) string {
	f := dateFields(t)
	f["Month"] = lang.L(fmt.Sprintf("monthshort.%d", int(t.Month())))
	return lang.L("format.shortdate", f)
}

func dateFields(t time.Time) map[string]any {
	return map[string]any{
		"Day":     t.Day(),
		"Month":   lang.L(fmt.Sprintf("month.%d", int(t.Month()))),
		"Year":    t.Year(),
		"Weekday": lang.L(fmt.Sprintf("weekday.%d", int(t.Weekday()))),
		"Time":    t.Format("15:04"),
	}
}

// SortStrings sorts texts shown in a list (country names) in the order of
// the window's language: "Österreich" with the O's in German, "Espagne"
// after "Danemark" in French.
func SortStrings(texts []string) {
	collate.New(language.Make(Current().Code)).SortStrings(texts)
}
