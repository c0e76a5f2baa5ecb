// Package localefix makes a C or POSIX locale read as English before Fyne
// looks at it. Fyne's lang package reads the locale in its init function and,
// through go-locale, takes "C.UTF-8" (the default LANG of Debian containers
// and CI machines) for a language tag; parsing it fails and Fyne prints three
// lines of "Error parsing user locale C" on stderr — before any command of
// ours runs, so even `securemail version` would print them.
//
// Go initialises packages in the order of their import paths among those
// whose imports are ready, so this package lives in its own module, whose
// path sorts before fyne.io: main imports it for its side effect. It sets
// LANGUAGE=en (which gettext itself ignores under a C locale, so no other
// program changes behaviour) only when the locale is C or POSIX and
// LANGUAGE is unset.
package localefix

import (
	"os"
	"strings"
)

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if isC(v) && os.Getenv("LANGUAGE") == "" {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}

func isC(locale string) bool {
	base, _, _ := strings.Cut(locale, ".")
	return base == "C" || base == "POSIX"
}
