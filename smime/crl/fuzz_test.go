package crl_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"securemail/smime/crl"
)

// FuzzParse feeds Parse (and what the application does next with a parsed
// list: Verify and Lookup) arbitrary bytes, as a CRL file picked by hand or
// fetched from a distribution point may hold: it must never panic, and a
// list it accepts must be usable.
func FuzzParse(f *testing.F) {
	issuer, der := sampleCRL(f)
	f.Add(der)
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der}))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := crl.Parse(data)
		if err != nil {
			if l != nil {
				t.Fatal("Parse returned a list with an error")
			}
			return
		}
		_, _ = crl.Verify(l, []*x509.Certificate{issuer})
		crl.Lookup(l, issuer)
		_ = crl.Newer(l, l)
		for _, e := range l.RevokedCertificateEntries {
			_ = crl.Reason(e.ReasonCode).Words()
		}
	})
}

// sampleCRL makes a self-signed authority and a CRL of it listing one
// serial.
func sampleCRL(tb testing.TB) (*x509.Certificate, []byte) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Fuzz CA"}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCRLSign | x509.KeyUsageCertSign}
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		tb.Fatal(err)
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(7), ThisUpdate: now, NextUpdate: now.Add(time.Hour),
		RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: big.NewInt(42), RevocationTime: now, ReasonCode: int(crl.KeyCompromise)}}},
		cert, key)
	if err != nil {
		tb.Fatal(err)
	}
	return cert, der
}
