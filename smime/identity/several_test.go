package identity

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"securemail/smime/cms"
)

// selfSigned makes a throw-away key and certificate for an address.
func selfSigned(t *testing.T, email string) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: email},
		EmailAddresses: []string{email}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

// buildPFX writes a PFX with plain key and certificate bags in one
// unencrypted safe and a SHA-256 MAC, the shape of a "back up all" export.
func buildPFX(t *testing.T, password string, keys []*ecdsa.PrivateKey, certs []*x509.Certificate) []byte {
	t.Helper()
	explicit := func(inner []byte) asn1.RawValue {
		return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner}
	}
	mustMarshal := func(v any) []byte {
		b, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	type bag struct {
		ID    asn1.ObjectIdentifier
		Value asn1.RawValue
	}
	var bags []bag
	for _, k := range keys {
		pk, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		bags = append(bags, bag{oidKeyBag, explicit(pk)})
	}
	for _, c := range certs {
		cb := mustMarshal(struct {
			ID    asn1.ObjectIdentifier
			Value asn1.RawValue
		}{oidX509Certificate, explicit(mustMarshal(c.Raw))})
		bags = append(bags, bag{oidCertBag, explicit(cb)})
	}
	safe := mustMarshal(bags)
	authSafe := mustMarshal([]cms.ContentInfo{{ContentType: cms.OIDData, Content: explicit(mustMarshal(safe))}})
	salt := []byte("12345678")
	macKey := pkcs12KDF(sha256.New, kdfMAC, bmpPassword(password), salt, 2048, 32)
	m := hmac.New(sha256.New, macKey)
	m.Write(authSafe)
	var md macData
	md.Mac.Algorithm = pkix.AlgorithmIdentifier{Algorithm: cms.OIDSHA256}
	md.Mac.Digest = m.Sum(nil)
	md.MacSalt = salt
	md.Iterations = 2048
	return mustMarshal(pfxPDU{Version: 3,
		AuthSafe: cms.ContentInfo{ContentType: cms.OIDData, Content: explicit(mustMarshal(authSafe))},
		MacData:  md})
}

// TestSeveralIdentities: a file with two keys and their certificates is
// refused by ParsePFX with a sentence naming both addresses, and returned
// whole by ParsePFXAll; a key without its certificate is ignored.
func TestSeveralIdentities(t *testing.T) {
	k1, c1 := selfSigned(t, "Anna.Berg@tcn.s.eu-admin.net")
	k2, c2 := selfSigned(t, "Jan.Novak@tcn.cz.eu-admin.net")
	k3, _ := selfSigned(t, "Orphan.Key@tcn.b.eu-admin.net")

	data := buildPFX(t, "pw", []*ecdsa.PrivateKey{k1, k2}, []*x509.Certificate{c2, c1})
	_, err := ParsePFX(data, "pw")
	if !errors.Is(err, ErrSeveralIdentities) {
		t.Fatalf("err = %v, want ErrSeveralIdentities", err)
	}
	if !strings.Contains(err.Error(), "Anna.Berg@tcn.s.eu-admin.net, Jan.Novak@tcn.cz.eu-admin.net") {
		t.Errorf("sentence does not name both addresses in key order: %q", err)
	}
	ids, err := ParsePFXAll(data, "pw")
	if err != nil || len(ids) != 2 {
		t.Fatalf("ParsePFXAll: %d identities, %v", len(ids), err)
	}
	if !ids[0].Certificate.Equal(c1) || !ids[1].Certificate.Equal(c2) || len(ids[0].Chain) != 0 {
		t.Error("ParsePFXAll paired keys and certificates wrongly or put the other leaf in the chain")
	}

	id, err := ParsePFX(buildPFX(t, "pw", []*ecdsa.PrivateKey{k3, k1}, []*x509.Certificate{c1}), "pw")
	if err != nil || !id.Certificate.Equal(c1) {
		t.Errorf("orphan key plus one identity: %v", err)
	}
	if _, err := ParsePFX(buildPFX(t, "pw", []*ecdsa.PrivateKey{k3}, []*x509.Certificate{c1}), "pw"); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("key without certificate: err = %v, want ErrNoCertificate", err)
	}
	if _, err := ParsePFX(buildPFX(t, "pw", nil, []*x509.Certificate{c1}), "pw"); !errors.Is(err, ErrNoPrivateKey) {
		t.Errorf("certificates only: err = %v, want ErrNoPrivateKey", err)
	}
	if _, err := ParsePFX(buildPFX(t, "pw", []*ecdsa.PrivateKey{k1}, []*x509.Certificate{c1}), "wrong"); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
}
