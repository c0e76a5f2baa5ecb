package sign

import (
	"bytes"
	"crypto"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
)

// SignedData is a parsed CMS SignedData (RFC 5652 §5).
type SignedData struct {
	ContentType  asn1.ObjectIdentifier // eContentType
	Content      []byte                // encapsulated content; nil when detached
	Certificates []*x509.Certificate   // every parseable certificate in the message
	Signers      []*Signer
}

// Signer is one SignerInfo. Parse fills the exported fields; Verify checks it.
type Signer struct {
	// Certificate is found by the signer identifier (issuerAndSerialNumber
	// or subjectKeyIdentifier) among the message's certificates, or among
	// the extra certificates given to Verify; nil if absent.
	Certificate  *x509.Certificate
	Digest       crypto.Hash             // 0 when the digest is not supported
	Algorithm    string                  // readable, e.g. "RSA-PSS with SHA-256"
	SigningTime  time.Time               // zero when absent
	Capabilities []asn1.ObjectIdentifier // from SMIMECapabilities, in order

	issuer       []byte   // DER Name of issuerAndSerialNumber
	serial       *big.Int // nil with a subjectKeyIdentifier
	keyID        []byte   // subjectKeyIdentifier
	alg          sigAlgorithm
	signedAttrs  []byte // the signed attributes as they appear, re-tagged as SET; nil if absent
	digestAttr   []byte // messageDigest attribute
	typeAttr     asn1.ObjectIdentifier
	attrErr      error // a malformed signed attribute, reported by Verify
	signature    []byte
	eContentType asn1.ObjectIdentifier
	certs        []*x509.Certificate
}

var (
	tagC0 = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagC1 = cbasn1.Tag(1).Constructed().ContextSpecific()
	tagP0 = cbasn1.Tag(0).ContextSpecific()
)

func malformed(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, a...)...)
}

// Parse reads a DER or BER ContentInfo holding SignedData, including the
// certificates-only form (.p7b) without signers. Content aliases data when
// data is DER.
func Parse(data []byte) (*SignedData, error) {
	der, err := cms.ToDER(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	in := cryptobyte.String(der)
	var ci, wrapper, sd cryptobyte.String
	var ctype asn1.ObjectIdentifier
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !in.Empty() || !ci.ReadASN1ObjectIdentifier(&ctype) {
		return nil, malformed("no ContentInfo")
	}
	if !ctype.Equal(cms.OIDSignedData) {
		return nil, malformed("the content type is %s, not signed data", ctype)
	}
	if !ci.ReadASN1(&wrapper, tagC0) || !wrapper.ReadASN1(&sd, cbasn1.SEQUENCE) {
		return nil, malformed("no SignedData")
	}
	var version int64
	var encap, certSet, signerSet cryptobyte.String
	out := &SignedData{}
	if !sd.ReadASN1Integer(&version) || !sd.SkipASN1(cbasn1.SET) ||
		!sd.ReadASN1(&encap, cbasn1.SEQUENCE) || !encap.ReadASN1ObjectIdentifier(&out.ContentType) {
		return nil, malformed("SignedData header")
	}
	if encap.PeekASN1Tag(tagC0) {
		var ec cryptobyte.String
		if !encap.ReadASN1(&ec, tagC0) || !ec.ReadASN1Bytes(&out.Content, cbasn1.OCTET_STRING) || !ec.Empty() {
			return nil, malformed("eContent is not an OCTET STRING")
		}
		if out.Content == nil {
			out.Content = []byte{}
		}
	}
	var hasCerts bool
	if !encap.Empty() || !sd.ReadOptionalASN1(&certSet, &hasCerts, tagC0) ||
		!sd.SkipOptionalASN1(tagC1) || !sd.ReadASN1(&signerSet, cbasn1.SET) || !sd.Empty() {
		return nil, malformed("SignedData fields")
	}
	if n := countElements(certSet, MaxCertificates+1); n > MaxCertificates {
		return nil, fmt.Errorf("%w: more than %d certificates", ErrTooLarge, MaxCertificates)
	}
	if n := countElements(signerSet, MaxSigners+1); n > MaxSigners {
		return nil, fmt.Errorf("%w: more than %d signers", ErrTooLarge, MaxSigners)
	}
	for !certSet.Empty() {
		var el cryptobyte.String
		var tag cbasn1.Tag
		if !certSet.ReadAnyASN1Element(&el, &tag) {
			return nil, malformed("certificates")
		}
		if tag != cbasn1.SEQUENCE {
			continue // attribute or other certificate formats
		}
		if c, err := x509.ParseCertificate(el); err == nil {
			out.Certificates = append(out.Certificates, c)
		}
	}
	for !signerSet.Empty() {
		var si cryptobyte.String
		if !signerSet.ReadASN1(&si, cbasn1.SEQUENCE) {
			return nil, malformed("signerInfos")
		}
		s, err := parseSignerInfo(si)
		if err != nil {
			return nil, err
		}
		s.eContentType = out.ContentType
		s.certs = out.Certificates
		s.Certificate = s.find(out.Certificates)
		out.Signers = append(out.Signers, s)
	}
	return out, nil
}

// countElements counts the elements of a SET OF, stopping at limit (and
// at the first that cannot be read: the parse that follows reports it).
func countElements(set cryptobyte.String, limit int) int {
	n := 0
	for n < limit && !set.Empty() {
		var el cryptobyte.String
		var tag cbasn1.Tag
		if !set.ReadAnyASN1Element(&el, &tag) {
			break
		}
		n++
	}
	return n
}

// parseSignerInfo reads one SignerInfo (RFC 5652 §5.3).
func parseSignerInfo(si cryptobyte.String) (*Signer, error) {
	s := &Signer{}
	var version int64
	if !si.ReadASN1Integer(&version) {
		return nil, malformed("SignerInfo version")
	}
	switch {
	case si.PeekASN1Tag(cbasn1.SEQUENCE):
		var ias, issuer cryptobyte.String
		s.serial = new(big.Int)
		if !si.ReadASN1(&ias, cbasn1.SEQUENCE) || !ias.ReadASN1Element(&issuer, cbasn1.SEQUENCE) ||
			!ias.ReadASN1Integer(s.serial) || !ias.Empty() {
			return nil, malformed("issuerAndSerialNumber")
		}
		s.issuer = issuer
	case si.PeekASN1Tag(tagP0):
		if !si.ReadASN1Bytes(&s.keyID, tagP0) {
			return nil, malformed("subjectKeyIdentifier")
		}
	default:
		return nil, malformed("signer identifier")
	}
	digestOID, _, ok := readAlgorithm(&si)
	if !ok {
		return nil, malformed("digestAlgorithm")
	}
	s.Digest = hashByOID(digestOID)
	if si.PeekASN1Tag(tagC0) {
		var el cryptobyte.String
		if !si.ReadASN1Element(&el, tagC0) {
			return nil, malformed("signedAttrs")
		}
		// The signature covers the DER of the SET OF attributes: the same
		// bytes with the universal SET tag instead of [0] (RFC 5652 §5.4).
		s.signedAttrs = append([]byte{0x31}, el[1:]...)
		if err := s.parseSignedAttrs(); err != nil {
			return nil, err
		}
	}
	sigOID, sigParams, ok := readAlgorithm(&si)
	if !ok || !si.ReadASN1Bytes(&s.signature, cbasn1.OCTET_STRING) ||
		!si.SkipOptionalASN1(tagC1) || !si.Empty() {
		return nil, malformed("SignerInfo signature")
	}
	s.alg = classify(sigOID, sigParams, s.Digest, digestOID)
	s.Algorithm = s.alg.readable
	return s, nil
}

// parseSignedAttrs reads the attributes Verify and the caller need. Structural
// damage fails Parse; a missing or doubled required attribute is kept in
// attrErr for Verify, so the rest of the message can still be shown.
func (s *Signer) parseSignedAttrs() error {
	in := cryptobyte.String(s.signedAttrs)
	var set cryptobyte.String
	if !in.ReadASN1(&set, cbasn1.SET) || !in.Empty() {
		return malformed("signedAttrs")
	}
	seen := map[string]bool{}
	for !set.Empty() {
		var attr, values cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !set.ReadASN1(&attr, cbasn1.SEQUENCE) || !attr.ReadASN1ObjectIdentifier(&oid) ||
			!attr.ReadASN1(&values, cbasn1.SET) || !attr.Empty() {
			return malformed("signed attribute")
		}
		key := oid.String()
		if seen[key] {
			s.attrErr = malformed("signed attribute %s appears twice", oid)
			continue
		}
		seen[key] = true
		switch {
		case oid.Equal(cms.OIDAttrContentType):
			if !values.ReadASN1ObjectIdentifier(&s.typeAttr) || !values.Empty() {
				s.attrErr = malformed("contentType attribute")
			}
		case oid.Equal(cms.OIDAttrMessageDigest):
			if !values.ReadASN1Bytes(&s.digestAttr, cbasn1.OCTET_STRING) || !values.Empty() {
				s.attrErr = malformed("messageDigest attribute")
			}
		case oid.Equal(cms.OIDAttrSigningTime):
			s.SigningTime = readTime(values)
		case oid.Equal(cms.OIDAttrSMIMECaps):
			s.Capabilities = readCapabilities(values)
		}
	}
	if s.attrErr == nil && (s.typeAttr == nil || s.digestAttr == nil) {
		s.attrErr = malformed("the contentType or messageDigest attribute is missing")
	}
	return nil
}

// readTime reads a signingTime value (UTCTime or GeneralizedTime); the zero
// time when it cannot.
func readTime(values cryptobyte.String) time.Time {
	var t time.Time
	switch {
	case values.PeekASN1Tag(cbasn1.UTCTime):
		if values.ReadASN1UTCTime(&t) {
			return t
		}
	case values.PeekASN1Tag(cbasn1.GeneralizedTime):
		if values.ReadASN1GeneralizedTime(&t) {
			return t
		}
	}
	return time.Time{}
}

// readCapabilities reads SMIMECapabilities (RFC 8551 §2.5.2); nil when the
// value is malformed.
func readCapabilities(values cryptobyte.String) []asn1.ObjectIdentifier {
	var seq cryptobyte.String
	if !values.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return nil
	}
	var caps []asn1.ObjectIdentifier
	for !seq.Empty() {
		oid, _, ok := readAlgorithm(&seq)
		if !ok {
			return nil
		}
		caps = append(caps, oid)
	}
	return caps
}

// find returns the first certificate the signer identifier names.
func (s *Signer) find(certs []*x509.Certificate) *x509.Certificate {
	for _, c := range certs {
		if c == nil {
			continue
		}
		if s.keyID != nil {
			if bytes.Equal(subjectKeyID(c), s.keyID) {
				return c
			}
		} else if s.serial != nil && c.SerialNumber != nil && c.SerialNumber.Cmp(s.serial) == 0 &&
			bytes.Equal(c.RawIssuer, s.issuer) {
			return c
		}
	}
	return nil
}

// subjectKeyID is the certificate's subjectKeyIdentifier, or the RFC 5280
// §4.2.1.2 method 1 value (as OpenSSL computes it) when the extension is absent.
func subjectKeyID(c *x509.Certificate) []byte {
	if len(c.SubjectKeyId) > 0 {
		return c.SubjectKeyId
	}
	var spki, alg cryptobyte.String
	var bits asn1.BitString
	in := cryptobyte.String(c.RawSubjectPublicKeyInfo)
	if !in.ReadASN1(&spki, cbasn1.SEQUENCE) || !spki.ReadASN1(&alg, cbasn1.SEQUENCE) || !spki.ReadASN1BitString(&bits) {
		return nil
	}
	sum := sha1.Sum(bits.Bytes)
	return sum[:]
}
