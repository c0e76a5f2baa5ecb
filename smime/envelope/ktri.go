package envelope

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
)

// ktri is a KeyTransRecipientInfo (RFC 5652 §6.2.1) for an RSA key.
type ktri struct {
	id           RecipientID
	oaep         bool
	oaepParams   oaepParams
	paramsErr    error // OAEP parameters we could not use
	encryptedKey []byte
}

// parseKTRI reads a KeyTransRecipientInfo element:
//
//	SEQUENCE { version, rid (IssuerAndSerialNumber | [0] SubjectKeyIdentifier),
//	           keyEncryptionAlgorithm, encryptedKey OCTET STRING }
func parseKTRI(el cryptobyte.String) (*ktri, error) {
	var s, alg cryptobyte.String
	var version int
	if !el.ReadASN1(&s, cbasn1.SEQUENCE) || !s.ReadASN1Integer(&version) {
		return nil, errf(ErrCorrupt, "KeyTransRecipientInfo malformed")
	}
	r := &ktri{}
	if s.PeekASN1Tag(cbasn1.SEQUENCE) {
		if !readIssuerAndSerial(&s, &r.id) {
			return nil, errf(ErrCorrupt, "KeyTransRecipientInfo issuerAndSerialNumber malformed")
		}
	} else {
		chunks, _, ok := readOctets(&s, tagPrim0)
		if !ok {
			return nil, errf(ErrCorrupt, "KeyTransRecipientInfo recipient identifier malformed")
		}
		r.id.SubjectKeyID = joinOctets(chunks, lenChunks(chunks), 0)
	}
	var oid asn1.ObjectIdentifier
	if !s.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) ||
		!s.ReadASN1Bytes(&r.encryptedKey, cbasn1.OCTET_STRING) || !s.Empty() {
		return nil, errf(ErrCorrupt, "KeyTransRecipientInfo malformed")
	}
	switch {
	case oid.Equal(cms.OIDRSAEncryption):
		r.id.KeyManagement = "rsa"
	case oid.Equal(cms.OIDRSAOAEP):
		r.oaep = true
		r.oaepParams, r.paramsErr = parseOAEPParams(alg)
		r.id.KeyManagement = "rsa-oaep"
		if r.paramsErr == nil {
			r.id.KeyManagement = r.oaepParams.name()
		}
	default:
		r.id.KeyManagement = oid.String()
		r.paramsErr = errf(ErrUnsupported, "key transport algorithm %s", oid)
	}
	return r, nil
}

func lenChunks(chunks [][]byte) int {
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	return n
}

// unwrap recovers the content key of spec.keySize bytes with priv.
//
// For PKCS #1 v1.5 it never reports a padding failure: following RFC 3218
// §2.3.2 it continues with a random key, so that a bad padding shows only
// as the same ErrCorrupt from the content decryption (no padding oracle).
func (r *ktri) unwrap(priv *rsa.PrivateKey, spec cipherSpec) ([]byte, error) {
	if r.paramsErr != nil {
		return nil, r.paramsErr
	}
	if !r.oaep {
		key := make([]byte, spec.keySize)
		if _, err := rand.Read(key); err != nil {
			return nil, errf(ErrCorrupt, "no randomness: %v", err)
		}
		//lint:ignore SA1019 PKCS #1 v1.5 key transport is what most S/MIME peers send; this is the RFC 3218 countermeasure.
		if err := rsa.DecryptPKCS1v15SessionKey(nil, priv, r.encryptedKey, key); err != nil {
			return nil, errf(ErrCorrupt, "RSA encrypted key has the wrong length")
		}
		return key, nil
	}
	p := r.oaepParams
	if !p.hash.Available() || !p.mgfHash.Available() {
		return nil, errf(ErrUnsupported, "RSA-OAEP with %v", p.hash)
	}
	key, err := priv.Decrypt(nil, r.encryptedKey, &rsa.OAEPOptions{Hash: p.hash, MGFHash: p.mgfHash, Label: p.label})
	if err != nil {
		return nil, errf(ErrCorrupt, "RSA-OAEP decryption failed (wrong key or altered message)")
	}
	return key, nil
}

// addKTRI writes a version 0 KeyTransRecipientInfo for cert's RSA key,
// identified by issuer and serial number, with PKCS #1 v1.5 (oaepHash 0)
// or RSAES-OAEP.
func addKTRI(b *cryptobyte.Builder, cert *x509.Certificate, pub *rsa.PublicKey, contentKey []byte, oaepHash crypto.Hash) error {
	var ek []byte
	var err error
	if oaepHash == 0 {
		//lint:ignore SA1019 PKCS #1 v1.5 is the default key transport of S/MIME peers (Outlook, gpgsm); OAEP is an option.
		ek, err = rsa.EncryptPKCS1v15(rand.Reader, pub, contentKey)
	} else {
		if _, ok := hashOID(oaepHash); !ok || !oaepHash.Available() {
			return errf(ErrUnsupported, "RSA-OAEP with %v", oaepHash)
		}
		ek, err = rsa.EncryptOAEP(oaepHash.New(), rand.Reader, pub, contentKey, nil)
	}
	if err != nil {
		return errf(ErrUnsupported, "RSA encryption for %q: %v", cert.Subject.CommonName, err)
	}
	var algErr error
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		addIssuerAndSerial(b, cert)
		if oaepHash == 0 {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(cms.OIDRSAEncryption)
				b.AddASN1NULL()
			})
		} else {
			algErr = appendOAEPAlgorithm(b, oaepHash)
		}
		b.AddASN1OctetString(ek)
	})
	return algErr
}
