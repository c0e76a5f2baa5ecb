package i18n

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"

	"securemail/testaaddr"
)

// placeholders lists the {{.Name}} fields of a translation (of every plural
// form, for a plural key), sorted and without repeats.
func placeholders(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var texts []string
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		texts = []string{one}
	} else {
		var forms map[string]string
		if err := json.Unmarshal(raw, &forms); err != nil {
			t.Fatalf("a translation is neither text nor plural forms: %s", raw)
		}
		if forms["other"] == "" {
			t.Errorf("plural translation without an \"other\" form: %s", raw)
		}
		for _, s := range forms {
			texts = append(texts, s)
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range texts {
		for _, m := range regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`).FindAllStringSubmatch(s, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				out = append(out, m[1])
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestEveryLanguageIsComplete is the key test of docs/GLOSSARY.md: every key
// of en.json is in every other file, with the same placeholders, and no file
// has keys en.json lacks.
func TestEveryLanguageIsComplete(t *testing.T) {
	en, err := keys("en")
	if err != nil {
		t.Fatal(err)
	}
	langs := Languages()
	if len(langs) < 3 || langs[0].Code != "en" {
		t.Fatalf("Languages() = %v, want English first and at least French and German", langs)
	}
	for _, l := range langs[1:] {
		other, err := keys(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range en {
			tr, ok := other[k]
			if !ok {
				t.Errorf("%s.json lacks %q (scripts/i18n-missing.sh %s lists every missing key)", l.Code, k, l.Code)
				continue
			}
			if a, b := strings.Join(placeholders(t, v), ","), strings.Join(placeholders(t, tr), ","); a != b {
				t.Errorf("%s.json %q has placeholders {%s}, en.json {%s}", l.Code, k, b, a)
			}
		}
		for k := range other {
			if _, ok := en[k]; !ok {
				t.Errorf("%s.json has %q, which en.json lacks (a key renamed or removed in English?)", l.Code, k)
			}
		}
	}
}

// TestChosenLanguageOverridesTheSystem: a profile's choice is what the window
// speaks, whatever the system's locale, and Fyne's own dialog words follow.
func TestChosenLanguageOverridesTheSystem(t *testing.T) {
	day := time.Date(2027, time.March, 2, 14, 5, 0, 0, time.UTC)
	for _, tc := range []struct {
		code, cancel, date, short, datetime, size, country string
	}{
		{"fr", "Annuler", "2 mars 2027", "2 mars 2027", "mar. 2 mars 2027 14:05", "1,5 Mo", "Allemagne"},
		{"de", "Abbrechen", "2. März 2027", "2. März 2027", "Di., 2. März 2027 14:05", "1,5 MB", "Deutschland"},
		{"en", "Cancel", "2 March 2027", "2 Mar 2027", "Tue 2 March 2027 14:05", "1.5 MB", "Germany"},
	} {
		got, err := Use(tc.code)
		if err != nil {
			t.Fatalf("Use(%q): %v", tc.code, err)
		}
		if got.Code != tc.code || Current().Code != tc.code {
			t.Errorf("Use(%q) = %v, Current() = %v", tc.code, got, Current())
		}
		if s := lang.L("Cancel"); s != tc.cancel {
			t.Errorf("%s: Fyne's Cancel reads %q, want %q", tc.code, s, tc.cancel)
		}
		if s := Date(day); s != tc.date {
			t.Errorf("%s: Date = %q, want %q", tc.code, s, tc.date)
		}
		if s := ShortDate(day); s != tc.short {
			t.Errorf("%s: ShortDate = %q, want %q", tc.code, s, tc.short)
		}
		if s := DateTime(day); s != tc.datetime {
			t.Errorf("%s: DateTime = %q, want %q", tc.code, s, tc.datetime)
		}
		if s := Size(3 << 19); s != tc.size {
			t.Errorf("%s: Size(1.5 MiB) = %q, want %q", tc.code, s, tc.size)
		}
		d, _ := testaaddr.LookupCountry("D")
		if s := CountryName(d.Region); s != tc.country {
			t.Errorf("%s: CountryName(%s) = %q, want %q", tc.code, d.Region, s, tc.country)
		}
	}
	if _, err := Use("xx"); err == nil {
		t.Error("Use(\"xx\") accepted a language without a file")
	}
}

// TestEveryAnnexACountryHasANameInEveryLanguage: the country list of the
// wizard never shows a bare code.
func TestEveryAnnexACountryHasANameInEveryLanguage(t *testing.T) {
	for _, l := range Languages() {
		if _, err := Use(l.Code); err != nil {
			t.Fatal(err)
		}
		for _, c := range testaaddr.Countries() {
			if n := CountryName(c.Region); n == c.Region || n == "" {
				t.Errorf("%s: Annex A's %s (%s) has no name", l.Code, c.Code, c.Region)
			}
		}
	}
	if _, err := Use("en"); err != nil {
		t.Fatal(err)
	}
}

func TestSizeCountsBytesInTheLanguage(t *testing.T) {
	if _, err := Use("fr"); err != nil {
		t.Fatal(err)
	}
	defer Use("en")
	for n, want := range map[int64]string{1: "1 octet", 999: "999 octets", 2048: "2 Ko"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) in French = %q, want %q", n, got, want)
		}
	}
}

// keys reads the keys of one translation file: a plain text or a plural
// form ({"one": …, "other": …}) per key.
func keys(code string) (map[string]json.RawMessage, error) {
	data, err := files.ReadFile("translations/" + code + ".json")
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("i18n: %s.json: %w", code, err)
	}
	return m, nil
}

// TestFrenchSaysTheFirstOfTheMonthAsFrenchWritesIt: « 1er juillet », not
// « 1 juillet »; the other days are plain numbers.
func TestFrenchSaysTheFirstOfTheMonthAsFrenchWritesIt(t *testing.T) {
	if _, err := Use("fr"); err != nil {
		t.Fatal(err)
	}
	defer Use("en")
	first := time.Date(2027, time.July, 1, 9, 30, 0, 0, time.UTC)
	for got, want := range map[string]string{
		Date(first):                  "1er juillet 2027",
		DateTime(first):              "jeu. 1er juillet 2027 09:30",
		Date(first.AddDate(0, 0, 1)): "2 juillet 2027",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}
