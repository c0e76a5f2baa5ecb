package envelope

import (
	"crypto"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
)

// Cofactor ECDH schemes (RFC 5753 §7.1.4). On the NIST prime curves the
// cofactor is 1, so they compute the same as the standard ones.
var (
	oidDHSinglePassCofactorSHA1KDF   = asn1.ObjectIdentifier{1, 3, 133, 16, 840, 63, 0, 3}
	oidDHSinglePassCofactorSHA224KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 14, 0}
	oidDHSinglePassCofactorSHA256KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 14, 1}
	oidDHSinglePassCofactorSHA384KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 14, 2}
	oidDHSinglePassCofactorSHA512KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 14, 3}
)

// kdfHash maps a dhSinglePass key agreement scheme to its KDF hash.
func kdfHash(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(cms.OIDDHSinglePassStdDHSHA1KDF), oid.Equal(oidDHSinglePassCofactorSHA1KDF):
		return crypto.SHA1, true
	case oid.Equal(cms.OIDDHSinglePassStdDHSHA224KDF), oid.Equal(oidDHSinglePassCofactorSHA224KDF):
		return crypto.SHA224, true
	case oid.Equal(cms.OIDDHSinglePassStdDHSHA256KDF), oid.Equal(oidDHSinglePassCofactorSHA256KDF):
		return crypto.SHA256, true
	case oid.Equal(cms.OIDDHSinglePassStdDHSHA384KDF), oid.Equal(oidDHSinglePassCofactorSHA384KDF):
		return crypto.SHA384, true
	case oid.Equal(cms.OIDDHSinglePassStdDHSHA512KDF), oid.Equal(oidDHSinglePassCofactorSHA512KDF):
		return crypto.SHA512, true
	}
	return 0, false
}

// wrapKeySize maps an AES key wrap algorithm to its key size.
func wrapKeySize(oid asn1.ObjectIdentifier) (int, bool) {
	switch {
	case oid.Equal(cms.OIDAES128Wrap):
		return 16, true
	case oid.Equal(cms.OIDAES192Wrap):
		return 24, true
	case oid.Equal(cms.OIDAES256Wrap):
		return 32, true
	}
	return 0, false
}

// kari is a KeyAgreeRecipientInfo (RFC 5652 §6.2.2) with an ephemeral
// originator key, as RFC 5753 §3.1 describes for ECDH.
type kari struct {
	originatorKey []byte // uncompressed point; nil for static-static originators
	ukm           []byte
	hash          crypto.Hash
	wrapOID       asn1.ObjectIdentifier
	wrapSize      int
	algErr        error // algorithms we do not implement
	keys          []recipientEncryptedKey
}

type recipientEncryptedKey struct {
	id           RecipientID
	encryptedKey []byte
}

// parseKARI reads a [1] KeyAgreeRecipientInfo element:
//
//	SEQUENCE { version 3, originator [0] EXPLICIT OriginatorIdentifierOrKey,
//	           ukm [1] EXPLICIT OCTET STRING OPTIONAL, keyEncryptionAlgorithm,
//	           recipientEncryptedKeys SEQUENCE OF { rid, encryptedKey } }
func parseKARI(el cryptobyte.String) (*kari, error) {
	bad := func(what string) (*kari, error) {
		return nil, errf(ErrCorrupt, "KeyAgreeRecipientInfo %s malformed", what)
	}
	var s, orig cryptobyte.String
	var version int
	if !el.ReadASN1(&s, tagCons1) || !s.ReadASN1Integer(&version) || !s.ReadASN1(&orig, tagCons0) {
		return bad("header")
	}
	r := &kari{}
	if orig.PeekASN1Tag(tagCons1) {
		// originatorKey [1] IMPLICIT OriginatorPublicKey ::= SEQUENCE { algorithm, publicKey BIT STRING }
		var pk, alg cryptobyte.String
		var oid asn1.ObjectIdentifier
		var bits asn1.BitString
		if !orig.ReadASN1(&pk, tagCons1) || !orig.Empty() || !pk.ReadASN1(&alg, cbasn1.SEQUENCE) ||
			!alg.ReadASN1ObjectIdentifier(&oid) || !pk.ReadASN1BitString(&bits) || !pk.Empty() || bits.BitLength%8 != 0 {
			return bad("originatorKey")
		}
		if !oid.Equal(cms.OIDECPublicKey) {
			r.algErr = errf(ErrUnsupported, "key agreement with an originator key of type %s", oid)
		}
		r.originatorKey = bits.Bytes
	} else {
		r.algErr = errf(ErrUnsupported, "key agreement with the sender's static key (only ephemeral-static ECDH is supported)")
	}
	if s.PeekASN1Tag(tagCons1) {
		var ukm cryptobyte.String
		if !s.ReadASN1(&ukm, tagCons1) || !ukm.ReadASN1Bytes(&r.ukm, cbasn1.OCTET_STRING) || !ukm.Empty() {
			return bad("ukm")
		}
		if r.ukm == nil {
			r.ukm = []byte{}
		}
	}
	var alg, wrap, reks cryptobyte.String
	var kdfOID asn1.ObjectIdentifier
	if !s.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&kdfOID) ||
		!alg.ReadASN1(&wrap, cbasn1.SEQUENCE) || !alg.Empty() || !wrap.ReadASN1ObjectIdentifier(&r.wrapOID) {
		return bad("keyEncryptionAlgorithm")
	}
	var ok bool
	if r.hash, ok = kdfHash(kdfOID); !ok && r.algErr == nil {
		r.algErr = errf(ErrUnsupported, "key agreement scheme %s", kdfOID)
	}
	if r.wrapSize, ok = wrapKeySize(r.wrapOID); !ok && r.algErr == nil {
		r.algErr = errf(ErrUnsupported, "key wrap algorithm %s", r.wrapOID)
	}
	if !s.ReadASN1(&reks, cbasn1.SEQUENCE) || !s.Empty() {
		return bad("recipientEncryptedKeys")
	}
	for !reks.Empty() {
		var rek cryptobyte.String
		var k recipientEncryptedKey
		if !reks.ReadASN1(&rek, cbasn1.SEQUENCE) {
			return bad("RecipientEncryptedKey")
		}
		if rek.PeekASN1Tag(cbasn1.SEQUENCE) {
			if !readIssuerAndSerial(&rek, &k.id) {
				return bad("issuerAndSerialNumber")
			}
		} else {
			// rKeyId [0] IMPLICIT RecipientKeyIdentifier ::= SEQUENCE { subjectKeyIdentifier, date OPTIONAL, other OPTIONAL }
			var rkid cryptobyte.String
			if !rek.ReadASN1(&rkid, tagCons0) || !rkid.ReadASN1Bytes(&k.id.SubjectKeyID, cbasn1.OCTET_STRING) {
				return bad("rKeyId")
			}
		}
		if !rek.ReadASN1Bytes(&k.encryptedKey, cbasn1.OCTET_STRING) || !rek.Empty() {
			return bad("encryptedKey")
		}
		k.id.KeyManagement = "ecdh"
		r.keys = append(r.keys, k)
	}
	return r, nil
}

// curveName is the Result.KeyManagement spelling of an ECDH curve.
func curveName(c ecdh.Curve) string {
	switch c {
	case ecdh.P256():
		return "ecdh-p256"
	case ecdh.P384():
		return "ecdh-p384"
	case ecdh.P521():
		return "ecdh-p521"
	}
	return fmt.Sprint("ecdh-", c)
}

// unwrap recovers the content key from encryptedKey with priv.
func (r *kari) unwrap(priv *ecdh.PrivateKey, encryptedKey []byte) ([]byte, error) {
	if r.algErr != nil {
		return nil, r.algErr
	}
	pub, err := priv.Curve().NewPublicKey(r.originatorKey)
	if err != nil {
		return nil, errf(ErrCorrupt, "the sender's ephemeral key is not a point on %s", curveName(priv.Curve()))
	}
	z, err := priv.ECDH(pub)
	if err != nil {
		return nil, errf(ErrCorrupt, "ECDH failed: %v", err)
	}
	info, err := sharedInfo(r.wrapOID, r.ukm, r.wrapSize)
	if err != nil {
		return nil, err
	}
	kek := x963KDF(r.hash, z, info, r.wrapSize)
	key, err := unwrapKey(kek, encryptedKey)
	if err != nil {
		return nil, errf(ErrCorrupt, "ECDH key unwrap failed (wrong key or altered message)")
	}
	return key, nil
}

// ecdhScheme chooses the key agreement scheme and key wrap for a curve and
// content key size: the KDF hash grows with the curve (RFC 5753 §8 pairs
// P-256 with SHA-256, P-384 with SHA-384), the wrap key matches the content key.
func ecdhScheme(c ecdh.Curve, contentKeySize int) (kdf, wrap asn1.ObjectIdentifier, h crypto.Hash, wrapSize int, err error) {
	switch c {
	case ecdh.P256():
		kdf, h = cms.OIDDHSinglePassStdDHSHA256KDF, crypto.SHA256
	case ecdh.P384():
		kdf, h = cms.OIDDHSinglePassStdDHSHA384KDF, crypto.SHA384
	case ecdh.P521():
		kdf, h = cms.OIDDHSinglePassStdDHSHA512KDF, crypto.SHA512
	default:
		return nil, nil, 0, 0, errf(ErrUnsupported, "ECDH on %v", c)
	}
	switch contentKeySize {
	case 16:
		wrap = cms.OIDAES128Wrap
	case 24:
		wrap = cms.OIDAES192Wrap
	default:
		wrap = cms.OIDAES256Wrap
	}
	size, _ := wrapKeySize(wrap)
	return kdf, wrap, h, size, nil
}

// addKARI writes a version 3 KeyAgreeRecipientInfo for cert's EC key with
// a fresh ephemeral key, no ukm, and the recipient named by issuer and
// serial number.
func addKARI(b *cryptobyte.Builder, cert *x509.Certificate, pub *ecdh.PublicKey, contentKey []byte) error {
	kdfOID, wrapOID, h, wrapSize, err := ecdhScheme(pub.Curve(), len(contentKey))
	if err != nil {
		return err
	}
	eph, err := pub.Curve().GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("envelope: generating an ephemeral ECDH key: %w", err)
	}
	z, err := eph.ECDH(pub)
	if err != nil {
		return errf(ErrUnsupported, "ECDH with the key of %q: %v", cert.Subject.CommonName, err)
	}
	info, err := sharedInfo(wrapOID, nil, wrapSize)
	if err != nil {
		return err
	}
	wrapped, err := wrapKey(x963KDF(h, z, info, wrapSize), contentKey)
	if err != nil {
		return fmt.Errorf("envelope: wrapping the content key: %w", err)
	}
	b.AddASN1(tagCons1, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(3)
		b.AddASN1(tagCons0, func(b *cryptobyte.Builder) {
			b.AddASN1(tagCons1, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(cms.OIDECPublicKey)
				})
				b.AddASN1BitString(eph.PublicKey().Bytes())
			})
		})
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(kdfOID)
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(wrapOID)
			})
		})
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				addIssuerAndSerial(b, cert)
				b.AddASN1OctetString(wrapped)
			})
		})
	})
	return nil
}
