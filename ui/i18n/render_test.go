package i18n

import (
	"strings"
	"testing"

	"securemail/internal/phrase"
)

// TestEveryPhraseRendersInEveryLanguage (issue 15): every phrase and every
// app sentence the code words (phrase.New and sentence calls, found as
// TestPhrasesHaveTheirEnglishInEnJSON finds them), with each of its
// placeholders given a value, reads in French and in German through Say
// as a person would read it: no template left ("{{"), no value missing
// ("<no value>"), every value shown, and not the English (a translation
// that exists but is the English text is a key nobody translated).
func TestEveryPhraseRendersInEveryLanguage(t *testing.T) {
	en, err := keys("en")
	if err != nil {
		t.Fatal(err)
	}
	// The same text in every language, by nature: joins of values, a
	// protocol's own words.
	sameEverywhere := map[string]bool{}
	phrases := map[string]phrase.Phrase{}
	for _, p := range corePhrases(t) {
		args := phrase.Args{}
		for _, name := range placeholders(t, en[p.key]) {
			args[name] = "‹" + name + "›"
		}
		phrases[p.key] = phrase.New(p.key, p.english, args)
		if strings.Trim(stripPlaceholders(p.english), " ;:().,<>-") == "" {
			sameEverywhere[p.key] = true
		}
	}
	if len(phrases) < 200 {
		t.Fatalf("only %d phrases found in the code: the scan is broken", len(phrases))
	}
	for _, code := range []string{"fr", "de", "en"} { // English last: the language the other tests expect
		if _, err := Use(code); err != nil {
			t.Fatal(err)
		}
		for key, p := range phrases {
			got := Say(p)
			if strings.Contains(got, "{{") || strings.Contains(got, "<no value>") || strings.TrimSpace(got) == "" {
				t.Errorf("%s in %s reads %q", key, code, got)
			}
			for name, v := range p.Args {
				if !strings.Contains(got, v.(string)) {
					t.Errorf("%s in %s does not show its value %s: %q", key, code, name, got)
				}
			}
			english := p.String()
			switch {
			case code == "en" && got != english:
				t.Errorf("%s in English reads %q, the code says %q", key, got, english)
			case code != "en" && got == english && !sameEverywhere[key] && !technical(english) && !sameIn[code+" "+key]:
				t.Errorf("%s in %s is still the English %q", key, code, got)
			}
		}
	}
}

// sameIn are the phrases a language rightly writes as English does.
var sameIn = map[string]bool{
	"fr header.field.Date": true, // « Date », as Thunderbird's French header says
}

// stripPlaceholders is a template without its {{.Name}} placeholders.
func stripPlaceholders(s string) string {
	for {
		i := strings.Index(s, "{{")
		j := strings.Index(s, "}}")
		if i < 0 || j < i {
			return s
		}
		s = s[:i] + s[j+2:]
	}
}

// technical reports whether an English text is a technical name that
// stays as it is in every language ("MIME").
func technical(english string) bool {
	for _, w := range strings.Fields(stripPlaceholders(english)) {
		if strings.ToUpper(w) != w {
			return false
		}
	}
	return true
}

// TestSayKeepsTheCoresCase: a sentence the core put inside another one in
// lower case reads so in English, as on the command line, and as the
// language writes it in French.
func TestSayKeepsTheCoresCase(t *testing.T) {
	inner := phrase.New("sentence.keystore.ErrWrongPassphrase.what", "the passphrase of the key file is wrong", nil)
	for _, c := range []struct{ code, want string }{
		{"fr", "La phrase secrète du fichier de clés est incorrecte"},
		{"en", "the passphrase of the key file is wrong"}, // English last: the language the other tests expect
	} {
		if _, err := Use(c.code); err != nil {
			t.Fatal(err)
		}
		if got := Say(inner); got != c.want {
			t.Errorf("in %s: %q, want %q", c.code, got, c.want)
		}
	}
	if got := keepCase("The server", "the servers"); got != "The server" {
		t.Errorf("keepCase took another text for a case difference: %q", got)
	}
}
