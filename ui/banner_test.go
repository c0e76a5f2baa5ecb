package ui

import (
	"context"
	"crypto/x509"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/app"
	"securemail/app/digitalid"
	"securemail/app/keystore"
	"securemail/internal/phrase"
	"securemail/mailstore"
	"securemail/smime"
	"securemail/smime/identity"
	"securemail/testnet/testca"
	"securemail/tests/verdicts"
	"securemail/ui/i18n"
)

// TestBannerHeaderDifferences: a signed message whose outer Subject was
// rewritten shows the signature line and, apart, a warning that the
// unprotected Subject differs from the signed one.
func TestBannerHeaderDifferences(t *testing.T) {
	d := smime.HeaderDifference{Field: "Subject", Signed: "Card file 7", Unprotected: "Pay invoice 9"}
	r := &smime.Report{Signed: true, Signature: smime.StatusValid, HeaderProtection: "clear",
		Reason:            "Signed by Eve.Kask@tcn.b.eu-admin.net — valid. " + d.Warning(),
		Verdict:           []phrase.Phrase{phrase.New("verdict.valid", "Signed by {{.Who}} — valid.", phrase.Args{"Who": "Eve.Kask@tcn.b.eu-admin.net"})},
		HeaderDifferences: []smime.HeaderDifference{d}}
	checkBanner(t, "header differences", Banner(&app.MessageView{Report: r}), []BannerLine{
		{Mark: MarkValid, Text: "Signed by Eve.Kask@tcn.b.eu-admin.net — valid."},
		{Mark: MarkWarning, Text: "Careful: the unprotected Subject differs from the signed one."},
	})
}

// TestBannerInTheLanguage: the banners of messages opened by the real
// smime.OpenContext read in French and in German — the verdict with its
// signer and dates, the warning about a rewritten header field, the
// encryption, the sentence of a message that cannot be opened — each line
// with the mark of its status.
func TestBannerInTheLanguage(t *testing.T) {
	cases := map[string]*smime.Report{}
	for _, c := range verdicts.Open(t) {
		cases[c.Name] = c.Report
	}
	t.Cleanup(func() { i18n.Use("en") })
	for _, lang := range []struct {
		code  string
		cases map[string][]BannerLine
	}{
		{"fr", map[string][]BannerLine{
			"invalid, changed": {{MarkInvalid, "Signature NON VALIDE : le message a été modifié après avoir été signé."}},
			"valid, encrypted": {{MarkValid, "Signé par Marie Curie <marie.curie@tcn.f.eu-admin.net> — valide."}, {MarkEncrypted, "Chiffré pour vous (AES-256-CBC)."}},
			"valid, header differs": {{MarkValid, "Signé par Marie Curie <marie.curie@tcn.f.eu-admin.net> — valide."},
				{MarkWarning, "Attention : le champ Objet non protégé diffère de celui qui a été signé."}},
			"expired, judged now": {{MarkWarning, "Signé par jan.novak@tcn.cz.eu-admin.net, dont l'ID numérique a expiré le 1er juillet 2026 (vérifié le 2 mars 2027). " +
				"La signature prétend avoir été faite le 15 juin 2026 ; cette affirmation ne peut pas prolonger la validité de l'ID numérique."}},
			"untrusted issuer": {{MarkWarning, "Signé par marie.curie@tcn.f.eu-admin.net, mais son ID numérique a été émis par une autorité à laquelle vous n'avez pas accordé votre confiance."}},
			"not for you":      {{MarkEncrypted, "Ce message est chiffré, mais aucun de vos ID numériques ne peut l'ouvrir."}},
		}},
		{"de", map[string][]BannerLine{
			"invalid, changed": {{MarkInvalid, "Signatur UNGÜLTIG: Die Nachricht wurde nach dem Signieren verändert."}},
			"valid, encrypted": {{MarkValid, "Signiert von Marie Curie <marie.curie@tcn.f.eu-admin.net> — gültig."}, {MarkEncrypted, "Für Sie verschlüsselt (AES-256-CBC)."}},
			"address mismatch": {{MarkWarning, "Die Digitale ID des Unterzeichners ist für marie.curie@tcn.f.eu-admin.net ausgestellt, aber die Nachricht gibt Jan.Novak@tcn.cz.eu-admin.net als Absender an."}},
			"not for you":      {{MarkEncrypted, "Diese Nachricht ist verschlüsselt, aber keine Ihrer Digitalen IDs kann sie öffnen."}},
		}},
	} {
		if _, err := i18n.Use(lang.code); err != nil {
			t.Fatal(err)
		}
		for name, want := range lang.cases {
			r, ok := cases[name]
			if !ok {
				t.Fatalf("no case %q", name)
			}
			checkBanner(t, lang.code+", "+name, Banner(&app.MessageView{Report: r}), want)
		}
	}
}

// storedProfile is a profile whose Inbox holds a message Marie signed,
// stored as having reached us at arrived, her Digital ID expiring some
// months after; open opens the profile (again) with its clock at now.
type storedProfile struct {
	dir, keys string
	root      *x509.Certificate
	notAfter  time.Time
	signed    []byte
}

func newStoredProfile(t *testing.T, arrived time.Time) *storedProfile {
	t.Helper()
	ca, err := testca.New(testca.WithCAValidity(arrived.AddDate(-1, 0, 0), 3650))
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: verdicts.Marie, Name: verdicts.MarieName, NotBefore: arrived.AddDate(0, -2, 0), Days: 180})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := smime.SignMessage([]byte("From: Marie Curie <"+verdicts.Marie+">\r\nTo: "+verdicts.Alain+"\r\nSubject: Dossier 42\r\n\r\nThe card file.\r\n"),
		&identity.Identity{PrivateKey: is.PrivateKey, Certificate: is.Certificate, Chain: is.Chain}, smime.SignOptions{Now: arrived.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return &storedProfile{dir: t.TempDir(), keys: filepath.Join(t.TempDir(), "keys"), root: ca.Root, notAfter: is.Certificate.NotAfter, signed: signed}
}

func (p *storedProfile) open(t *testing.T, now time.Time) *app.App {
	t.Helper()
	keys, err := keystore.NewSealedFiles(p.keys, []byte("a test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), p.dir, app.Options{Keys: keys, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// store puts the signed message in the Inbox as having reached us at arrived.
func (p *storedProfile) store(t *testing.T, a *app.App, arrived time.Time) string {
	t.Helper()
	id, err := a.Store.Add(context.Background(), mailstore.Inbox, p.signed, mailstore.AddOptions{Arrived: arrived})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestStoredVerdictInTheLanguage: a signed message stored when it arrived
// and read after a restart — the profile opened again, in French — shows
// its verdict in French, judged at its arrival: valid then, with both
// dates, although its Digital ID has expired since.
func TestStoredVerdictInTheLanguage(t *testing.T) {
	ctx := context.Background()
	arrived := time.Date(2027, 3, 2, 10, 0, 0, 0, time.UTC)
	later := time.Date(2028, 2, 1, 9, 0, 0, 0, time.UTC)
	p := newStoredProfile(t, arrived)

	// On arrival: stored, judged, recorded.
	a := p.open(t, arrived)
	if err := a.Wallet.TrustRoot(&digitalid.Authority{Certificate: p.root, Name: "Test Root CA", SelfSigned: true, NotAfter: p.root.NotAfter}, arrived); err != nil {
		t.Fatal(err)
	}
	id := p.store(t, a, arrived)
	if v, err := a.OpenMessage(ctx, id); err != nil || v.Report.Signature != smime.StatusValid {
		t.Fatalf("on arrival: %v %+v", err, v)
	}
	a.Close()

	// After a restart, in French, once the Digital ID has expired.
	t.Cleanup(func() { i18n.Use("en") })
	if _, err := i18n.Use("fr"); err != nil {
		t.Fatal(err)
	}
	a = p.open(t, later)
	defer a.Close()
	v, err := a.OpenMessage(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Message.Verified || v.Message.Signature != smime.StatusValid {
		t.Errorf("the store's record: verified %v, %q", v.Message.Verified, v.Message.Signature)
	}
	checkBanner(t, "stored, reopened", Banner(v), []BannerLine{{MarkValid, "Signé par Marie Curie <marie.curie@tcn.f.eu-admin.net> — valide. " +
		"L'ID numérique était valide quand le message nous est parvenu le 2 mars 2027 ; il a expiré depuis, le " + i18n.Date(p.notAfter.UTC()) + "."}})
}

// TestRefusedSignerInTheLanguage: Details → Add Digital ID on a message
// whose signer's authority is not trusted says why in the window's
// language, quoting the verdict in that language; the command line's
// English quotes the English verdict.
func TestRefusedSignerInTheLanguage(t *testing.T) {
	arrived := time.Date(2027, 3, 2, 10, 0, 0, 0, time.UTC)
	p := newStoredProfile(t, arrived)
	a := p.open(t, arrived)
	defer a.Close()
	_, err := a.AddDigitalIDFromMessage(context.Background(), p.store(t, a, arrived))
	if err == nil {
		t.Fatal("the Digital ID of an untrusted signer was added")
	}
	if got, want := app.Explain(err).What, "The signer's Digital ID was not added: Signed by marie.curie@tcn.f.eu-admin.net, but their Digital ID was issued by an authority you have not trusted."; got != want {
		t.Errorf("English:\n  %q, want\n  %q", got, want)
	}
	t.Cleanup(func() { i18n.Use("en") })
	if _, err := i18n.Use("fr"); err != nil {
		t.Fatal(err)
	}
	if got, want := explain(err), "L'ID numérique du signataire n'a pas été ajouté : Signé par marie.curie@tcn.f.eu-admin.net, mais son ID numérique a été émis par une autorité à laquelle vous n'avez pas accordé votre confiance."; !strings.HasPrefix(got, want) {
		t.Errorf("French:\n  %q, want\n  %q", got, want)
	}
}

// checkBanner compares a banner with the lines it should have.
func checkBanner(t *testing.T, what string, lines, want []BannerLine) {
	t.Helper()
	if len(lines) != len(want) {
		t.Errorf("%s: banner %+v, want %+v", what, lines, want)
		return
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("%s: line %d\n  %+v, want\n  %+v", what, i, lines[i], want[i])
		}
	}
}
