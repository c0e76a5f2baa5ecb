package identity

import (
	"crypto"
	"errors"
	"fmt"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// EncodePFX writes a Digital ID as a PKCS #12 file protected by password.
// With legacy false it writes what OpenSSL 3 writes by default (PBES2 with
// AES-256-CBC and PBKDF2-HMAC-SHA256, a SHA-256 MAC); with legacy true it
// writes 3DES-protected keys and certificates with a SHA-1 MAC, the form
// gpgsm and old Windows versions import. The chain follows the leaf.
func EncodePFX(id *Identity, password string, legacy bool) ([]byte, error) {
	if id == nil || id.PrivateKey == nil || id.Certificate == nil {
		return nil, errors.New("identity: a Digital ID needs a private key and its certificate")
	}
	signer, ok := id.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("identity: a %T private key cannot be written: %w", id.PrivateKey, ErrUnsupported)
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(id.Certificate.PublicKey) {
		return nil, errors.New("identity: the private key does not belong to the certificate")
	}
	enc := pkcs12.Modern
	if legacy {
		enc = pkcs12.LegacyDES
	}
	out, err := enc.Encode(id.PrivateKey, id.Certificate, id.Chain, password)
	if err != nil {
		return nil, fmt.Errorf("identity: writing the Digital ID file: %w", err)
	}
	return out, nil
}
