package envelope

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// RecipientID names the certificate a RecipientInfo is for: by issuer and
// serial number, or by subject key identifier.
type RecipientID struct {
	Issuer       []byte   // DER Name of the issuer; nil when identified by SubjectKeyID
	SerialNumber *big.Int // with Issuer
	SubjectKeyID []byte   // when identified by subject key identifier
	// KeyManagement is the key management the RecipientInfo uses, in
	// Result.KeyManagement's spelling where known ("rsa", "rsa-oaep-sha256",
	// "ecdh" …), else the algorithm's object identifier.
	KeyManagement string
}

// Matches reports whether id names cert. A subject key identifier is
// compared with the certificate's extension, or, when it has none, with the
// SHA-1 hash of its public key (RFC 5280 §4.2.1.2, method 1).
func (id RecipientID) Matches(cert *x509.Certificate) bool {
	if cert == nil {
		return false
	}
	if id.Issuer != nil {
		return id.SerialNumber != nil && cert.SerialNumber != nil &&
			bytes.Equal(id.Issuer, cert.RawIssuer) && id.SerialNumber.Cmp(cert.SerialNumber) == 0
	}
	if len(id.SubjectKeyID) == 0 {
		return false
	}
	if len(cert.SubjectKeyId) > 0 {
		return bytes.Equal(id.SubjectKeyID, cert.SubjectKeyId)
	}
	return bytes.Equal(id.SubjectKeyID, publicKeyHash(cert))
}

// String is a one-line description for diagnostics.
func (id RecipientID) String() string {
	if id.Issuer != nil {
		var rdn pkix.RDNSequence
		issuer := "unreadable issuer"
		if rest, err := asn1.Unmarshal(id.Issuer, &rdn); err == nil && len(rest) == 0 {
			var name pkix.Name
			name.FillFromRDNSequence(&rdn)
			issuer = name.String()
		}
		serial := "?"
		if id.SerialNumber != nil {
			serial = fmt.Sprintf("%X", id.SerialNumber)
		}
		return fmt.Sprintf("%s: issuer %q serial %s", id.KeyManagement, issuer, serial)
	}
	return fmt.Sprintf("%s: subject key identifier %s", id.KeyManagement, hex.EncodeToString(id.SubjectKeyID))
}

// publicKeyHash is the RFC 5280 method-1 key identifier of cert's key.
func publicKeyHash(cert *x509.Certificate) []byte {
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if rest, err := asn1.Unmarshal(cert.RawSubjectPublicKeyInfo, &spki); err != nil || len(rest) != 0 {
		return nil
	}
	sum := sha1.Sum(spki.PublicKey.Bytes)
	return sum[:]
}

// readIssuerAndSerial reads an IssuerAndSerialNumber SEQUENCE.
func readIssuerAndSerial(s *cryptobyte.String, id *RecipientID) bool {
	var seq, name cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1Element(&name, cbasn1.SEQUENCE) {
		return false
	}
	serial, ok := readLenientInteger(&seq)
	if !ok || !seq.Empty() {
		return false
	}
	id.Issuer, id.SerialNumber = name, serial
	return true
}

// addIssuerAndSerial writes cert's IssuerAndSerialNumber.
func addIssuerAndSerial(b *cryptobyte.Builder, cert *x509.Certificate) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(cert.RawIssuer)
		b.AddASN1BigInt(cert.SerialNumber)
	})
}
