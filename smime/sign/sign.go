package sign

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/internal/bigbuf"
	"securemail/smime/cms"
)

// Options controls Sign.
type Options struct {
	Digest      crypto.Hash         // crypto.SHA256 (default when 0), SHA384, SHA512
	Detached    bool                // no eContent (for multipart/signed)
	SigningTime time.Time           // zero: time.Now()
	Chain       []*x509.Certificate // extra certificates to include (intermediates; leave out the root)
	// ContentType is the eContentType; nil means id-data, the only type
	// S/MIME mail uses (others exist for tests of readers that must refuse
	// them, and for CMS uses beyond mail).
	ContentType asn1.ObjectIdentifier
}

// capabilities are the content encryption algorithms advertised in every
// signature, most preferred first (RFC 8551 §2.5.2).
var capabilities = []asn1.ObjectIdentifier{cms.OIDAES256GCM, cms.OIDAES128GCM, cms.OIDAES256CBC, cms.OIDAES128CBC}

// Sign signs content with key, whose certificate is cert, and returns a DER
// ContentInfo holding SignedData: version 1, one SignerInfo (version 1,
// issuerAndSerialNumber) with the signed attributes contentType,
// signingTime, messageDigest and SMIMECapabilities. RSA keys sign with
// PKCS#1 v1.5 and the signatureAlgorithm rsaEncryption, as OpenSSL writes;
// ECDSA keys with ecdsa-with-SHA256/384/512. The content is signed as given.
func Sign(content []byte, key crypto.Signer, cert *x509.Certificate, opts Options) ([]byte, error) {
	p, err := signPieces([][]byte{content}, key, cert, opts)
	if err != nil {
		return nil, err
	}
	return p.join(), nil
}

// SignTo writes to w the DER that Sign returns for the concatenation of
// content's parts, without joining them or building the output in memory:
// a MIME header and a large body can be signed where they lie. All
// checks and the signature happen before the first byte is written.
func SignTo(w io.Writer, content [][]byte, key crypto.Signer, cert *x509.Certificate, opts Options) error {
	p, err := signPieces(content, key, cert, opts)
	if err != nil {
		return err
	}
	for _, b := range p {
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("sign: writing the signature: %w", err)
		}
	}
	return nil
}

// signPieces is Sign, returning the DER as pieces that alias content.
func signPieces(content [][]byte, key crypto.Signer, cert *x509.Certificate, opts Options) (pieces, error) {
	if key == nil || cert == nil {
		return nil, errors.New("sign: a private key and its Digital ID are required")
	}
	digest := opts.Digest
	if digest == 0 {
		digest = crypto.SHA256
	}
	if digest != crypto.SHA256 && digest != crypto.SHA384 && digest != crypto.SHA512 {
		return nil, fmt.Errorf("%w: signing with %s; use SHA-256, SHA-384 or SHA-512", ErrUnsupportedAlgorithm, digest)
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, errors.New("sign: the private key does not belong to the Digital ID")
	}
	sigAlg, err := signatureAlgorithm(key.Public(), digest)
	if err != nil {
		return nil, err
	}
	signingTime := opts.SigningTime
	if signingTime.IsZero() {
		signingTime = time.Now()
	}

	h := digest.New()
	for _, c := range content {
		bigbuf.Write(h, c)
	}
	ctype := opts.ContentType
	if ctype == nil {
		ctype = cms.OIDData
	}
	if _, err := asn1.Marshal(ctype); err != nil {
		return nil, fmt.Errorf("sign: content type %s cannot be encoded: %w", ctype, err)
	}
	attrs, err := signedAttributes(h.Sum(nil), signingTime, ctype)
	if err != nil {
		return nil, err
	}
	h.Reset()
	h.Write(attrs)
	signature, err := key.Sign(rand.Reader, h.Sum(nil), digest)
	if err != nil {
		return nil, fmt.Errorf("sign: signing: %w", err)
	}

	b := cryptobyte.NewBuilder(nil)
	b.AddASN1Int64(1) // version
	b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { addAlgorithm(b, oidByHash(digest), false) })
	head, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("sign: encoding: %w", err)
	}
	b = cryptobyte.NewBuilder(nil)
	b.AddASN1(tagC0, func(b *cryptobyte.Builder) {
		for _, raw := range certificateSet(cert, opts.Chain) {
			b.AddBytes(raw)
		}
	})
	b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Int64(1) // version: issuerAndSerialNumber
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddBytes(cert.RawIssuer)
				b.AddASN1BigInt(cert.SerialNumber)
			})
			addAlgorithm(b, oidByHash(digest), false)
			b.AddASN1(tagC0, func(b *cryptobyte.Builder) { b.AddBytes(attrs[headerLen(attrs):]) })
			b.AddBytes(sigAlg)
			b.AddASN1OctetString(signature)
		})
	})
	tail, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("sign: encoding: %w", err)
	}

	encap := pieces{mustOID(ctype)}
	if !opts.Detached {
		encap = append(encap, wrap(0xa0, wrap(0x04, content...)...)...)
	}
	signedData := wrap(0x30, append(append(pieces{head}, wrap(0x30, encap...)...), tail)...)
	return wrap(0x30, append(pieces{mustOID(cms.OIDSignedData)}, wrap(0xa0, signedData...)...)...), nil
}

// signedAttributes returns the DER SET OF the signed attributes, sorted as
// DER requires.
func signedAttributes(digest []byte, t time.Time, ctype asn1.ObjectIdentifier) ([]byte, error) {
	t = t.UTC().Truncate(time.Second)
	attr := func(oid asn1.ObjectIdentifier, value func(*cryptobyte.Builder)) []byte {
		b := cryptobyte.NewBuilder(nil)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid)
			b.AddASN1(cbasn1.SET, value)
		})
		out, err := b.Bytes()
		if err != nil {
			return nil
		}
		return out
	}
	list := [][]byte{
		attr(cms.OIDAttrContentType, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(ctype) }),
		attr(cms.OIDAttrSigningTime, func(b *cryptobyte.Builder) {
			// RFC 5652 §11.3: UTCTime up to 2049, GeneralizedTime after.
			if t.Year() >= 1950 && t.Year() < 2050 {
				b.AddASN1UTCTime(t)
			} else {
				b.AddASN1GeneralizedTime(t)
			}
		}),
		attr(cms.OIDAttrMessageDigest, func(b *cryptobyte.Builder) { b.AddASN1OctetString(digest) }),
		attr(cms.OIDAttrSMIMECaps, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, c := range capabilities {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(c) })
				}
			})
		}),
	}
	for _, a := range list {
		if a == nil {
			return nil, fmt.Errorf("sign: signing time %s cannot be encoded", t)
		}
	}
	slices.SortFunc(list, bytes.Compare)
	return wrap(0x31, list...).join(), nil
}

// certificateSet returns the DER certificates to include, without
// duplicates, sorted as DER requires of a SET OF.
func certificateSet(cert *x509.Certificate, chain []*x509.Certificate) [][]byte {
	set := [][]byte{cert.Raw}
	for _, c := range chain {
		if c != nil && !slices.ContainsFunc(set, func(raw []byte) bool { return bytes.Equal(raw, c.Raw) }) {
			set = append(set, c.Raw)
		}
	}
	slices.SortFunc(set, bytes.Compare)
	return set
}

// signatureAlgorithm returns the DER signatureAlgorithm for a public key.
func signatureAlgorithm(pub crypto.PublicKey, digest crypto.Hash) ([]byte, error) {
	b := cryptobyte.NewBuilder(nil)
	switch pub.(type) {
	case *rsa.PublicKey:
		addAlgorithm(b, cms.OIDRSAEncryption, true)
	case *ecdsa.PublicKey:
		oid := map[crypto.Hash]asn1.ObjectIdentifier{
			crypto.SHA256: cms.OIDECDSAWithSHA256, crypto.SHA384: cms.OIDECDSAWithSHA384, crypto.SHA512: cms.OIDECDSAWithSHA512,
		}[digest]
		addAlgorithm(b, oid, false)
	default:
		return nil, fmt.Errorf("%w: signing with a %T key; use RSA or ECDSA", ErrUnsupportedAlgorithm, pub)
	}
	return b.Bytes()
}

// addAlgorithm adds an AlgorithmIdentifier, with NULL parameters if asked.
func addAlgorithm(b *cryptobyte.Builder, oid asn1.ObjectIdentifier, null bool) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		if null {
			b.AddASN1NULL()
		}
	})
}

// mustOID returns the DER of a valid, constant object identifier.
func mustOID(oid asn1.ObjectIdentifier) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1ObjectIdentifier(oid)
	return b.BytesOrPanic()
}

// headerLen returns the length of a DER element's identifier and length octets.
func headerLen(der []byte) int {
	if len(der) < 2 || der[1] < 0x80 {
		return 2
	}
	return 2 + int(der[1]&0x7f)
}
