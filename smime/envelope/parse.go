package envelope

import (
	"encoding/asn1"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
)

// parsed is an EnvelopedData or AuthEnvelopedData read from DER. Its byte
// slices alias the input.
type parsed struct {
	authenticated  bool
	recipientInfos []cryptobyte.String // each a whole RecipientInfo element
	contentAlg     cryptobyte.String   // the content-encryption AlgorithmIdentifier element
	chunks         [][]byte            // encryptedContent, one chunk when primitive
	contentLen     int
	authAttrs      []byte // AuthEnvelopedData authAttrs element ([1] tag), nil when absent
	mac            []byte
}

var (
	tagCons0 = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagCons1 = cbasn1.Tag(1).Constructed().ContextSpecific()
	tagCons2 = cbasn1.Tag(2).Constructed().ContextSpecific()
	tagPrim0 = cbasn1.Tag(0).ContextSpecific()
)

// parse reads a ContentInfo holding EnvelopedData (RFC 5652 §6.1) or
// AuthEnvelopedData (RFC 5083 §2.1) from DER, as cms.ToDER leaves it.
func parse(der []byte) (*parsed, error) {
	s := cryptobyte.String(der)
	var ci, explicit, body cryptobyte.String
	var contentType asn1.ObjectIdentifier
	if !s.ReadASN1(&ci, cbasn1.SEQUENCE) || !s.Empty() || !ci.ReadASN1ObjectIdentifier(&contentType) {
		return nil, errf(ErrCorrupt, "not a CMS ContentInfo")
	}
	p := &parsed{}
	switch {
	case contentType.Equal(cms.OIDEnvelopedData):
	case contentType.Equal(cms.OIDAuthEnvelopedData):
		p.authenticated = true
	default:
		return nil, errf(ErrUnsupported, "content type %s is not EnvelopedData or AuthEnvelopedData", contentType)
	}
	if !ci.ReadASN1(&explicit, tagCons0) || !ci.Empty() || !explicit.ReadASN1(&body, cbasn1.SEQUENCE) || !explicit.Empty() {
		return nil, errf(ErrCorrupt, "ContentInfo content malformed")
	}
	var version int
	var ris, eci cryptobyte.String
	if !body.ReadASN1Integer(&version) {
		return nil, errf(ErrCorrupt, "version malformed")
	}
	if !body.SkipOptionalASN1(tagCons0) { // originatorInfo: certificates we do not need
		return nil, errf(ErrCorrupt, "originatorInfo malformed")
	}
	if !body.ReadASN1(&ris, cbasn1.SET) {
		return nil, errf(ErrCorrupt, "recipientInfos malformed")
	}
	for !ris.Empty() {
		var ri cryptobyte.String
		var tag cbasn1.Tag
		if !ris.ReadAnyASN1Element(&ri, &tag) {
			return nil, errf(ErrCorrupt, "RecipientInfo malformed")
		}
		p.recipientInfos = append(p.recipientInfos, ri)
	}
	if len(p.recipientInfos) == 0 {
		return nil, errf(ErrCorrupt, "no RecipientInfo")
	}
	if !body.ReadASN1(&eci, cbasn1.SEQUENCE) {
		return nil, errf(ErrCorrupt, "EncryptedContentInfo malformed")
	}
	var innerType asn1.ObjectIdentifier
	if !eci.ReadASN1ObjectIdentifier(&innerType) || !eci.ReadASN1Element(&p.contentAlg, cbasn1.SEQUENCE) {
		return nil, errf(ErrCorrupt, "EncryptedContentInfo malformed")
	}
	if eci.Empty() {
		return nil, errf(ErrUnsupported, "the encrypted content is detached from the message")
	}
	var ok bool
	if p.chunks, p.contentLen, ok = readOctets(&eci, tagPrim0); !ok || !eci.Empty() {
		return nil, errf(ErrCorrupt, "encryptedContent malformed or truncated")
	}
	if p.authenticated {
		if body.PeekASN1Tag(tagCons1) {
			var attrs cryptobyte.String
			if !body.ReadASN1Element(&attrs, tagCons1) {
				return nil, errf(ErrCorrupt, "authAttrs malformed")
			}
			p.authAttrs = attrs
		}
		if !body.ReadASN1Bytes(&p.mac, cbasn1.OCTET_STRING) {
			return nil, errf(ErrCorrupt, "mac missing or truncated")
		}
		if !body.SkipOptionalASN1(tagCons2) {
			return nil, errf(ErrCorrupt, "unauthAttrs malformed")
		}
	} else if !body.SkipOptionalASN1(tagCons1) {
		return nil, errf(ErrCorrupt, "unprotectedAttrs malformed")
	}
	if !body.Empty() {
		return nil, errf(ErrCorrupt, "unexpected data after the encrypted content")
	}
	return p, nil
}
