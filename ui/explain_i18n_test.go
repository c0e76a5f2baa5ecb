package ui

import (
	"fmt"
	"net"
	"strings"
	"testing"

	"securemail/app"
	"securemail/tests/sentences"
	"securemail/ui/i18n"
)

// TestWizardRefusalsReadInFrench (issue 15): a tester in Lyon who types a
// name with a space, or whose server name the DNS does not know, reads the
// wizard's refusal in French, the name she typed and the server's name in
// it, and no English.
func TestWizardRefusalsReadInFrench(t *testing.T) {
	if _, err := i18n.Use("fr"); err != nil {
		t.Fatal(err)
	}
	defer i18n.Use("en")
	f := newFakeCore()
	dns := fmt.Errorf("pop3: %w", &net.DNSError{Name: "pop.tcn.f.eu-admin.net", Err: "no such host", IsNotFound: true})
	f.connSteps = connSteps(app.POP3, dns, app.StepDNS)
	w, s := newTestWizard(t, f, nil)
	var got string
	s.do(func() {
		w.tapNext()
		w.typeAddress("Marie Anne", "Curie", "France (F)")
		got = w.problem()
	})
	want := `"Marie Anne.Curie@tcn.f.eu-admin.net" n'est pas une adresse TESTA valide : elle contient une espace ; retirez-la (écrivez Prénom.Nom, reliés par un point).`
	if got != want {
		t.Errorf("a name with a space:\n got %q\nwant %q", got, want)
	}
	s.do(func() {
		w.typeAddress("Marie", "Curie", "France (F)")
		w.show(StepServers)
		w.typeOwnServers("pop.tcn.f.eu-admin.net", "smtp.tcn.f.eu-admin.net", "marie", "pw")
		w.tapTestConnection()
	})
	eventually(t, s, "the checks to end", func() bool { return !strings.Contains(w.testResult(), "…") && w.testResult() != "" })
	s.do(func() { got = w.testResult() })
	want = `Le nom de serveur "pop.tcn.f.eu-admin.net" est introuvable (DNS) ; vérifiez son orthographe, et que cet ordinateur est sur le réseau qui le connaît (les noms TESTA ne sont connus qu'à l'intérieur de TESTA).`
	if !strings.Contains(got, want) {
		t.Errorf("the DNS failure of the connection test:\n%s\nwant it to say %q", got, want)
	}
}

// TestVariableSentencesSpeakTheLanguage (issue 15): the sentences of
// app.Explain with variable parts — a file, a server, a reply, a date, a
// cause inside another sentence — read in French and in German in the
// window, with their values in them, and in English as the command line
// prints them.
func TestVariableSentencesSpeakTheLanguage(t *testing.T) {
	cases := sentences.Cases()
	english := map[string]string{}
	for _, c := range cases {
		english[c.Name] = explain(c.Err)
		if want := app.Explain(c.Err).String(); english[c.Name] != want {
			t.Errorf("%s in English: %q, want %q", c.Name, english[c.Name], want)
		}
	}
	for _, code := range []string{"fr", "de", "en"} { // English last: the language the other tests expect
		if _, err := i18n.Use(code); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			got := explain(c.Err)
			if strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
				t.Errorf("%s in %s: %q", c.Name, code, got)
			}
			// A sentence inside another one keeps no full stop of its own.
			for _, stop := range []string{". ;", ".;", ". :", ".:", ".)", ".."} {
				if strings.Contains(got, stop) {
					t.Errorf("%s in %s has %q inside: %q", c.Name, code, stop, got)
				}
			}
			for _, v := range append(append([]string(nil), c.Values...), c.Words[code]...) {
				if !strings.Contains(got, v) {
					t.Errorf("%s in %s lacks %q: %q", c.Name, code, v, got)
				}
			}
			if code != "en" && got == english[c.Name] {
				t.Errorf("%s in %s is the English %q", c.Name, code, got)
			}
			if code == "en" && got != english[c.Name] {
				t.Errorf("%s back in English: %q, want %q", c.Name, got, english[c.Name])
			}
		}
	}
}
