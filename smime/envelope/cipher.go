package envelope

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/rand"
	"crypto/subtle"
	"encoding/asn1"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
)

// Cipher names a content-encryption algorithm, in OpenSSL's spelling.
type Cipher string

// Content-encryption algorithms. Encrypt accepts AES256CBC (the default),
// AES128CBC, AES256GCM and AES128GCM; Decrypt accepts all of them.
const (
	AES256CBC Cipher = "aes-256-cbc"
	AES128CBC Cipher = "aes-128-cbc"
	AES256GCM Cipher = "aes-256-gcm"
	AES128GCM Cipher = "aes-128-gcm"
	AES192CBC Cipher = "aes-192-cbc"  // decrypt only
	AES192GCM Cipher = "aes-192-gcm"  // decrypt only
	DES3CBC   Cipher = "des-ede3-cbc" // decrypt only
)

// GCM parameters written by Encrypt (RFC 5084 §3.2 recommends a 12-byte
// nonce; the 16-byte ICV is the strongest choice).
const (
	gcmNonceSize = 12
	gcmTagSize   = 16
)

// cipherSpec describes one content-encryption algorithm.
type cipherSpec struct {
	name    Cipher
	oid     asn1.ObjectIdentifier
	keySize int
	gcm     bool // AES-GCM (AuthEnvelopedData); otherwise CBC
	encrypt bool // Encrypt may produce it
}

var cipherSpecs = [...]cipherSpec{
	{AES256CBC, cms.OIDAES256CBC, 32, false, true},
	{AES128CBC, cms.OIDAES128CBC, 16, false, true},
	{AES256GCM, cms.OIDAES256GCM, 32, true, true},
	{AES128GCM, cms.OIDAES128GCM, 16, true, true},
	{AES192CBC, cms.OIDAES192CBC, 24, false, false},
	{AES192GCM, oidAES192GCM, 24, true, false},
	{DES3CBC, cms.OIDDESEDE3CBC, 24, false, false},
}

var oidAES192GCM = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 26}

func specByName(c Cipher) (cipherSpec, bool) {
	for _, s := range cipherSpecs {
		if s.name == c {
			return s, true
		}
	}
	return cipherSpec{}, false
}

func specByOID(oid asn1.ObjectIdentifier) (cipherSpec, bool) {
	for _, s := range cipherSpecs {
		if s.oid.Equal(oid) {
			return s, true
		}
	}
	return cipherSpec{}, false
}

// newBlock returns the block cipher for key.
func (s cipherSpec) newBlock(key []byte) (cipher.Block, error) {
	if len(key) != s.keySize {
		return nil, errf(ErrCorrupt, "content key of %d bytes for %s", len(key), s.name)
	}
	if s.name == DES3CBC {
		return des.NewTripleDESCipher(key)
	}
	return aes.NewCipher(key)
}

// contentParams are the decoded parameters of a content-encryption
// AlgorithmIdentifier: the CBC IV, or the GCM nonce and tag size.
type contentParams struct {
	iv      []byte
	tagSize int
}

// parseContentAlgorithm decodes a content-encryption AlgorithmIdentifier
// (the whole SEQUENCE, tag included).
func parseContentAlgorithm(alg cryptobyte.String) (cipherSpec, contentParams, error) {
	var oid asn1.ObjectIdentifier
	var body cryptobyte.String
	if !alg.ReadASN1(&body, cbasn1.SEQUENCE) || !body.ReadASN1ObjectIdentifier(&oid) {
		return cipherSpec{}, contentParams{}, errf(ErrCorrupt, "content-encryption algorithm identifier malformed")
	}
	spec, ok := specByOID(oid)
	if !ok {
		return cipherSpec{}, contentParams{}, errf(ErrUnsupported, "content-encryption algorithm %s", oid)
	}
	var p contentParams
	if !spec.gcm {
		// CBC: parameters are the IV as an OCTET STRING (RFC 3565 §4.1, RFC 3370 §5.1).
		if !body.ReadASN1Bytes(&p.iv, cbasn1.OCTET_STRING) || !body.Empty() {
			return spec, p, errf(ErrCorrupt, "%s parameters malformed", spec.name)
		}
		block := 16
		if spec.name == DES3CBC {
			block = 8
		}
		if len(p.iv) != block {
			return spec, p, errf(ErrCorrupt, "%s IV of %d bytes", spec.name, len(p.iv))
		}
		return spec, p, nil
	}
	// GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen INTEGER DEFAULT 12 } (RFC 5084 §3.2).
	var params cryptobyte.String
	if !body.ReadASN1(&params, cbasn1.SEQUENCE) || !body.Empty() || !params.ReadASN1Bytes(&p.iv, cbasn1.OCTET_STRING) {
		return spec, p, errf(ErrCorrupt, "%s parameters malformed", spec.name)
	}
	p.tagSize = 12 // aes-ICVlen DEFAULT 12
	if params.PeekASN1Tag(cbasn1.INTEGER) && !params.ReadASN1Integer(&p.tagSize) || !params.Empty() {
		return spec, p, errf(ErrCorrupt, "%s parameters malformed", spec.name)
	}
	if p.tagSize < 12 || p.tagSize > 16 {
		return spec, p, errf(ErrUnsupported, "%s with a %d-byte tag", spec.name, p.tagSize)
	}
	if len(p.iv) == 0 || (len(p.iv) != gcmNonceSize && p.tagSize != 16) {
		return spec, p, errf(ErrUnsupported, "%s with a %d-byte nonce and a %d-byte tag", spec.name, len(p.iv), p.tagSize)
	}
	return spec, p, nil
}

// newContentKey draws a content key and its parameters (IV or nonce) from
// crypto/rand and returns the AlgorithmIdentifier to write.
func (s cipherSpec) newContentKey() (key []byte, p contentParams, algID []byte, err error) {
	key = make([]byte, s.keySize)
	ivLen := aes.BlockSize
	if s.gcm {
		ivLen = gcmNonceSize
	}
	p.iv = make([]byte, ivLen)
	if _, err := rand.Read(key); err != nil {
		return nil, p, nil, fmt.Errorf("envelope: no randomness for the content key: %w", err)
	}
	if _, err := rand.Read(p.iv); err != nil {
		return nil, p, nil, fmt.Errorf("envelope: no randomness for the IV: %w", err)
	}
	if s.gcm {
		p.tagSize = gcmTagSize
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(s.oid)
		if !s.gcm {
			b.AddASN1OctetString(p.iv)
			return
		}
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1OctetString(p.iv)
			b.AddASN1Int64(gcmTagSize) // not the default 12, so written out
		})
	})
	algID, err = b.Bytes()
	if err != nil {
		return nil, p, nil, fmt.Errorf("envelope: encoding the content-encryption algorithm: %w", err)
	}
	return key, p, algID, nil
}

// newGCM returns the AEAD for the parameters.
func (s cipherSpec) newGCM(key []byte, p contentParams) (cipher.AEAD, error) {
	block, err := s.newBlock(key)
	if err != nil {
		return nil, err
	}
	var aead cipher.AEAD
	switch {
	case len(p.iv) == gcmNonceSize:
		aead, err = cipher.NewGCMWithTagSize(block, p.tagSize)
	default:
		aead, err = cipher.NewGCMWithNonceSize(block, len(p.iv))
	}
	if err != nil {
		return nil, errf(ErrUnsupported, "%s: %v", s.name, err)
	}
	return aead, nil
}

// cbcPadLen is the PKCS #7 padding added to n bytes (RFC 5652 §6.3).
func cbcPadLen(n, blockSize int) int { return blockSize - n%blockSize }

// cbcOpen decrypts buf in place and strips the padding, in constant time
// with respect to the padding bytes.
func cbcOpen(block cipher.Block, iv, buf []byte) ([]byte, error) {
	bs := block.BlockSize()
	if len(buf) == 0 || len(buf)%bs != 0 {
		return nil, errf(ErrCorrupt, "ciphertext of %d bytes is not a whole number of %d-byte blocks", len(buf), bs)
	}
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(buf, buf)
	pad := int(buf[len(buf)-1])
	good := subtle.ConstantTimeLessOrEq(1, pad) & subtle.ConstantTimeLessOrEq(pad, bs)
	for i := 1; i <= bs; i++ {
		inPad := subtle.ConstantTimeLessOrEq(i, pad)
		same := subtle.ConstantTimeByteEq(buf[len(buf)-i], byte(pad))
		good &= same | (inPad ^ 1)
	}
	if good != 1 {
		return nil, errf(ErrCorrupt, "CBC padding is invalid (altered ciphertext or wrong key)")
	}
	return buf[:len(buf)-pad], nil
}
