package smime

import (
	"bytes"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"securemail/smime/envelope"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// hpMessage is a message from Eve with every protected field.
func hpMessage(from string) []byte {
	return []byte("From: Eve Kask <" + from + ">\r\nTo: Marie.Curie@tcn.f.eu-admin.net\r\nCc: Jan.Novak@tcn.cz.eu-admin.net\r\n" +
		"Subject: Card file 7\r\nDate: Mon, 02 Mar 2026 10:02:00 +0000\r\nMessage-ID: <hp7@tcn.b.eu-admin.net>\r\n" +
		"Reply-To: " + from + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe card file, protected.\r\n")
}

// sealProtected signs hpMessage with hp="cipher" and an obscured Subject,
// then encrypts it for Eve herself.
func sealProtected(t *testing.T, eve *party, now time.Time) (signed, enc []byte) {
	t.Helper()
	signed, err := SignMessage(hpMessage(eveAddr), eve.id, SignOptions{Now: now, Protect: ProtectCipher, ObscureSubject: true})
	if err != nil {
		t.Fatal(err)
	}
	enc, err = EncryptMessage(signed, []*x509.Certificate{eve.id.Certificate}, EncryptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return signed, enc
}

// TestHeaderProtectionRoundTrip: signed (hp="clear") and signed then
// encrypted (hp="cipher", outer Subject "[...]") messages carry the header
// inside; our own Open shows the protected Subject and From, finds no
// difference, and compares the signer with the inner From.
func TestHeaderProtectionRoundTrip(t *testing.T) {
	w := newWorld(t)
	eve := w.issue(t, testca.IssueOptions{Email: eveAddr, Name: "Eve Kask"})
	roots := []*x509.Certificate{w.ca.Root}
	now := time.Now().Truncate(time.Second)
	for _, opaque := range []bool{false, true} {
		signed, err := SignMessage(hpMessage(eveAddr), eve.id, SignOptions{Now: now, Opaque: opaque, Protect: ProtectClear})
		if err != nil {
			t.Fatal(err)
		}
		r, err := Open(signed, OpenOptions{Roots: roots, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if r.Signature != StatusValid || r.FromSource != FromSourceSigned || r.HeaderProtection != "clear" ||
			r.ProtectedSubject != "Card file 7" || !strings.Contains(r.ProtectedFrom, eveAddr) || len(r.HeaderDifferences) != 0 {
			t.Fatalf("opaque=%v: %+v", opaque, r)
		}
	}
	signed, enc := sealProtected(t, eve, now)
	outer, _ := splitMessage(toCRLF(enc))
	if !bytes.Contains(outer, []byte("Subject: [...]\r\n")) || bytes.Contains(enc, []byte("Card file 7")) {
		t.Fatalf("outer header of the encrypted message:\n%s", outer)
	}
	r, err := Open(enc, OpenOptions{Roots: roots, Now: now, Keys: []envelope.Key{eve.key()}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Signature != StatusValid || r.HeaderProtection != "cipher" || r.Subject != "Card file 7" ||
		r.ProtectedSubject != "Card file 7" || len(r.HeaderDifferences) != 0 {
		t.Fatalf("%+v", r)
	}
	if c := signedContent(t, signed); !bytes.Contains(c, []byte("HP-Outer: Subject: [...]\r\n")) {
		t.Fatalf("no HP-Outer record of the obscured Subject in:\n%s", c)
	}
}

// TestHeaderProtectionIdentity: Eve protects her honest header, then
// rewrites the outer From and Subject to the victim's. The signer is
// compared with the signed From (valid, Eve's), and the reader is told
// that the outer From and Subject are not what was signed.
func TestHeaderProtectionIdentity(t *testing.T) {
	w := newWorld(t)
	eve := w.issue(t, testca.IssueOptions{Email: eveAddr, Name: "Eve Kask"})
	now := time.Now().Truncate(time.Second)
	signed, err := SignMessage(hpMessage(eveAddr), eve.id, SignOptions{Now: now, Protect: ProtectClear})
	if err != nil {
		t.Fatal(err)
	}
	forged := bytes.Replace(signed, []byte("From: Eve Kask <"+eveAddr+">\r\nTo:"), []byte("From: Jan Peeters <"+victimAddr+">\r\nTo:"), 1)
	forged = bytes.Replace(forged, []byte("Subject: Card file 7\r\nDate"), []byte("Subject: Pay invoice 9\r\nDate"), 1)
	if bytes.Equal(forged, signed) {
		t.Fatal("the outer header was not rewritten")
	}
	r, err := Open(forged, OpenOptions{Roots: []*x509.Certificate{w.ca.Root}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if r.Signature != StatusValid || r.From != eveAddr || r.Subject != "Card file 7" {
		t.Fatalf("status %s, From %q, Subject %q", r.Signature, r.From, r.Subject)
	}
	fields := map[string]HeaderDifference{}
	for _, d := range r.HeaderDifferences {
		fields[d.Field] = d
	}
	if d := fields["Subject"]; d.Unprotected != "Pay invoice 9" || d.Signed != "Card file 7" || len(fields) != 2 || fields["From"].Field == "" {
		t.Fatalf("differences: %+v", r.HeaderDifferences)
	}
	if !strings.Contains(r.Reason, "the unprotected Subject differs from the signed one") {
		t.Fatalf("reason: %s", r.Reason)
	}
}

// TestHeaderProtectionEncryptedOnly: a message encrypted but not signed
// carries its header inside too (RFC 9788 hp="cipher", HP-Outer, outer
// Subject "[...]"): Open shows the protected Subject; a relay that rewrites
// the outer Subject is flagged against "the encrypted one" (nothing is
// signed), and the identity rule never reads the hidden From. OpenSSL
// decrypts it to the protected entity.
func TestHeaderProtectionEncryptedOnly(t *testing.T) {
	w := newWorld(t)
	eve := w.issue(t, testca.IssueOptions{Email: eveAddr, Name: "Eve Kask"})
	enc, err := EncryptMessage(hpMessage(eveAddr), []*x509.Certificate{eve.id.Certificate},
		EncryptOptions{Protect: true, ObscureSubject: true})
	if err != nil {
		t.Fatal(err)
	}
	outer, _ := splitMessage(toCRLF(enc))
	if !bytes.Contains(outer, []byte("Subject: [...]\r\n")) || bytes.Contains(enc, []byte("Card file 7")) {
		t.Fatalf("outer header of the encrypted message:\n%s", outer)
	}
	open := func(msg []byte) *Report {
		t.Helper()
		r, err := Open(msg, OpenOptions{Keys: []envelope.Key{eve.key()}})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := open(enc)
	if r.Signed || r.Signature != StatusNone || r.HeaderProtection != "cipher" || r.Subject != "Card file 7" ||
		r.ProtectedSubject != "Card file 7" || !strings.Contains(r.ProtectedFrom, eveAddr) || len(r.HeaderDifferences) != 0 {
		t.Fatalf("%+v", r)
	}
	if !strings.Contains(string(r.Entity), "HP-Outer: Subject: [...]\r\n") || r.Text != "The card file, protected.\r\n" {
		t.Fatalf("decrypted entity:\n%s", r.Entity)
	}

	rewritten := bytes.Replace(enc, []byte("Subject: [...]\r\n"), []byte("Subject: Pay invoice 9\r\n"), 1)
	r = open(rewritten)
	if len(r.HeaderDifferences) != 1 || r.HeaderDifferences[0] != (HeaderDifference{Field: "Subject", Signed: "Card file 7",
		Unprotected: "Pay invoice 9", Unsigned: true}) || r.Subject != "Card file 7" {
		t.Fatalf("differences %+v, Subject %q", r.HeaderDifferences, r.Subject)
	}
	if !strings.Contains(r.Reason, "Careful: the unprotected Subject differs from the encrypted one.") {
		t.Fatalf("reason: %s", r.Reason)
	}

	// Without Protect, nothing goes inside, and an hp parameter on a
	// message that is neither signed nor encrypted means nothing.
	plain, err := EncryptMessage(hpMessage(eveAddr), []*x509.Certificate{eve.id.Certificate}, EncryptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r := open(plain); r.HeaderProtection != "" || r.Subject != "Card file 7" {
		t.Fatalf("unprotected: %+v", r)
	}
	fake := []byte("From: Eve Kask <" + eveAddr + ">\r\nSubject: Outside\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; hp=\"cipher\"\r\nSubject: Inside\r\n\r\nHello\r\n")
	if r, err := Open(fake, OpenOptions{}); err != nil || r.HeaderProtection != "" || r.ProtectedSubject != "" {
		t.Fatalf("hp on a plain message: %+v %v", r, err)
	}

	t.Run("OpenSSL decrypts it", func(t *testing.T) {
		testenv.RequireTool(t, "openssl", "openssl")
		inner := run(t, enc, "openssl", "cms", "-decrypt", "-inform", "SMIME", "-recip", eve.certPEM, "-inkey", eve.keyPEM, "-binary")
		for _, want := range []string{"hp=cipher", "Subject: Card file 7", "HP-Outer: Subject: [...]"} {
			if !strings.Contains(string(inner), want) {
				t.Errorf("OpenSSL's decrypted entity lacks %q:\n%s", want, inner)
			}
		}
	})
}
