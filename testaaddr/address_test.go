package testaaddr

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

func TestParseValid(t *testing.T) {
	for _, tc := range []struct {
		in, want, country string
	}{
		{"Marie.Curie@tcn.f.eu-admin.net", "Marie.Curie@tcn.f.eu-admin.net", "France"},
		{"Alain.Dupont@TCN.B.EU-ADMIN.NET", "Alain.Dupont@tcn.b.eu-admin.net", "Belgium"},
		{"Jan.Novak@tcn.cz.eu-admin.net", "Jan.Novak@tcn.cz.eu-admin.net", "Czech Republic"},
		{"Anna-Liisa.Virtanen@tcn.fin.eu-admin.net", "Anna-Liisa.Virtanen@tcn.fin.eu-admin.net", "Finland"},
		{"Ivan.Kranjc@tcn.slo.eu-admin.net", "Ivan.Kranjc@tcn.slo.eu-admin.net", "Slovenia"},
	} {
		a, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if a.String() != tc.want || a.Country.Name != tc.country {
			t.Errorf("Parse(%q) = %s in %s, want %s in %s", tc.in, a, a.Country.Name, tc.want, tc.country)
		}
	}
}

func TestParseMistakes(t *testing.T) {
	for _, tc := range []struct {
		in, says string
	}{
		{"Marie.Curie@tcn.xx.eu-admin.net", "not a country code of Annex A"},
		{"MarieCurie@tcn.f.eu-admin.net", "no dot between first name and surname"},
		{"Marie.Curie@tcn.f.europa.eu", "the domain must be tcn.<country>.eu-admin.net"},
		{"Marie.Curie@f.eu-admin.net", "the domain must be tcn.<country>.eu-admin.net"},
		{"Marie Curie@tcn.f.eu-admin.net", "contains a space"},
		{"Marie.Curie @tcn.f.eu-admin.net", "contains a space"},
		{"Hélène.Curie@tcn.f.eu-admin.net", "without accents"},
		// Cyrillic А (U+0410) looks like Latin A: the seed's text has such letters.
		{"Marie.Curie@tcn.\u0410.eu-admin.net", "without accents"},
		{"Marie.Curie.tcn.f.eu-admin.net", "has no @"},
		{"", "empty"},
		{".Curie@tcn.f.eu-admin.net", "first name before the dot is missing"},
		{"Marie.@tcn.f.eu-admin.net", "surname after the dot is missing"},
		{"Marie.de.Curie@tcn.f.eu-admin.net", "more than one dot"},
		{"Marie.Curie@tcn.f.b.eu-admin.net", "one country code"},
	} {
		_, err := Parse(tc.in)
		if err == nil {
			t.Errorf("Parse(%q) accepted it", tc.in)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) error %v does not wrap ErrInvalid", tc.in, err)
		}
		if !strings.Contains(err.Error(), tc.says) {
			t.Errorf("Parse(%q) = %q, want it to say %q", tc.in, err, tc.says)
		}
	}
}

func TestAnnexAIsLatinAndComplete(t *testing.T) {
	cs := Countries()
	if len(cs) != 29 {
		t.Fatalf("Annex A has %d countries, want 29", len(cs))
	}
	for _, c := range cs {
		for _, r := range c.Code {
			if r < 'A' || r > 'Z' {
				t.Errorf("code %q of %s has a non-Latin letter %q", c.Code, c.Name, r)
			}
		}
		if _, err := Make("Test", "User", c.Code); err != nil {
			t.Errorf("Make for %s: %v", c.Name, err)
		}
	}
}

func TestEqualAndDomain(t *testing.T) {
	if !Equal("marie.curie@tcn.f.eu-admin.net", "Marie.Curie@TCN.F.EU-ADMIN.NET") {
		t.Error("Equal is case-sensitive")
	}
	if Equal("marie.curie@tcn.f.eu-admin.net", "marie.curie@tcn.b.eu-admin.net") {
		t.Error("Equal matched different countries")
	}
	for d, want := range map[string]bool{"eu-admin.net": true, "tcn.f.eu-admin.net": true, "TCN.B.EU-ADMIN.NET.": true,
		"example.com": false, "eu-admin.net.example.com": false, "evil-eu-admin.net": false} {
		if IsTESTADomain(d) != want {
			t.Errorf("IsTESTADomain(%q) = %v", d, !want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"Marie.Curie@tcn.f.eu-admin.net", "a@b", "", "x.y@tcn.slo.eu-admin.net"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		// A valid address round-trips and compares equal to its input.
		if !Equal(a.String(), s) {
			t.Fatalf("Parse(%q).String() = %q", s, a)
		}
		if _, err := Parse(a.String()); err != nil {
			t.Fatalf("re-parse of %q: %v", a, err)
		}
	})
}

func ExampleParse() {
	a, _ := Parse("Marie.Curie@TCN.F.eu-admin.net")
	fmt.Println(a, "-", a.Country.Name)
	_, err := Parse("Marie.Curie@tcn.xx.eu-admin.net")
	fmt.Println(err)
	// Output:
	// Marie.Curie@tcn.f.eu-admin.net - France
	// "Marie.Curie@tcn.xx.eu-admin.net" is not a valid TESTA address: "xx" is not a country code of Annex A (for example b for Belgium, f for France, d for Germany)
}

// TestAnnexARegions: every country of Annex A has its own valid ISO 3166
// region code (the window names countries in the user's language from it).
func TestAnnexARegions(t *testing.T) {
	seen := map[string]string{}
	for _, c := range Countries() {
		r, err := language.ParseRegion(c.Region)
		if err != nil || !r.IsCountry() {
			t.Errorf("%s (%s): region %q is not a country code", c.Code, c.Name, c.Region)
		}
		if other, dup := seen[c.Region]; dup {
			t.Errorf("%s and %s share the region %s", c.Code, other, c.Region)
		}
		seen[c.Region] = c.Code
	}
}
