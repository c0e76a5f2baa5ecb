package identity_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"securemail/smime/identity"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// quickIdentity makes a P-256 key and a self-signed certificate, cheap
// enough for every fuzz worker to make its own.
func quickIdentity(f *testing.F) (*ecdsa.PrivateKey, *x509.Certificate) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Fuzz.Seed@tcn.b.eu-admin.net"},
		EmailAddresses: []string{"Fuzz.Seed@tcn.b.eu-admin.net"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		f.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		f.Fatal(err)
	}
	return key, cert
}

// FuzzParsePFX feeds damaged Digital ID files to ParsePFX: it must never
// panic, and whatever it accepts must pair a key with its certificate.
func FuzzParsePFX(f *testing.F) {
	for _, name := range []string{"smime/Alice.p12", "smime/Bob.p12", "smime/Alice-ec.p12",
		"smime-interop/Fran.p12", "smime-interop/Fran-ec.p12"} {
		f.Add(readCorpus(f, name))
	}
	// The corpus files iterate their KDFs 10,000 times; seeds with one
	// iteration let the fuzzer explore the inner structure quickly.
	key, cert := quickIdentity(f)
	for _, enc := range []*pkcs12.Encoder{pkcs12.LegacyRC2, pkcs12.Modern2023, pkcs12.Modern2026} {
		data, err := enc.WithIterations(1).Encode(key, cert, []*x509.Certificate{cert}, "nss")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		id, err := identity.ParsePFX(data, "nss")
		if err != nil {
			return
		}
		if id.Certificate == nil || !keyMatches(id, id.Certificate) {
			t.Fatal("accepted an identity whose key does not match its certificate")
		}
	})
}

// FuzzParseCertificates feeds damaged certificate files to
// ParseCertificates: no panic, and never an empty success.
func FuzzParseCertificates(f *testing.F) {
	f.Add(readCorpus(f, "smime/TestCA.pem"))
	certs, err := identity.ParseCertificates(readCorpus(f, "smime/TestCA.pem"))
	if err != nil {
		f.Fatal(err)
	}
	p7b, err := identity.EncodeP7B(certs)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(p7b)
	f.Add(certs[0].Raw)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := identity.ParseCertificates(data)
		if err == nil && len(got) == 0 {
			t.Fatal("success without a certificate")
		}
		for _, c := range got {
			if _, err := x509.ParseCertificate(c.Raw); err != nil {
				t.Fatalf("returned a certificate that does not re-parse: %v", err)
			}
		}
	})
}
