package trust

import (
	"crypto/rand"
	"crypto/x509"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/smime/crl"
	"securemail/testnet/testca"
)

// TestRevocationJudgingTime: a revocation counts when it was recorded at
// or before the judged moment; after it, only a key compromise (of the
// Digital ID or its authority) counts. The sentence gives the date and the
// reason.
func TestRevocationJudgingTime(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	ca, err := testca.New(testca.WithCAValidity(now.AddDate(-1, 0, 0), 3650))
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: marie, Key: testca.P256, NotBefore: now.AddDate(0, 0, -10)})
	if err != nil {
		t.Fatal(err)
	}
	cert := is.Certificate
	revokedAt := now.AddDate(0, 0, -2)
	list := func(reason crl.Reason) *x509.RevocationList {
		t.Helper()
		der, err := ca.NewCRL([]testca.Revocation{{Serial: cert.SerialNumber.Text(16), Email: marie, At: revokedAt, Reason: reason}}, 1, now)
		if err != nil {
			t.Fatal(err)
		}
		l, err := crl.Parse(der)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	day := revokedAt.UTC().Format("2 January 2006")
	cases := []struct {
		name    string
		reason  crl.Reason
		at      time.Time // the judged moment
		purpose Purpose
		want    Problem
		words   string
	}{
		{"superseded, judged after", crl.Superseded, now, Signing, Revoked,
			"The Digital ID of " + marie + " was revoked by its authority on " + day + ": it was replaced by a new one."},
		{"superseded, judged before", crl.Superseded, revokedAt.Add(-time.Hour), Signing, OK, "valid until"},
		{"unspecified, judged at the moment itself", crl.Unspecified, revokedAt, Signing, Revoked,
			"The Digital ID of " + marie + " was revoked by its authority on " + day + "."},
		{"key compromise, judged before", crl.KeyCompromise, revokedAt.Add(-72 * time.Hour), Signing, Revoked,
			"The Digital ID of " + marie + " was revoked by its authority on " + day + ": its key was compromised."},
		{"authority compromise, judged before", crl.CACompromise, revokedAt.Add(-time.Hour), Signing, Revoked, "its authority's key was compromised"},
		{"recipient, revoked before now", crl.AffiliationChanged, now, Encryption, Revoked, "affiliation changed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Evaluate(cert, nil, Policy{Roots: []*x509.Certificate{ca.Root}, Intermediates: []*x509.Certificate{ca.Intermediate},
				Purpose: c.purpose, Now: c.at, CRLs: []*x509.RevocationList{list(c.reason)}})
			if r.Problem != c.want {
				t.Fatalf("problem %q (%s), want %q", r.Problem, r.Reason, c.want)
			}
			if strings.HasPrefix(c.words, "The") && r.Reason != c.words || !strings.Contains(r.Reason, c.words) {
				t.Fatalf("reason %q, want %q", r.Reason, c.words)
			}
			if r.ReasonPhrase.String() != r.Reason {
				t.Errorf("the phrase %q says %q, the reason %q", r.ReasonPhrase.Key, r.ReasonPhrase.String(), r.Reason)
			}
			if r.Revocation == nil || r.Revocation.Reason != c.reason || !r.Revocation.At.Equal(revokedAt) {
				t.Fatalf("Result.Revocation = %+v, want %v at %v", r.Revocation, c.reason, revokedAt)
			}
		})
	}
}

// TestRevokedAuthority: a CRL of the root listing the EC CA makes every
// Digital ID below it revoked.
func TestRevokedAuthority(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	ca, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: marie, Key: testca.P256})
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: now, NextUpdate: now.Add(time.Hour),
		RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: ca.Intermediate.SerialNumber, RevocationTime: now.Add(-time.Minute), ReasonCode: int(crl.CACompromise)}}},
		ca.Root, ca.RootKey)
	if err != nil {
		t.Fatal(err)
	}
	l, err := crl.Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	r := Evaluate(is.Certificate, nil, Policy{Roots: []*x509.Certificate{ca.Root}, Intermediates: []*x509.Certificate{ca.Intermediate},
		Now: now, CRLs: []*x509.RevocationList{l}})
	if r.Problem != Revoked || !strings.Contains(r.Reason, "The authority that issued the Digital ID of "+marie+" was revoked") {
		t.Fatalf("got %q: %s", r.Problem, r.Reason)
	}
}

// TestCRLFromFolderCA: the CRL `testca revoke` writes is what Evaluate
// needs: a recipient revoked there is refused.
func TestCRLFromFolderCA(t *testing.T) {
	ca, err := testca.Open(filepath.Join(t.TempDir(), "ca"))
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: marie, Key: testca.P256})
	if err != nil {
		t.Fatal(err)
	}
	der, err := ca.NewCRL(nil, 1, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	empty, _ := crl.Parse(der)
	if _, err := ca.Revoke(testca.Select{Email: marie}, crl.Superseded, time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	der, err = ca.CurrentCRL(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	l, err := crl.Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	p := Policy{Roots: []*x509.Certificate{ca.Root}, Intermediates: []*x509.Certificate{ca.Intermediate}, Purpose: Encryption, Address: marie}
	p.CRLs = []*x509.RevocationList{empty}
	if r := Evaluate(is.Certificate, nil, p); r.Problem != OK {
		t.Fatalf("with an empty CRL: %q %s", r.Problem, r.Reason)
	}
	p.CRLs = []*x509.RevocationList{empty, l}
	if r := Evaluate(is.Certificate, nil, p); r.Problem != Revoked {
		t.Fatalf("with the new CRL: %q %s", r.Problem, r.Reason)
	}
}
