// Package sentences makes, for the tests of the window's languages, a
// typed error of every kind whose app.Explain sentence has variable parts —
// a server, a reply, a file, a date, a cause inside another sentence — with
// the values a person must find in the sentence in every language and the
// words that show it is in French or German. The window's tests (ui) read
// them without importing the protocol packages themselves.
package sentences

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/digitalid"
	"securemail/internal/durable"
	"securemail/mailstore"
	"securemail/pop3client"
	"securemail/smime"
	"securemail/smime/identity"
	"securemail/smime/trust"
	"securemail/smtpclient"
	"securemail/testaaddr"
)

// Case is one error and what its sentence must show.
type Case struct {
	Name string
	Err  error
	// Values are shown as they are in every language.
	Values []string
	// Words are, per language ("fr", "de"), words the sentence says in
	// that language: its own words, and values in the language's words
	// (a step, a month, a nested cause).
	Words map[string][]string
}

// Cases are the errors, one per kind of variable sentence.
func Cases() []Case {
	_, badAddr := testaaddr.Parse("Marie.Curie@tcn.zz.eu-admin.net")
	expired := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
	refused := &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	none := addressbook.ContactVerdict{Status: addressbook.None}
	unchecked := trust.Evaluate(nil, nil, trust.Policy{})
	return []Case{
		{Name: "a Digital ID refused by the trust check", Err: fmt.Errorf("app: %w", &digitalid.RefusedError{Reason: unchecked.Reason, Phrase: unchecked.ReasonPhrase}),
			Words: map[string][]string{"fr": {"ne peut pas être utilisé", "aucun ID numérique"}, "de": {"kann nicht verwendet werden", "keine Digitale ID"}}},
		{Name: "DNS", Err: &smtpclient.ConnError{Step: "connect", Addr: "smtp.invalid:587", Err: &net.DNSError{Name: "smtp.invalid", IsNotFound: true}},
			Values: []string{`"smtp.invalid"`}, Words: map[string][]string{"fr": {"introuvable"}, "de": {"nicht gefunden"}}},
		{Name: "connection refused", Err: &pop3client.ConnError{Step: "connect", Addr: "127.0.0.1:995", Err: refused},
			Values: []string{"127.0.0.1:995"}, Words: map[string][]string{"fr": {"aucun serveur"}, "de": {"kein Server"}}},
		{Name: "timeout during a step", Err: &smtpclient.ConnError{Step: "greeting", Addr: "127.0.0.1:587", Err: context.DeadlineExceeded},
			Values: []string{"127.0.0.1:587"},
			Words:  map[string][]string{"fr": {"à temps", "message d'accueil", "serveur SMTP"}, "de": {"rechtzeitig", "Begrüßung", "SMTP-Server"}}},
		{Name: "closed during a command", Err: &pop3client.ConnError{Step: "RETR", Addr: "127.0.0.1:110", Err: io.ErrUnexpectedEOF},
			Values: []string{"127.0.0.1:110", "RETR"}, Words: map[string][]string{"fr": {"a fermé la connexion", "serveur POP3"}, "de": {"geschlossen", "POP3-Server"}}},
		{Name: "POP3 login refused", Err: &pop3client.Error{Command: "PASS", Code: "AUTH", Text: "Authentication failed."},
			Values: []string{`"[AUTH] Authentication failed."`}, Words: map[string][]string{"fr": {"mot de passe"}, "de": {"Passwort"}}},
		{Name: "SMTP recipient refused for now",
			Err:    smtpclient.RecipientError{Recipient: "a@b", Err: &smtpclient.Error{Command: "RCPT TO", Address: "a@b", Code: 450, Message: "busy"}},
			Values: []string{"<a@b>", `"450 busy"`}, Words: map[string][]string{"fr": {"temporaire"}, "de": {"vorübergehend"}}},
		{Name: "authority expired", Err: fmt.Errorf("app: %w", &digitalid.AuthorityError{Name: "Root CA", Kind: digitalid.Expired, NotAfter: expired}),
			Values: []string{`"Root CA"`}, Words: map[string][]string{"fr": {"a expiré", "février 2026"}, "de": {"abgelaufen", "Februar 2026"}}},
		{Name: "Digital ID of another", Err: &digitalid.AccountMismatchError{IDFor: "a@tcn.b.eu-admin.net", Account: "b@tcn.b.eu-admin.net"},
			Values: []string{"a@tcn.b.eu-admin.net", "b@tcn.b.eu-admin.net"}, Words: map[string][]string{"fr": {"votre compte"}, "de": {"Ihr Konto"}}},
		{Name: "a cause inside the sentence", Err: &app.ServerCAError{Err: fmt.Errorf("identity: %w", identity.ErrNoCertificates)},
			Words: map[string][]string{"fr": {"ne peut pas être lu", "certificat d'ID numérique"}, "de": {"kann nicht gelesen werden", "Zertifikat"}}},
		{Name: "a problem and its cause", Err: &app.Problem{What: "Mail", Err: &pop3client.ConnError{Step: "connect", Addr: "127.0.0.1:995", Err: refused}},
			Values: []string{"Mail", "127.0.0.1:995"}, Words: map[string][]string{"fr": {"Connexion refusée"}, "de": {"Verbindung"}}},
		{Name: "no Digital ID for two recipients", Err: &app.NoDigitalIDError{Recipients: []app.MissingID{
			{Address: "jan@tcn.cz.eu-admin.net", Reason: "has no Digital ID yet", Verdict: none},
			{Address: "eva@tcn.cz.eu-admin.net", Reason: "has no Digital ID yet", Verdict: none}}},
			Values: []string{"jan@tcn.cz.eu-admin.net", "eva@tcn.cz.eu-admin.net"},
			Words:  map[string][]string{"fr": {"pas encore d'ID numérique ; eva"}, "de": {"noch keine Digitale ID; eva"}}},
		{Name: "disk full", Err: &durable.WriteError{Path: "profile/settings.json", Err: syscall.ENOSPC},
			Values: []string{"profile"}, Words: map[string][]string{"fr": {"plein"}, "de": {"voll"}}},
		{Name: "mail store read-only", Err: &mailstore.StorageError{Dir: "mail", ReadOnly: true},
			Values: []string{"mail"}, Words: map[string][]string{"fr": {"rien n'a été perdu"}, "de": {"nichts ging verloren"}}},
		{Name: "too many MIME parts", Err: &smime.LimitError{What: "MIME parts", Limit: 1000},
			Words: map[string][]string{"fr": {"parties MIME"}, "de": {"MIME-Teile"}}},
		{Name: "TESTA address", Err: fmt.Errorf("app: %w", badAddr),
			Values: []string{`"Marie.Curie@tcn.zz.eu-admin.net"`, `"zz"`}, Words: map[string][]string{"fr": {"annexe A"}, "de": {"Anhang A"}}},
		{Name: "Cancelled step", Err: &smtpclient.ConnError{Step: "TLS handshake", Addr: "127.0.0.1:465", Err: errors.Join(context.Canceled)},
			Values: []string{"127.0.0.1:465"}, Words: map[string][]string{"fr": {"négociation TLS", "annulée"}, "de": {"TLS-Handshake", "abgebrochen"}}},
	}
}
