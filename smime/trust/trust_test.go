package trust

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"securemail/smime/sign"
	"securemail/testnet/testca"
)

const marie = "Marie.Curie@tcn.f.eu-admin.net"

// TestEvaluate walks the verdicts a user sees for a contact's Digital ID.
func TestEvaluate(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	ca, err := testca.New(testca.WithCAValidity(now.AddDate(-1, 0, 0), 3650))
	if err != nil {
		t.Fatal(err)
	}
	// An authority that expired yesterday, with a Digital ID that outlives it.
	lapsed, err := testca.New(testca.WithName("Lapsed"), testca.WithCAValidity(now.AddDate(-1, 0, 0), 364))
	if err != nil {
		t.Fatal(err)
	}
	other, err := testca.New(testca.WithName("Other"))
	if err != nil {
		t.Fatal(err)
	}
	issue := func(ca *testca.CA, o testca.IssueOptions) *x509.Certificate {
		t.Helper()
		if o.Email == "" {
			o.Email = marie
		}
		if o.Key == "" {
			o.Key = testca.P256 // quick to make; RSA where the key type matters
		}
		is, err := ca.Issue(o)
		if err != nil {
			t.Fatal(err)
		}
		return is.Certificate
	}
	valid := issue(ca, testca.IssueOptions{})
	expired := issue(ca, testca.IssueOptions{NotBefore: now.AddDate(0, 0, -60), Days: 30})
	future := issue(ca, testca.IssueOptions{NotBefore: now.AddDate(0, 0, 10)})
	stranger := issue(other, testca.IssueOptions{})
	strangerExpired := issue(other, testca.IssueOptions{NotBefore: now.AddDate(0, 0, -60), Days: 30})
	serverOnly := issue(ca, testca.IssueOptions{EKU: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	signOnly := issue(ca, testca.IssueOptions{Key: testca.RSA2048, KeyUsage: x509.KeyUsageDigitalSignature})
	ecKey := issue(ca, testca.IssueOptions{Key: testca.P256})
	ecSignOnly := issue(ca, testca.IssueOptions{Key: testca.P256, KeyUsage: x509.KeyUsageDigitalSignature})
	noSAN := issue(ca, testca.IssueOptions{NoSAN: true})
	revoked := issue(ca, testca.IssueOptions{})

	rsaValid := issue(ca, testca.IssueOptions{Key: testca.RSA2048})
	caLeaf := issue(ca, testca.IssueOptions{CA: true})
	rsa1024 := issue(ca, testca.IssueOptions{PrivateKey: mustKey(rsa.GenerateKey(rand.Reader, 1024))})
	rsa4096 := issue(ca, testca.IssueOptions{Key: testca.RSA4096})
	p224 := issue(ca, testca.IssueOptions{PrivateKey: mustKey(ecdsa.GenerateKey(elliptic.P224(), rand.Reader))})
	p384 := issue(ca, testca.IssueOptions{Key: testca.P384})
	p521 := issue(ca, testca.IssueOptions{PrivateKey: mustKey(ecdsa.GenerateKey(elliptic.P521(), rand.Reader))})
	orphan := issue(lapsed, testca.IssueOptions{NotBefore: now.AddDate(0, 0, -30), Days: 60})
	revokedAt := now.Add(-30 * time.Minute)
	crl := func(signer *testca.CA, serials ...*big.Int) *x509.RevocationList {
		t.Helper()
		tmpl := &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: now.Add(-time.Hour), NextUpdate: now.AddDate(0, 0, 7)}
		for _, s := range serials {
			tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
				x509.RevocationListEntry{SerialNumber: s, RevocationTime: revokedAt})
		}
		der, err := x509.CreateRevocationList(rand.Reader, tmpl, signer.Intermediate, signer.InterKey)
		if err != nil {
			t.Fatal(err)
		}
		l, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	// A forged CRL: the right issuer name, another authority's key.
	forger := &testca.CA{Intermediate: ca.Intermediate, InterKey: other.InterKey}

	base := Policy{Roots: []*x509.Certificate{ca.Root}, Intermediates: []*x509.Certificate{ca.Intermediate}, Now: now}
	with := func(change func(p *Policy)) Policy {
		p := base
		change(&p)
		return p
	}
	day := func(t time.Time) string { return t.UTC().Format("2 January 2006") }

	cases := []struct {
		name    string
		cert    *x509.Certificate
		extra   []*x509.Certificate
		policy  Policy
		problem Problem
		reason  string // the whole sentence when it starts with "The", else a part of it
	}{
		{"valid chain", valid, nil, with(func(p *Policy) { p.Address = strings.ToUpper(marie) }), OK,
			"The Digital ID of " + marie + " is valid until " + day(valid.NotAfter) + "."},
		{"intermediate from the message", valid, []*x509.Certificate{ca.Intermediate},
			with(func(p *Policy) { p.Intermediates = nil }), OK, "valid until"},
		{"intermediate missing", valid, nil, with(func(p *Policy) { p.Intermediates = nil }), Untrusted, "not trusted"},
		{"expired", expired, nil, base, Expired, "The Digital ID of " + marie + " expired on " + day(expired.NotAfter) + "."},
		{"not yet valid", future, nil, base, NotYetValid, "not valid before " + day(future.NotBefore)},
		{"untrusted root", stranger, []*x509.Certificate{other.Intermediate, other.Root}, base, Untrusted,
			"The Digital ID of " + marie + " was issued by an authority you have not trusted."},
		{"untrusted before expired", strangerExpired, []*x509.Certificate{other.Intermediate, other.Root}, base, Untrusted, "not trusted"},
		{"no roots means no trust", valid, nil, with(func(p *Policy) { p.Roots = nil }), Untrusted, "not trusted"},
		{"server certificate", serverOnly, nil, base, WrongUsage, "The Digital ID of " + marie + " is not meant for e-mail."},
		{"RSA without keyEncipherment, encryption", signOnly, nil, with(func(p *Policy) { p.Purpose = Encryption }), WrongUsage,
			"may not be used to encrypt messages"},
		{"RSA without keyEncipherment, signing", signOnly, nil, base, OK, "valid until"},
		{"RSA with keyEncipherment, encryption", rsaValid, nil, with(func(p *Policy) { p.Purpose = Encryption }), OK, "valid until"},
		{"authority expired", orphan, nil, with(func(p *Policy) {
			p.Roots, p.Intermediates = []*x509.Certificate{lapsed.Root}, []*x509.Certificate{lapsed.Intermediate}
		}), Expired, "The authority that issued the Digital ID of " + marie + " expired on " + day(lapsed.Intermediate.NotAfter) + "."},
		{"EC with keyAgreement, encryption", ecKey, nil, with(func(p *Policy) { p.Purpose = Encryption }), OK, "valid until"},
		{"EC without keyAgreement, encryption", ecSignOnly, nil, with(func(p *Policy) { p.Purpose = Encryption }), WrongUsage,
			"may not be used to encrypt messages"},
		{"address mismatch", valid, nil, with(func(p *Policy) { p.Address = "Pierre.Curie@tcn.f.eu-admin.net" }), AddressMismatch,
			"The Digital ID is for " + marie + ", but the message says it is from Pierre.Curie@tcn.f.eu-admin.net."},
		{"address mismatch, recipient", valid, nil,
			with(func(p *Policy) { p.Purpose, p.Address = Encryption, "Pierre.Curie@tcn.f.eu-admin.net" }), AddressMismatch,
			"The Digital ID is for " + marie + ", not for Pierre.Curie@tcn.f.eu-admin.net."},
		{"address only in the subject", noSAN, nil, with(func(p *Policy) { p.Address = marie }), OK, "valid until"},
		{"revoked", revoked, nil, with(func(p *Policy) { p.CRLs = []*x509.RevocationList{crl(ca, revoked.SerialNumber)} }), Revoked,
			"The Digital ID of " + marie + " was revoked by its authority on " + day(revokedAt) + "."},
		{"another serial revoked", valid, nil, with(func(p *Policy) { p.CRLs = []*x509.RevocationList{crl(ca, revoked.SerialNumber)} }),
			OK, "valid until"},
		{"forged CRL ignored", revoked, nil, with(func(p *Policy) { p.CRLs = []*x509.RevocationList{crl(forger, revoked.SerialNumber)} }),
			OK, "valid until"},
		{"another authority's CRL ignored", revoked, nil,
			with(func(p *Policy) { p.CRLs = []*x509.RevocationList{crl(other, revoked.SerialNumber)} }), OK, "valid until"},
		{"judged at arrival, before it expired", expired, nil, with(func(p *Policy) { p.Now = now.AddDate(0, 0, -45) }), OK,
			"The Digital ID of " + marie + " is valid until " + day(expired.NotAfter) + "."},
		{"judged at arrival, after it expired", expired, nil, with(func(p *Policy) { p.Now = now.AddDate(0, 0, -10) }), Expired, "expired on"},
		{"judged at arrival, before it was issued", expired, nil, with(func(p *Policy) { p.Now = now.AddDate(0, 0, -90) }), NotYetValid,
			"not valid before"},
		{"leaf that is an authority", caLeaf, nil, base, NotEndEntity,
			"The Digital ID of " + marie + " is an authority's certificate (CA), not a person's, so it cannot vouch for a sender or a recipient."},
		{"leaf that is an authority, encryption", caLeaf, nil, with(func(p *Policy) { p.Purpose = Encryption }), NotEndEntity, "(CA)"},
		{"RSA-1024", rsa1024, nil, base, WeakKey,
			"The Digital ID of " + marie + " has a 1024-bit RSA key, too weak to be relied on (SecureMail needs at least 2048 bits)."},
		{"RSA-1024, encryption", rsa1024, nil, with(func(p *Policy) { p.Purpose = Encryption }), WeakKey, "1024-bit"},
		{"P-224", p224, nil, base, UnsupportedCurve,
			"The Digital ID of " + marie + " has a key on the curve P-224, which SecureMail does not accept (only P-256, P-384 and P-521)."},
		{"P-224, encryption", p224, nil, with(func(p *Policy) { p.Purpose = Encryption }), UnsupportedCurve, "P-224"},
		{"P-384", p384, nil, base, OK, "valid until"},
		{"P-521", p521, nil, base, OK, "valid until"},
		{"RSA-4096", rsa4096, nil, base, OK, "valid until"},
	}
	t.Run("addresses", func(t *testing.T) {
		for _, c := range []*x509.Certificate{valid, noSAN} {
			if got := Addresses(c); !slices.Equal(got, []string{strings.ToLower(marie)}) {
				t.Errorf("%v", got)
			}
		}
		if Addresses(nil) != nil {
			t.Error("no certificate, no addresses")
		}
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(tc.cert, tc.extra, tc.policy)
			if r.Problem != tc.problem {
				t.Fatalf("problem %q (%s), want %q", r.Problem, r.Reason, tc.problem)
			}
			if strings.HasPrefix(tc.reason, "The") && r.Reason != tc.reason || !strings.Contains(r.Reason, tc.reason) {
				t.Errorf("reason %q, want %q", r.Reason, tc.reason)
			}
			if r.ReasonPhrase.Key == "" || r.ReasonPhrase.String() != r.Reason {
				t.Errorf("the phrase %q (%q) says %q, the reason %q", r.ReasonPhrase.Key, r.ReasonPhrase.English, r.ReasonPhrase.String(), r.Reason)
			}
			if r.Problem == Untrusted && r.Chain != nil || r.Problem == OK && (len(r.Chain) != 3 || !r.Chain[2].Equal(tc.policy.Roots[0])) {
				t.Errorf("chain of %d certificates for %q", len(r.Chain), r.Problem)
			}
			if r.NotAfter.IsZero() || r.NotAfter.After(tc.cert.NotAfter) {
				t.Errorf("NotAfter %v, after the Digital ID's own %v", r.NotAfter, tc.cert.NotAfter)
			}
		})
	}
}

// TestThunderbirdIdentity evaluates Alice's corpus Digital ID, taken from
// an NSS-signed message, against the corpus root at the time it was signed.
func TestThunderbirdIdentity(t *testing.T) {
	const dir = "../testdata/thunderbird/smime/"
	roots := readPEM(t, dir+"TestCA.pem")
	msg, err := os.ReadFile(dir + "alice.dsig.SHA256.multipart.eml")
	if err != nil {
		t.Fatal(err)
	}
	// The base64 signature part: after the blank line that follows its
	// Content-Description, up to the closing boundary.
	msg = bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))
	part := msg[bytes.Index(msg, []byte("S/MIME Cryptographic Signature")):]
	part = part[bytes.Index(part, []byte("\n\n"))+2:]
	part = part[:bytes.Index(part, []byte("\n--"))]
	der, err := base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields(part), nil)))
	if err != nil {
		t.Fatal(err)
	}
	sd, err := sign.Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	s := sd.Signers[0]
	if err := s.Verify(mustRead(t, dir+"alice.mime"), nil); err != nil {
		t.Fatal(err)
	}
	when := s.SigningTime
	if when.IsZero() {
		when = s.Certificate.NotBefore.AddDate(0, 1, 0)
	}
	p := Policy{Roots: roots, Now: when, Address: "alice@EXAMPLE.com"}
	if r := Evaluate(s.Certificate, sd.Certificates, p); r.Problem != OK {
		t.Fatalf("%s: %s", r.Problem, r.Reason)
	}
	p.Address = "bob@example.com"
	if r := Evaluate(s.Certificate, sd.Certificates, p); r.Problem != AddressMismatch {
		t.Fatalf("Bob's address on Alice's Digital ID: %s", r.Problem)
	}
}

// mustKey returns a freshly generated key or panics; for the table above.
func mustKey[K crypto.Signer](k K, err error) crypto.Signer {
	if err != nil {
		panic(err)
	}
	return k
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readPEM(t *testing.T, path string) []*x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return out
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
}
