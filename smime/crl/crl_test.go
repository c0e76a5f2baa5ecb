package crl_test

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"securemail/smime/crl"
)

// TestParseVerify: a CRL reads from DER and PEM, verifies against its
// issuer only, and finds its entries; other input gets a typed error.
func TestParseVerify(t *testing.T) {
	issuer, der := sampleCRL(t)
	other, _ := sampleCRL(t)
	for name, data := range map[string][]byte{"DER": der, "PEM": append([]byte("junk before\n"), pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der})...)} {
		l, err := crl.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got, err := crl.Verify(l, []*x509.Certificate{other, issuer}); err != nil || !got.Equal(issuer) {
			t.Fatalf("%s: Verify = %v, %v; want the issuer", name, got, err)
		}
		if _, err := crl.Verify(l, []*x509.Certificate{other}); !errors.Is(err, crl.ErrUnknownIssuer) && !errors.Is(err, crl.ErrBadSignature) {
			t.Fatalf("%s: another authority: %v", name, err)
		}
	}
	for name, data := range map[string][]byte{
		"empty":       nil,
		"certificate": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: issuer.Raw}),
		"too large":   make([]byte, crl.MaxSize+1),
	} {
		if _, err := crl.Parse(data); !errors.Is(err, crl.ErrNotCRL) && !errors.Is(err, crl.ErrTooLarge) {
			t.Errorf("%s: %v, want a typed error", name, err)
		}
	}
}

// TestVerifyForgedName: a CRL naming an authority but signed by another
// key is refused as a bad signature.
func TestVerifyForgedName(t *testing.T) {
	issuer, der := sampleCRL(t)
	l, err := crl.Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	impostor, _ := sampleCRL(t) // same subject "Fuzz CA", another key
	if _, err := crl.Verify(l, []*x509.Certificate{impostor}); !errors.Is(err, crl.ErrBadSignature) {
		t.Fatalf("got %v, want ErrBadSignature", err)
	}
	if _, err := crl.Verify(l, []*x509.Certificate{issuer}); err != nil {
		t.Fatal(err)
	}
}

// TestReasons: every name round-trips; unknown names are refused with the
// list of good ones.
func TestReasons(t *testing.T) {
	for _, name := range strings.Split(crl.ReasonNames(), ", ") {
		r, err := crl.ParseReason(strings.ToLower(name))
		if err != nil || r.String() != name {
			t.Errorf("%s: %v %v", name, r, err)
		}
	}
	if _, err := crl.ParseReason("boredom"); err == nil || !strings.Contains(err.Error(), "keyCompromise") {
		t.Errorf("unknown reason: %v", err)
	}
	if !crl.KeyCompromise.Compromise() || crl.Superseded.Compromise() {
		t.Error("Compromise() is wrong")
	}
	if crl.Reason(7).Words() == "" || crl.Reason(7).String() == "" {
		t.Error("an unknown code has no words")
	}
}
