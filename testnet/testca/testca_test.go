package testca

import (
	"crypto/x509"
	"testing"
)

func TestIssueChainsToRoot(t *testing.T) {
	ca, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []KeyType{RSA2048, P256} {
		is, err := ca.Issue(IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net", Key: k})
		if err != nil {
			t.Fatal(err)
		}
		roots := x509.NewCertPool()
		roots.AddCert(ca.Root)
		inter := x509.NewCertPool()
		inter.AddCert(ca.Intermediate)
		if _, err := is.Certificate.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}); err != nil {
			t.Errorf("%s: %v", k, err)
		}
		if got := is.Certificate.EmailAddresses; len(got) != 1 || got[0] != "Marie.Curie@tcn.f.eu-admin.net" {
			t.Errorf("%s: SAN = %v", k, got)
		}
	}
}
