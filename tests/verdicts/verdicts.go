// Package verdicts opens, with smime.OpenContext, a message for every
// verdict SecureMail gives on a signature — valid, invalid, untrusted,
// expired, weak algorithm, address mismatch, bad From — and for the
// sentences around it (a header difference, the encryption, an error), all
// made at test time with Digital IDs of a fresh test CA and fixed dates. The
// tests of the verdict's wording go through them: the English of the
// command line (smime) and the window's French and German (ui/i18n, ui).
package verdicts

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"securemail/internal/phrase"
	"securemail/smime"
	"securemail/smime/crl"
	"securemail/smime/envelope"
	"securemail/smime/identity"
	"securemail/testnet/testca"
)

// The people of the cases.
const (
	Marie     = "Marie.Curie@tcn.f.eu-admin.net"
	MarieName = "Marie Curie"
	Alain     = "Alain.Dupont@tcn.b.eu-admin.net"
	Jan       = "Jan.Novak@tcn.cz.eu-admin.net"
)

// Moments of the cases (UTC).
var (
	// Judged is when the messages are opened.
	Judged = time.Date(2027, 3, 2, 10, 0, 0, 0, time.UTC)
	// Issued and Expires bound the usual Digital IDs' validity.
	Issued  = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	Expires = Issued.AddDate(0, 0, 365)
	// Signed is when the messages claim to have been signed.
	Signed = time.Date(2027, 3, 1, 9, 30, 0, 0, time.UTC)
	// OldIssued and OldExpired bound an expired Digital ID.
	OldIssued  = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	OldExpired = OldIssued.AddDate(0, 0, 30)
	// OldSigned is when the expired Digital ID signed.
	OldSigned = time.Date(2026, 6, 15, 8, 0, 0, 0, time.UTC)
	// OldArrived is when its message reached us.
	OldArrived = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	// Later is when a Digital ID valid on arrival has expired since.
	Later = Expires.AddDate(0, 1, 0)
	// FutureIssued starts the validity of a Digital ID not yet valid.
	FutureIssued = time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	// Future is a signing time after the message reached us.
	Future = time.Date(2027, 3, 5, 16, 45, 0, 0, time.UTC)
	// Revoked is when a Digital ID was revoked.
	Revoked = time.Date(2027, 2, 20, 14, 15, 0, 0, time.UTC)
)

// Case is one opened message.
type Case struct {
	Name string
	// Status is the signature status the case shows (smime.Status…), or
	// smime.StatusNone for an error.
	Status string
	// English is the report's Reason, word for word: the command line's
	// and the JSON's English (a contract).
	English string
	// Shows are the values the sentence must show in every language:
	// strings (addresses, names) and phrase.Date or phrase.Moment values.
	Shows []any
	// Report is what smime.OpenContext returned.
	Report *smime.Report
}

// message is a plain message from from.

// subjectField is the Subject field's name as the window's language says
// it (Objet, Betreff).
var subjectField = phrase.New("header.field.Subject", "Subject", nil)

func message(from string) []byte {
	return []byte("From: " + from + "\r\nTo: " + Alain + "\r\nSubject: Dossier 42\r\nDate: Mon, 01 Mar 2027 09:30:00 +0000\r\n" +
		"Message-ID: <42@tcn.f.eu-admin.net>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe card file is attached.\r\n")
}

// Open makes and opens every case.
func Open(t testing.TB) []Case {
	t.Helper()
	ca, err := testca.New(testca.WithCAValidity(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), 3650))
	if err != nil {
		t.Fatal(err)
	}
	other, err := testca.New(testca.WithName("Elsewhere"), testca.WithCAValidity(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), 3650))
	if err != nil {
		t.Fatal(err)
	}
	issue := func(ca *testca.CA, o testca.IssueOptions) *identity.Identity {
		t.Helper()
		if o.NotBefore.IsZero() {
			o.NotBefore, o.Days = Issued, 365
		}
		is, err := ca.Issue(o)
		if err != nil {
			t.Fatal(err)
		}
		return &identity.Identity{PrivateKey: is.PrivateKey, Certificate: is.Certificate, Chain: is.Chain}
	}
	sign := func(msg []byte, id *identity.Identity, at time.Time, o smime.SignOptions) []byte {
		t.Helper()
		o.Now = at
		out, err := smime.SignMessage(msg, id, o)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	marie := issue(ca, testca.IssueOptions{Email: Marie, Name: MarieName})
	alain := issue(ca, testca.IssueOptions{Email: Alain})
	weakKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	marieLower := strings.ToLower(Marie)
	base := smime.OpenOptions{Roots: []*x509.Certificate{ca.Root}, Now: Judged}
	signed := sign(message(MarieName+" <"+Marie+">"), marie, Signed, smime.SignOptions{})

	type spec struct {
		name, status, english string
		shows                 []any
		msg                   []byte
		opts                  func(*smime.OpenOptions)
	}
	revokedCRL := func(reason crl.Reason) func(*smime.OpenOptions) {
		der, err := ca.NewCRL([]testca.Revocation{{Serial: marie.Certificate.SerialNumber.Text(16), Email: Marie, At: Revoked, Reason: reason}}, 1, Judged.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		list, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatal(err)
		}
		return func(o *smime.OpenOptions) { o.CRLs = []*x509.RevocationList{list} }
	}
	encrypt := func(msg []byte, to *identity.Identity, o smime.EncryptOptions) []byte {
		t.Helper()
		out, err := smime.EncryptMessage(msg, []*x509.Certificate{to.Certificate}, o)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	withKey := func(id *identity.Identity) func(*smime.OpenOptions) {
		return func(o *smime.OpenOptions) {
			o.Keys = []envelope.Key{{Certificate: id.Certificate, PrivateKey: id.PrivateKey}}
		}
	}
	protected := sign(message(MarieName+" <"+Marie+">"), marie, Signed, smime.SignOptions{Protect: smime.ProtectClear})
	headerLines := "From: " + Marie + "\r\n" + strings.Repeat("X-Filler: x\r\n", 10_001) + "\r\nbody\r\n"
	expired := sign(message(Jan), issue(ca, testca.IssueOptions{Email: Jan, NotBefore: OldIssued, Days: 30}), OldSigned, smime.SignOptions{})
	jan := strings.ToLower(Jan)
	specs := []spec{
		{name: "valid", status: smime.StatusValid, english: "Signed by Marie Curie <" + marieLower + "> — valid.",
			shows: []any{MarieName, marieLower}, msg: signed},
		{name: "valid, expired since", status: smime.StatusValid,
			english: "Signed by Marie Curie <" + marieLower + "> — valid. The Digital ID was valid when the message reached us on 2 March 2027; it has expired since, on 1 January 2028.",
			shows:   []any{MarieName, marieLower, phrase.Date(Judged), phrase.Date(Expires)}, msg: signed,
			opts: func(o *smime.OpenOptions) { o.Now, o.Arrived = Later, Judged }},
		{name: "valid, header differs", status: smime.StatusValid,
			english: "Signed by Marie Curie <" + marieLower + "> — valid. Careful: the unprotected Subject differs from the signed one.",
			shows:   []any{MarieName, subjectField}, msg: []byte(strings.Replace(string(protected), "Subject: Dossier 42", "Subject: Dossier 43", 1))},
		{name: "valid, encrypted", status: smime.StatusValid,
			english: "Signed by Marie Curie <" + marieLower + "> — valid. Encrypted for you (AES-256-CBC).",
			shows:   []any{MarieName, "AES-256-CBC"}, msg: encrypt(signed, alain, smime.EncryptOptions{}), opts: withKey(alain)},
		{name: "not signed, encrypted, header differs", status: smime.StatusNone,
			english: "Careful: the unprotected Subject differs from the encrypted one. Encrypted for you (AES-256-CBC).",
			shows:   []any{subjectField, "AES-256-CBC"},
			msg: []byte(strings.Replace(string(encrypt(message(Marie), alain, smime.EncryptOptions{Protect: true, ObscureSubject: true})),
				"Subject: [...]\r\n", "Subject: Pay invoice 9\r\n", 1)),
			opts: withKey(alain)},
		{name: "invalid, changed", status: smime.StatusInvalid, english: "Signature INVALID: the message was changed after it was signed.",
			msg: []byte(strings.Replace(string(signed), "The card file", "The card fila", 1))},
		{name: "invalid, damaged", status: smime.StatusInvalid, english: "Signature INVALID: the signature is damaged.",
			msg: []byte("From: " + Marie + "\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"b\"\r\n\r\n" +
				"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIBAAAA\r\n--b--\r\n")},
		{name: "invalid, signature part missing", status: smime.StatusInvalid, english: "Signature INVALID: the signature part is missing.",
			msg: []byte("From: " + Marie + "\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"b\"\r\n\r\n" +
				"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n")},
		{name: "invalid, signed in the future", status: smime.StatusInvalid,
			english: "Signature INVALID: it claims to have been made on 5 March 2027 16:45 UTC, after the message reached us on 2 March 2027 10:00 UTC.",
			shows:   []any{phrase.Moment(Future), phrase.Moment(Judged)}, msg: sign(message(Marie), marie, Future, smime.SignOptions{}),
			opts: func(o *smime.OpenOptions) { o.Now, o.Arrived = Future.Add(time.Hour), Judged }},
		{name: "invalid, revoked (key compromise)", status: smime.StatusInvalid,
			english: "Signature INVALID: " + marieLower + "'s Digital ID was revoked on 20 February 2027 14:15 UTC (its key was compromised).",
			shows:   []any{marieLower, phrase.Moment(Revoked)}, msg: signed, opts: revokedCRL(crl.KeyCompromise)},
		{name: "invalid, revoked", status: smime.StatusInvalid,
			english: "Signature INVALID: " + marieLower + "'s Digital ID was revoked on 20 February 2027 14:15 UTC.",
			shows:   []any{marieLower, phrase.Moment(Revoked)}, msg: signed, opts: revokedCRL(crl.Unspecified)},
		{name: "untrusted issuer", status: smime.StatusUntrusted,
			english: "Signed by " + marieLower + ", but their Digital ID was issued by an authority you have not trusted.",
			shows:   []any{marieLower}, msg: signed, opts: func(o *smime.OpenOptions) { o.Roots = []*x509.Certificate{other.Root} }},
		{name: "untrusted, an authority's Digital ID", status: smime.StatusUntrusted,
			english: "Signed by " + jan + " with the Digital ID of an authority (CA), not of a person, so who sent it cannot be proven.",
			shows:   []any{jan}, msg: sign(message(Jan), issue(ca, testca.IssueOptions{Email: Jan, CA: true}), Signed, smime.SignOptions{})},
		{name: "untrusted, not for e-mail", status: smime.StatusUntrusted,
			english: "Signed by " + jan + ", but their Digital ID is not meant for signing e-mail.",
			shows:   []any{jan}, msg: sign(message(Jan), issue(ca, testca.IssueOptions{Email: Jan, EKU: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}), Signed, smime.SignOptions{})},
		{name: "expired, judged now", status: smime.StatusExpired,
			english: "Signed by " + jan + ", whose Digital ID expired on 1 July 2026 (judged on 2 March 2027). The signature claims to have been made on 15 June 2026; that claim cannot extend the Digital ID's validity.",
			shows:   []any{jan, phrase.Date(OldExpired), phrase.Date(Judged), phrase.Date(OldSigned)},
			msg:     expired},
		{name: "expired, on arrival", status: smime.StatusExpired,
			english: "Signed by " + jan + ", whose Digital ID expired on 1 July 2026, before the message reached us on 1 December 2026. The signature claims to have been made on 15 June 2026; that claim cannot extend the Digital ID's validity.",
			shows:   []any{jan, phrase.Date(OldExpired), phrase.Date(OldArrived), phrase.Date(OldSigned)},
			msg:     expired,
			opts:    func(o *smime.OpenOptions) { o.Arrived = OldArrived }},
		{name: "expired, not yet valid", status: smime.StatusExpired,
			english: "Signed by " + jan + ", whose Digital ID is not valid before 1 June 2027 (judged on 2 March 2027). The signature claims to have been made on 1 March 2027; that claim cannot extend the Digital ID's validity.",
			shows:   []any{jan, phrase.Date(FutureIssued), phrase.Date(Judged), phrase.Date(Signed)},
			msg:     sign(message(Jan), issue(ca, testca.IssueOptions{Email: Jan, NotBefore: FutureIssued, Days: 365}), Signed, smime.SignOptions{})},
		{name: "weak key", status: smime.StatusWeakAlgorithm,
			english: "Signed by " + jan + " with a 1024-bit RSA key, too weak to prove who sent it (SecureMail needs at least 2048 bits).",
			shows:   []any{jan, "1024", "2048"},
			msg:     sign(message(Jan), issue(ca, testca.IssueOptions{Email: Jan, PrivateKey: weakKey}), Signed, smime.SignOptions{})},
		{name: "address mismatch", status: smime.StatusAddressMismatch,
			english: "The signer's Digital ID is for " + marieLower + ", but the message says it is from " + Jan + ".",
			shows:   []any{marieLower, Jan}, msg: sign(message(Jan), marie, Signed, smime.SignOptions{})},
		{name: "bad From, two From fields", status: smime.StatusBadFrom,
			english: "Signed by " + marieLower + ", but the message has several From fields, and programs differ on which one they show.",
			shows:   []any{marieLower}, msg: append([]byte("From: "+Jan+"\r\n"), signed...)},
		{name: "not for you", status: smime.StatusNone, english: "This message is encrypted but none of your Digital IDs can open it.",
			msg: encrypt(message(Marie), alain, smime.EncryptOptions{}), opts: withKey(marie)},
		{name: "too many header lines", status: smime.StatusNone,
			english: "This message has more than 10,000 header lines, far more than any real message; SecureMail stopped reading it so that no message can make it hang. Ask the sender to send it again in a simpler form.",
			msg:     []byte(headerLines)},
	}
	var out []Case
	for _, s := range specs {
		o := base
		if s.opts != nil {
			s.opts(&o)
		}
		r, _ := smime.OpenContext(context.Background(), s.msg, o)
		if r == nil {
			t.Fatalf("%s: no report", s.name)
		}
		out = append(out, Case{Name: s.name, Status: s.status, English: s.english, Shows: s.shows, Report: r})
	}
	return out
}
