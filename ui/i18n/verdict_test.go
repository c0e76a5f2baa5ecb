package i18n

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"securemail/internal/phrase"
	"securemail/tests/verdicts"
)

// TestVerdictsInTheLanguage opens a message for every verdict with the real
// smime.OpenContext and says its reason in French and German: whole
// sentences of the language — Thunderbird's words, no English left — with
// the signer, the addresses and the dates of that verdict, dates as the
// language writes them.
func TestVerdictsInTheLanguage(t *testing.T) {
	cases := verdicts.Open(t)
	t.Cleanup(func() { Use("en") })
	for _, lang := range []struct {
		code    string
		invalid string   // how an invalid signature is announced
		valid   string   // how a valid one is
		english []string // English that must not be left
	}{
		{"fr", "Signature NON VALIDE :", "— valide.", []string{"Signed", "Signature INVALID", "Digital ID", " the ", "Careful", "Encrypted", "reached"}},
		{"de", "Signatur UNGÜLTIG:", "— gültig.", []string{"Signed", "Signature INVALID", "Digital ID", " the ", "Careful", "Encrypted", "reached"}},
	} {
		if _, err := Use(lang.code); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			said := SayAll(c.Report.ReasonPhrases)
			if said == "" || said == c.English || strings.Contains(said, "{{") || strings.Contains(said, "<no value>") || strings.Contains(said, "%!") {
				t.Errorf("%s, %s: %q", lang.code, c.Name, said)
			}
			for _, w := range lang.english {
				if strings.Contains(said, w) {
					t.Errorf("%s, %s: %q is left in English: %q", lang.code, c.Name, w, said)
				}
			}
			for _, v := range c.Shows {
				if want := shown(v); !strings.Contains(said, want) {
					t.Errorf("%s, %s: %q does not show %q", lang.code, c.Name, said, want)
				}
			}
			if strings.HasPrefix(c.English, "Signature INVALID") != strings.HasPrefix(said, lang.invalid) {
				t.Errorf("%s, %s: %q, want it to start with %q as the English does", lang.code, c.Name, said, lang.invalid)
			}
			if strings.Contains(c.English, "— valid.") != strings.Contains(said, lang.valid) {
				t.Errorf("%s, %s: %q, want %q as the English says valid", lang.code, c.Name, said, lang.valid)
			}
			if got, want := Say(c.Report.VerdictPhrase()), SayAll(c.Report.Verdict); got != want {
				t.Errorf("%s, %s: the verdict as one phrase says %q, its sentences %q", lang.code, c.Name, got, want)
			}
			if want, ok := exactly[lang.code+" "+c.Name]; ok && said != want {
				t.Errorf("%s, %s:\n  %q, want\n  %q", lang.code, c.Name, said, want)
			}
		}
	}
}

// TestSayNeverRunsAValue: a value holding template text (a From field
// written by an attacker) is shown as it is, whether the phrase's key is in
// the translation files or not.
func TestSayNeverRunsAValue(t *testing.T) {
	hostile := `x{{printf "%s" "RUN"}}{{.Who}}`
	for _, key := range []string{"verdict.valid", "verdict.no.such.key"} {
		if got, want := Say(phrase.New(key, "Signed by {{.Who}} — valid.", phrase.Args{"Who": hostile})), "Signed by "+hostile+" — valid."; got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
}

// exactly are some verdicts word for word.
var exactly = map[string]string{
	"fr valid":            "Signé par Marie Curie <marie.curie@tcn.f.eu-admin.net> — valide.",
	"de valid":            "Signiert von Marie Curie <marie.curie@tcn.f.eu-admin.net> — gültig.",
	"fr invalid, changed": "Signature NON VALIDE : le message a été modifié après avoir été signé.",
	"de invalid, changed": "Signatur UNGÜLTIG: Die Nachricht wurde nach dem Signieren verändert.",
	"fr expired, on arrival": "Signé par jan.novak@tcn.cz.eu-admin.net, dont l'ID numérique a expiré le 1er juillet 2026, avant que le message nous parvienne le 1er décembre 2026. " +
		"La signature prétend avoir été faite le 15 juin 2026 ; cette affirmation ne peut pas prolonger la validité de l'ID numérique.",
	"de expired, on arrival": "Signiert von jan.novak@tcn.cz.eu-admin.net, dessen Digitale ID am 1. Juli 2026 abgelaufen ist, bevor uns die Nachricht am 1. Dezember 2026 erreicht hat. " +
		"Die Signatur gibt an, am 15. Juni 2026 erstellt worden zu sein; diese Angabe kann die Gültigkeit der Digitalen ID nicht verlängern.",
	"fr too many header lines": "Ce message a plus de 10\u00a0000 lignes d'en-tête, bien plus qu'aucun vrai message ; SecureMail a cessé de le lire pour qu'aucun message ne puisse le bloquer. " +
		"Demandez à l'expéditeur de le renvoyer sous une forme plus simple.",
	"de too many header lines": "Diese Nachricht hat mehr als 10.000 Kopfzeilen, weit mehr als jede echte Nachricht; SecureMail hat aufgehört, sie zu lesen, damit keine Nachricht das Programm blockieren kann. " +
		"Bitten Sie den Absender, sie in einfacherer Form erneut zu senden.",
}

// shown is a value as the window's language writes it.
func shown(v any) string {
	switch v := v.(type) {
	case phrase.Date:
		return Date(time.Time(v).UTC())
	case phrase.Moment:
		return DateTime(time.Time(v).Local())
	case phrase.Phrase:
		return Say(v)
	}
	return fmt.Sprint(v)
}
