package sign_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"

	"securemail/smime/sign"
)

// A detached signature as multipart/signed carries it: the MIME layer signs
// the canonical first part and verifies the same bytes.
func Example() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(1),
		Subject:        pkix.Name{CommonName: "Marie Curie"},
		EmailAddresses: []string{"Marie.Curie@tcn.f.eu-admin.net"},
		NotBefore:      time.Now().Add(-time.Hour),
		NotAfter:       time.Now().Add(time.Hour),
	}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	cert, _ := x509.ParseCertificate(der)

	part := []byte("Content-Type: text/plain\r\n\r\nHello\r\n")
	p7s, err := sign.Sign(part, key, cert, sign.Options{Detached: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	sd, err := sign.Parse(p7s)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := sd.Signers[0]
	fmt.Println(s.Algorithm, s.Certificate.EmailAddresses[0])
	fmt.Println(s.Verify(part, nil))
	fmt.Println(s.Verify([]byte("Content-Type: text/plain\r\n\r\nHello!\r\n"), nil))
	// Output:
	// ECDSA with SHA-256 Marie.Curie@tcn.f.eu-admin.net
	// <nil>
	// sign: the content was changed after it was signed (SHA-256 digest differs)
}
