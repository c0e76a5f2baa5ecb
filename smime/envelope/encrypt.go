package envelope

import (
	"bytes"
	"crypto"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"slices"

	"golang.org/x/crypto/cryptobyte"

	"securemail/smime/cms"
)

// Options control Encrypt. The zero value gives AES-256-CBC EnvelopedData
// with PKCS #1 v1.5 key transport for RSA recipients, which every S/MIME
// client reads.
type Options struct {
	// Cipher is the content-encryption algorithm; "" means AES256CBC.
	// AES256GCM and AES128GCM produce AuthEnvelopedData (RFC 5083, RFC 5084),
	// the CBC ciphers EnvelopedData.
	Cipher Cipher
	// OAEPHash selects the RSA key transport: 0 means PKCS #1 v1.5;
	// crypto.SHA1 or crypto.SHA256 (also SHA-224/384/512) mean RSAES-OAEP
	// with that hash, MGF1 with the same hash and an empty label (RFC 4055).
	// EC recipients are not affected.
	OAEPHash crypto.Hash
}

// Encrypt encrypts content for the recipients' certificates and returns a
// DER ContentInfo holding EnvelopedData (CBC) or AuthEnvelopedData (GCM).
// RSA recipients (any size Go accepts) get a KeyTransRecipientInfo, EC
// recipients on P-256, P-384 or P-521 a KeyAgreeRecipientInfo; all are
// identified by issuer and serial number. The content key, IV and
// ephemeral keys come from crypto/rand.
//
// The output is allocated once at its final size and the content is
// encrypted in place in it, so Encrypt costs one copy of the ciphertext
// beyond the caller's plaintext. To write the same DER to an io.Writer
// without holding it, use NewEncryptWriter or EncryptTo.
func Encrypt(content []byte, recipients []*x509.Certificate, opts Options) ([]byte, error) {
	p, err := newPlan(len(content), recipients, opts)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, p.total)
	out = append(out, p.header...)
	start := len(out)
	if p.spec.gcm {
		aead, err := p.spec.newGCM(p.key, p.params)
		if err != nil {
			return nil, err
		}
		out = aead.Seal(out, p.params.iv, content, nil)
		// Seal appended ciphertext||tag; the tag belongs in the mac OCTET STRING.
		out = out[:len(out)+2]
		copy(out[len(out)-gcmTagSize:], out[len(out)-gcmTagSize-2:len(out)-2])
		out[len(out)-gcmTagSize-2], out[len(out)-gcmTagSize-1] = tagOctetString, gcmTagSize
	} else {
		block, err := p.spec.newBlock(p.key)
		if err != nil {
			return nil, err
		}
		out = append(out, content...)
		out = appendCBCPadding(out, len(content))
		cipher.NewCBCEncrypter(block, p.params.iv).CryptBlocks(out[start:], out[start:])
	}
	if len(out) != p.total {
		return nil, fmt.Errorf("envelope: internal error: wrote %d bytes, planned %d", len(out), p.total)
	}
	return out, nil
}

// plan is what Encrypt and NewEncryptWriter share for one message: the
// content key and its parameters, and the DER from the ContentInfo's first
// octet up to the encryptedContent's length octets, whose lengths depend
// only on the content's size.
type plan struct {
	spec   cipherSpec
	key    []byte
	params contentParams
	size   int    // plaintext length
	header []byte // DER up to the first ciphertext octet
	total  int    // length of the whole DER
}

// newPlan checks the options and recipients, draws the content key and
// encodes the RecipientInfos and the DER header for size bytes of content.
func newPlan(size int, recipients []*x509.Certificate, opts Options) (*plan, error) {
	name := opts.Cipher
	if name == "" {
		name = AES256CBC
	}
	spec, ok := specByName(name)
	if !ok || !spec.encrypt {
		return nil, errf(ErrUnsupported, "cipher %q cannot be used to encrypt (use %s, %s, %s or %s)",
			name, AES256CBC, AES128CBC, AES256GCM, AES128GCM)
	}
	if len(recipients) == 0 {
		return nil, fmt.Errorf("envelope: no recipient Digital ID to encrypt for")
	}
	if size < 0 {
		return nil, fmt.Errorf("envelope: negative content size %d", size)
	}
	key, params, algID, err := spec.newContentKey()
	if err != nil {
		return nil, err
	}
	infos, version, err := recipientInfos(recipients, key, opts.OAEPHash)
	if err != nil {
		return nil, err
	}
	if spec.gcm {
		version = 0 // AuthEnvelopedData: always 0 (RFC 5083 §2.1)
	}

	ctLen := size
	if !spec.gcm {
		ctLen += cbcPadLen(size, 16)
	}
	oidData, _ := asn1.Marshal(cms.OIDData)
	outerType := cms.OIDEnvelopedData
	macLen := 0
	if spec.gcm {
		outerType = cms.OIDAuthEnvelopedData
		macLen = 2 + gcmTagSize
	}
	oidOuter, _ := asn1.Marshal(outerType)

	// Sizes, innermost first.
	eciLen := len(oidData) + len(algID) + headerLen(ctLen) + ctLen
	bodyLen := 3 + headerLen(len(infos)) + len(infos) + headerLen(eciLen) + eciLen + macLen
	explicitLen := headerLen(bodyLen) + bodyLen
	ciLen := len(oidOuter) + headerLen(explicitLen) + explicitLen
	total := headerLen(ciLen) + ciLen

	h := make([]byte, 0, total-ctLen-macLen)
	h = appendHeader(h, tagSequence, ciLen)
	h = append(h, oidOuter...)
	h = appendHeader(h, tagContextCons0, explicitLen)
	h = appendHeader(h, tagSequence, bodyLen)
	h = append(h, tagInteger, 1, byte(version))
	h = appendHeader(h, tagSet, len(infos))
	h = append(h, infos...)
	h = appendHeader(h, tagSequence, eciLen)
	h = append(h, oidData...)
	h = append(h, algID...)
	// encryptedContent [0] IMPLICIT OCTET STRING, primitive (gpgsm rejects
	// the constructed form).
	h = appendHeader(h, tagContextPrim0, ctLen)
	return &plan{spec: spec, key: key, params: params, size: size, header: h, total: total}, nil
}

// appendCBCPadding appends the PKCS #7 padding for n bytes of content.
func appendCBCPadding(out []byte, n int) []byte {
	pad := cbcPadLen(n, 16)
	for range pad {
		out = append(out, byte(pad))
	}
	return out
}

// recipientInfos encodes one RecipientInfo per certificate, sorted as DER
// requires for a SET OF, and the EnvelopedData version they imply
// (RFC 5652 §6.1: 0 when all are version 0 KeyTransRecipientInfos, else 2).
func recipientInfos(certs []*x509.Certificate, contentKey []byte, oaepHash crypto.Hash) ([]byte, int, error) {
	encoded := make([][]byte, 0, len(certs))
	version := 0
	for i, cert := range certs {
		if cert == nil {
			return nil, 0, fmt.Errorf("envelope: recipient %d has no certificate", i+1)
		}
		var b cryptobyte.Builder
		var err error
		switch pub := cert.PublicKey.(type) {
		case *rsa.PublicKey:
			err = addKTRI(&b, cert, pub, contentKey, oaepHash)
		case *ecdsa.PublicKey:
			ecdhPub, convErr := pub.ECDH()
			if convErr != nil {
				return nil, 0, errf(ErrUnsupported, "the EC key of %q cannot be used for ECDH: %v", cert.Subject.CommonName, convErr)
			}
			version = 2
			err = addKARI(&b, cert, ecdhPub, contentKey)
		default:
			return nil, 0, errf(ErrUnsupported, "the Digital ID of %q has a %T key, which cannot receive encrypted mail",
				cert.Subject.CommonName, cert.PublicKey)
		}
		if err != nil {
			return nil, 0, err
		}
		der, err := b.Bytes()
		if err != nil {
			return nil, 0, fmt.Errorf("envelope: encoding the RecipientInfo for %q: %w", cert.Subject.CommonName, err)
		}
		encoded = append(encoded, der)
	}
	slices.SortFunc(encoded, bytes.Compare)
	return bytes.Join(encoded, nil), version, nil
}
