package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/digitalid"
	"securemail/internal/durable"
	"securemail/mailstore"
	"securemail/pop3client"
	"securemail/smime"
	"securemail/smime/identity"
	"securemail/smtpclient"
	"securemail/testaaddr"
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
	dns := &pop3client.ConnError{Step: "connect", Addr: "pop.tcn.f.eu-admin.net:110",
		Err: &net.DNSError{Name: "pop.tcn.f.eu-admin.net", Err: "no such host", IsNotFound: true}}
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
// window, with their values in them, and in English exactly as the command
// line prints them.
func TestVariableSentencesSpeakTheLanguage(t *testing.T) {
	_, badAddr := testaaddr.Parse("Marie.Curie@tcn.zz.eu-admin.net")
	expired := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
	refused := os.NewSyscallError("connect", syscall.ECONNREFUSED)
	cases := []struct {
		name   string
		err    error
		values []string            // shown in every language as they are
		fr, de string              // a part of the sentence in French and German
		byLang map[string][]string // values in the language's own words
	}{
		{"DNS", &smtpclient.ConnError{Step: "connect", Addr: "smtp.invalid:587", Err: &net.DNSError{Name: "smtp.invalid", IsNotFound: true}},
			[]string{`"smtp.invalid"`}, "introuvable", "nicht gefunden", nil},
		{"connection refused", &pop3client.ConnError{Step: "connect", Addr: "127.0.0.1:995", Err: &net.OpError{Op: "dial", Err: refused}},
			[]string{"127.0.0.1:995"}, "aucun serveur", "kein Server", nil},
		{"timeout during a step", &smtpclient.ConnError{Step: "greeting", Addr: "127.0.0.1:587", Err: context.DeadlineExceeded},
			[]string{"127.0.0.1:587"}, "à temps", "rechtzeitig", map[string][]string{"fr": {"message d'accueil", "serveur SMTP"}, "de": {"Begrüßung", "SMTP-Server"}}},
		{"closed during a command", &pop3client.ConnError{Step: "RETR", Addr: "127.0.0.1:110", Err: errors.Join(net.ErrClosed, fmt.Errorf("x: %w", os.ErrDeadlineExceeded))},
			[]string{"127.0.0.1:110", "RETR"}, "RETR", "RETR", nil},
		{"POP3 login refused", &pop3client.Error{Command: "PASS", Code: "AUTH", Text: "Authentication failed."},
			[]string{`"[AUTH] Authentication failed."`}, "mot de passe", "Passwort", nil},
		{"SMTP recipient refused for now", smtpclient.RecipientError{Recipient: "a@b", Err: &smtpclient.Error{Command: "RCPT TO", Address: "a@b", Code: 450, Message: "busy"}},
			[]string{"<a@b>", `"450 busy"`}, "temporaire", "vorübergehend", nil},
		{"authority expired", fmt.Errorf("app: %w", &digitalid.AuthorityError{Name: "Root CA", Kind: digitalid.Expired, NotAfter: expired}),
			[]string{`"Root CA"`}, "a expiré", "abgelaufen", map[string][]string{"fr": {"février 2026"}, "de": {"Februar 2026"}}},
		{"Digital ID of another", &digitalid.AccountMismatchError{IDFor: "a@tcn.b.eu-admin.net", Account: "b@tcn.b.eu-admin.net"},
			[]string{"a@tcn.b.eu-admin.net", "b@tcn.b.eu-admin.net"}, "votre compte", "Ihr Konto", nil},
		{"a cause inside the sentence", &app.ServerCAError{Err: fmt.Errorf("identity: %w", identity.ErrNoCertificates)},
			nil, "ne peut pas être lu", "kann nicht gelesen werden", map[string][]string{"fr": {"certificat d'ID numérique"}, "de": {"Zertifikat"}}},
		{"a problem and its cause", &app.Problem{What: "Mail", Err: &pop3client.ConnError{Step: "connect", Addr: "127.0.0.1:995", Err: refused}},
			[]string{"Mail", "127.0.0.1:995"}, "Connexion refusée", "Verbindung", nil},
		{"no Digital ID for a recipient", &app.NoDigitalIDError{Recipients: []app.MissingID{
			{Address: "jan@tcn.cz.eu-admin.net", Reason: "has no Digital ID yet", Verdict: addressbook.ContactVerdict{Status: addressbook.None}},
			{Address: "eva@tcn.cz.eu-admin.net", Reason: "has no Digital ID yet", Verdict: addressbook.ContactVerdict{Status: addressbook.None}}}},
			[]string{"jan@tcn.cz.eu-admin.net", "eva@tcn.cz.eu-admin.net"}, "pas encore d'ID numérique", "noch keine Digitale ID", nil},
		{"disk full", &durable.WriteError{Path: "profile/settings.json", Err: syscall.ENOSPC},
			[]string{"profile"}, "plein", "voll", nil},
		{"mail store read-only", &mailstore.StorageError{Dir: "mail", ReadOnly: true},
			[]string{"mail"}, "rien n'a été perdu", "nichts ging verloren", nil},
		{"too many MIME parts", &smime.LimitError{What: "MIME parts", Limit: 1000},
			[]string{"1000"}, "parties MIME", "MIME-Teile", nil},
		{"TESTA address", fmt.Errorf("app: %w", badAddr),
			[]string{`"Marie.Curie@tcn.zz.eu-admin.net"`, `"zz"`}, "annexe A", "Anhang A", nil},
	}
	english := map[string]string{}
	for _, c := range cases {
		english[c.name] = explain(c.err)
		want := app.Explain(c.err).String()
		if c.name == "a problem and its cause" {
			// The one difference: in the window a cause after a colon keeps
			// its capital (docs/UX.md §8), as it does in French and German.
			want = "Mail: Connection refused by 127.0.0.1:995: no server is listening there; check the address and port."
		}
		if english[c.name] != want {
			t.Errorf("%s in English: %q, want %q", c.name, english[c.name], want)
		}
	}
	for _, code := range []string{"fr", "de", "en"} { // English last: the language the other tests expect
		if _, err := i18n.Use(code); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			got := explain(c.err)
			if strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
				t.Errorf("%s in %s: %q", c.name, code, got)
			}
			for _, v := range append(append([]string(nil), c.values...), c.byLang[code]...) {
				if !strings.Contains(got, v) {
					t.Errorf("%s in %s lacks %q: %q", c.name, code, v, got)
				}
			}
			part := map[string]string{"fr": c.fr, "de": c.de}[code]
			if code != "en" && (got == english[c.name] || !strings.Contains(got, part)) {
				t.Errorf("%s in %s: %q, want it in the language (with %q)", c.name, code, got, part)
			}
			if code == "en" && got != english[c.name] {
				t.Errorf("%s back in English: %q, want %q", c.name, got, english[c.name])
			}
		}
	}
}
