package envelope_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"time"

	"securemail/smime/envelope"
)

// newIdentity makes a throwaway self-signed P-256 Digital ID.
func newIdentity(email string) envelope.Key {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(1),
		Subject:        pkix.Name{CommonName: email},
		EmailAddresses: []string{email},
		NotBefore:      time.Now().Add(-time.Hour),
		NotAfter:       time.Now().Add(24 * time.Hour),
		KeyUsage:       x509.KeyUsageKeyAgreement | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return envelope.Key{Certificate: cert, PrivateKey: key}
}

func Example() {
	marie := newIdentity("Marie.Curie@tcn.f.eu-admin.net")
	jan := newIdentity("Jan.Novak@tcn.cz.eu-admin.net")

	mime := []byte("Content-Type: text/plain\r\n\r\nDossier 42\r\n")
	der, err := envelope.Encrypt(mime, []*x509.Certificate{marie.Certificate}, envelope.Options{Cipher: envelope.AES256GCM})
	if err != nil {
		panic(err)
	}

	res, err := envelope.Decrypt(der, []envelope.Key{marie})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s, %s, authenticated %v, for %s\n", res.Cipher, res.KeyManagement, res.Authenticated, res.Recipient.EmailAddresses[0])
	fmt.Printf("%q\n", res.Content)

	_, err = envelope.Decrypt(der, []envelope.Key{jan})
	fmt.Println(errors.Is(err, envelope.ErrNotRecipient))
	// Output:
	// aes-256-gcm, ecdh-p256, authenticated true, for Marie.Curie@tcn.f.eu-admin.net
	// "Content-Type: text/plain\r\n\r\nDossier 42\r\n"
	// true
}
