// Package testaaddr parses and validates TESTA secure-mail addresses of the
// form Firstname.Surname@tcn.<cc>.eu-admin.net, where <cc> is a country's
// distinguishing sign from Annex A of the TACHOnet secure mail document.
package testaaddr

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"securemail/internal/phrase"
)

// Domain is the suffix every TESTA address domain ends with.
const Domain = "eu-admin.net"

// Country is one entry of Annex A: a distinguishing sign and the country's name.
type Country struct {
	Code string // upper case, as in Annex A, e.g. "FIN"
	Name string // English name, e.g. "Finland"
	// Region is the country's ISO 3166-1 alpha-2 code ("FI"): the window
	// names the country in the user's language from it.
	Region string
}

// annexA lists the distinguishing signs of Annex A in the order the seed gives
// them. It is returned by copy from Countries, so callers cannot change it.
var annexA = [...]Country{
	{"A", "Austria", "AT"}, {"B", "Belgium", "BE"}, {"DK", "Denmark", "DK"}, {"FIN", "Finland", "FI"},
	{"F", "France", "FR"}, {"D", "Germany", "DE"}, {"GR", "Greece", "GR"}, {"IS", "Iceland", "IS"},
	{"IRL", "Ireland", "IE"}, {"I", "Italy", "IT"}, {"FL", "Liechtenstein", "LI"}, {"L", "Luxembourg", "LU"},
	{"NL", "Netherlands", "NL"}, {"N", "Norway", "NO"}, {"P", "Portugal", "PT"}, {"E", "Spain", "ES"},
	{"S", "Sweden", "SE"}, {"GB", "United Kingdom", "GB"}, {"CH", "Switzerland", "CH"}, {"CY", "Cyprus", "CY"},
	{"CZ", "Czech Republic", "CZ"}, {"EST", "Estonia", "EE"}, {"H", "Hungary", "HU"}, {"LV", "Latvia", "LV"},
	{"LT", "Lithuania", "LT"}, {"M", "Malta", "MT"}, {"PL", "Poland", "PL"}, {"SK", "Slovakia", "SK"},
	{"SLO", "Slovenia", "SI"},
}

// Countries returns Annex A sorted by country name.
func Countries() []Country {
	out := append([]Country(nil), annexA[:]...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupCountry returns the Annex A entry for a distinguishing sign, in any case.
func LookupCountry(code string) (Country, bool) {
	for _, c := range annexA {
		if strings.EqualFold(c.Code, code) {
			return c, true
		}
	}
	return Country{}, false
}

// Address is a parsed, valid TESTA address.
type Address struct {
	FirstName string // as written, e.g. "Marie"
	Surname   string // as written, e.g. "Curie"
	Country   Country
}

// ErrInvalid is wrapped by every error Parse returns, so callers can test
// for it with errors.Is; the error's text is the sentence to show a person.
var ErrInvalid = errors.New("not a valid TESTA address")

// InvalidError is Parse's refusal: the text given, and why it is no TESTA
// address and what to write instead.
type InvalidError struct {
	Input string // as given
	// Why says what is wrong and what to write instead, as a phrase the
	// window shows in its language: "it contains a space; remove it (…)".
	Why phrase.Phrase
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("%q is not a valid TESTA address: %s", e.Input, e.Why)
}

// Unwrap lets errors.Is(err, ErrInvalid) hold.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Parse validates s and returns its parts. Each kind of mistake gets its own
// sentence that says what to write instead.
func Parse(s string) (Address, error) {
	fail := func(why phrase.Phrase) (Address, error) {
		return Address{}, &InvalidError{Input: s, Why: why}
	}
	domain := phrase.Args{"Domain": Domain}
	if s == "" {
		return fail(phrase.New("testaaddr.empty", "the address is empty; write it as Firstname.Surname@tcn.<country>.{{.Domain}}", domain))
	}
	if !utf8.ValidString(s) {
		return fail(phrase.New("testaaddr.notText", "it is not valid text; type it again", nil))
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			return fail(phrase.New("testaaddr.space", "it contains a space; remove it (write Firstname.Surname, joined by a dot)", nil))
		}
	}
	for _, r := range s {
		if r > unicode.MaxASCII {
			return fail(phrase.New("testaaddr.accent", "it contains the character {{.Char}}; use only Latin letters without accents (for example e for é)",
				phrase.Args{"Char": strconv.QuoteRune(r)}))
		}
	}
	local, dom, ok := strings.Cut(s, "@")
	if !ok {
		return fail(phrase.New("testaaddr.noAt", "it has no @; write it as Firstname.Surname@tcn.<country>.{{.Domain}}", domain))
	}
	if strings.Contains(dom, "@") {
		return fail(phrase.New("testaaddr.twoAt", "it has more than one @", nil))
	}
	first, surname, ok := strings.Cut(local, ".")
	switch {
	case !ok:
		return fail(phrase.New("testaaddr.noDot", "there is no dot between first name and surname; write Firstname.Surname", nil))
	case first == "":
		return fail(phrase.New("testaaddr.noFirst", "the first name before the dot is missing", nil))
	case surname == "":
		return fail(phrase.New("testaaddr.noSurname", "the surname after the dot is missing", nil))
	}
	for _, part := range []string{first, surname} {
		for _, r := range part {
			if !isNameChar(r) {
				return fail(phrase.New("testaaddr.nameChar", "the name part may hold only letters, digits, hyphens and one dot, not {{.Char}}",
					phrase.Args{"Char": strconv.QuoteRune(r)}))
			}
		}
		if strings.HasPrefix(part, "-") || strings.HasSuffix(part, "-") {
			return fail(phrase.New("testaaddr.hyphen", "a name may not start or end with a hyphen", nil))
		}
	}
	if strings.Contains(surname, ".") {
		return fail(phrase.New("testaaddr.twoDots", "there is more than one dot before the @; write Firstname.Surname (join double names with a hyphen)", nil))
	}
	lower := strings.ToLower(dom)
	domain["Given"] = dom
	if !strings.HasPrefix(lower, "tcn.") || !strings.HasSuffix(lower, "."+Domain) {
		return fail(phrase.New("testaaddr.domain", "the domain must be tcn.<country>.{{.Domain}}, not {{.Given}}", domain))
	}
	code := strings.TrimSuffix(strings.TrimPrefix(lower, "tcn."), "."+Domain)
	if code == "" || strings.Contains(code, ".") {
		return fail(phrase.New("testaaddr.oneCountry", "the domain must be tcn.<country>.{{.Domain}} with one country code, not {{.Given}}", domain))
	}
	country, ok := LookupCountry(code)
	if !ok {
		return fail(phrase.New("testaaddr.country", "{{.Code}} is not a country code of Annex A (for example b for Belgium, f for France, d for Germany)",
			phrase.Args{"Code": strconv.Quote(code)}))
	}
	return Address{FirstName: first, Surname: surname, Country: country}, nil
}

func isNameChar(r rune) bool {
	return r == '-' || r == '.' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
}

// Make builds the address of a person in a country. It validates the result,
// so names with spaces or accents are refused with Parse's sentences.
func Make(first, surname, countryCode string) (Address, error) {
	return Parse(first + "." + surname + "@tcn." + strings.ToLower(countryCode) + "." + Domain)
}

// String returns the address with the country code in lower case, as used in mail.
func (a Address) String() string {
	return a.FirstName + "." + a.Surname + "@" + a.Domain()
}

// Domain returns the address's mail domain, e.g. tcn.f.eu-admin.net.
func (a Address) Domain() string {
	return "tcn." + strings.ToLower(a.Country.Code) + "." + Domain
}

// Equal compares two addresses case-insensitively, as TESTA mail does.
func Equal(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// IsTESTADomain reports whether a mail domain belongs to the TESTA network
// (eu-admin.net or one of its subdomains).
func IsTESTADomain(domain string) bool {
	d := strings.ToLower(strings.TrimSuffix(domain, "."))
	return d == Domain || strings.HasSuffix(d, "."+Domain)
}
