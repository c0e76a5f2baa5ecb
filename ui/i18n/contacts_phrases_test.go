package i18n

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"securemail/app/addressbook"
	"securemail/app/revocation"
	"securemail/internal/phrase"
	"securemail/smime/crl"
	"securemail/testnet/testca"
)

// TestContactAndRevocationSentencesInEveryLanguage renders the sentences
// of the address book (a contact's status) and of the revocation lists (a
// refused or imported list), as the core words them, in French and German
// with their values: the address, the authority, the count and the date in
// the language's format.
func TestContactAndRevocationSentencesInEveryLanguage(t *testing.T) {
	const jan = "Jan.Peeters@tcn.b.eu-admin.net"
	day := time.Date(2027, 3, 2, 12, 0, 0, 0, time.UTC)
	book := addressbook.Evaluate(&addressbook.Contact{Address: jan}, addressbook.Trust{Now: day})
	damaged := addressbook.Evaluate(&addressbook.Contact{Address: jan,
		DigitalIDs: []*addressbook.DigitalID{{DER: []byte("not a certificate")}}}, addressbook.Trust{Now: day})
	summary := func(n int) phrase.Phrase {
		k := revocation.Kept{List: &x509.RevocationList{NextUpdate: day}, Authority: &x509.Certificate{Subject: pkix.Name{CommonName: "TESTA Test EC CA"}}}
		for i := range n {
			k.List.RevokedCertificateEntries = append(k.List.RevokedCertificateEntries, x509.RevocationListEntry{SerialNumber: big.NewInt(int64(i + 1))})
		}
		return k.SummaryPhrase()
	}
	refused := func(err error) phrase.Phrase {
		p, ok := revocation.SentencePhrase(err)
		if !ok {
			t.Fatalf("%v has no sentence", err)
		}
		return p
	}
	// A Digital ID valid until day.
	ca, err := testca.New(testca.WithCAValidity(day.AddDate(-1, 0, 0), 3650))
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: jan, Key: testca.P256, NotBefore: day.AddDate(0, 0, -30), Days: 30})
	if err != nil {
		t.Fatal(err)
	}
	valid := addressbook.Evaluate(&addressbook.Contact{Address: jan, DigitalIDs: []*addressbook.DigitalID{{DER: is.Certificate.Raw}}},
		addressbook.Trust{Roots: []*x509.Certificate{ca.Root}, Intermediates: []*x509.Certificate{ca.Intermediate}, Now: day.Add(-time.Hour)})
	if valid.Status != addressbook.Valid {
		t.Fatalf("the test's Digital ID: %s", valid.Reason)
	}
	cases := []struct {
		p      phrase.Phrase
		fr, de string
	}{
		{book.Phrase,
			jan + " n'a pas encore d'ID numérique ; demandez-lui un message signé (lien sécurisé).",
			jan + " hat noch keine Digitale ID; bitten Sie um eine signierte Nachricht (sichere Verbindung)."},
		{damaged.Phrase, "Cet ID numérique est endommagé.", "Diese Digitale ID ist beschädigt."},
		{valid.Phrase, "ID numérique valide jusqu'au 2 mars 2027.", "Digitale ID gültig bis 2. März 2027."},
		{summary(0),
			"Liste de révocation de TESTA Test EC CA importée : aucun ID numérique révoqué ; prochaine mise à jour le 2 mars 2027.",
			"Sperrliste von TESTA Test EC CA importiert: keine Digitale ID widerrufen; nächste Aktualisierung am 2. März 2027."},
		{summary(1),
			"Liste de révocation de TESTA Test EC CA importée : 1 ID numérique révoqué ; prochaine mise à jour le 2 mars 2027.",
			"Sperrliste von TESTA Test EC CA importiert: 1 Digitale ID widerrufen; nächste Aktualisierung am 2. März 2027."},
		{summary(4),
			"Liste de révocation de TESTA Test EC CA importée : 4 ID numériques révoqués ; prochaine mise à jour le 2 mars 2027.",
			"Sperrliste von TESTA Test EC CA importiert: 4 Digitale IDs widerrufen; nächste Aktualisierung am 2. März 2027."},
		{refused(crl.ErrNotCRL),
			"Ce fichier n'est pas une liste de révocation de certificats (.crl, DER ou PEM) ; rien n'a été importé.",
			"Diese Datei ist keine Zertifikatsperrliste (.crl, DER oder PEM); es wurde nichts importiert."},
		{refused(crl.ErrUnknownIssuer),
			"Cette liste de révocation a été émise par une autorité que ce profil ne connaît pas ; faites d'abord confiance à son autorité de certification racine ou installez sa chaîne de certificats.",
			"Diese Sperrliste wurde von einer Zertifizierungsstelle ausgestellt, die dieses Profil nicht kennt; vertrauen Sie zuerst ihrer Stammzertifizierungsstelle oder installieren Sie ihre Zertifikatskette."},
		{refused(crl.ErrBadSignature),
			"Cette liste de révocation nomme une autorité connue, mais sa signature ne se vérifie pas : elle est peut-être falsifiée ; rien n'a été importé.",
			"Diese Sperrliste nennt eine bekannte Zertifizierungsstelle, aber ihre Signatur lässt sich nicht prüfen: sie ist möglicherweise gefälscht; es wurde nichts importiert."},
		{refused(revocation.ErrOlder),
			"Une liste de révocation plus récente de cette autorité est déjà conservée ; rien n'a été importé.",
			"Eine neuere Sperrliste dieser Zertifizierungsstelle ist bereits gespeichert; es wurde nichts importiert."},
		{refused(revocation.ErrUnreachable),
			"La liste de révocation n'a pas pu être récupérée depuis son point de distribution.",
			"Die Sperrliste konnte nicht von ihrem Verteilungspunkt abgerufen werden."},
	}
	t.Cleanup(func() { Use("en") }) // the language the other tests expect
	for _, language := range []string{"fr", "de", "en"} {
		if _, err := Use(language); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			want := map[string]string{"fr": c.fr, "de": c.de, "en": c.p.String()}[language]
			if got := Say(c.p); got != want {
				t.Errorf("%s in %s:\n got %q\nwant %q", c.p.Key, language, got, want)
			}
		}
	}
}
