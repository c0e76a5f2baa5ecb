package envelope

import (
	"crypto"
	"encoding/asn1"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
)

// oaepParams are the decoded RSAES-OAEP-params (RFC 8017 A.2.1, RFC 4055 §4.1).
type oaepParams struct {
	hash    crypto.Hash
	mgfHash crypto.Hash
	label   []byte
}

var (
	tagOAEPHash   = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagOAEPMGF    = cbasn1.Tag(1).Constructed().ContextSpecific()
	tagOAEPSource = cbasn1.Tag(2).Constructed().ContextSpecific()
)

// appendOAEPAlgorithm writes the id-RSAES-OAEP AlgorithmIdentifier for hash
// with MGF1 on the same hash and an empty label. Defaults are omitted, as
// DER requires: SHA-1 gives an empty parameters SEQUENCE (RFC 4055 §4.1);
// SHA-2 hash identifiers are written with absent parameters (RFC 5754 §2).
func appendOAEPAlgorithm(b *cryptobyte.Builder, h crypto.Hash) error {
	oid, ok := hashOID(h)
	if !ok || !h.Available() {
		return errf(ErrUnsupported, "RSA-OAEP with %v", h)
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(cms.OIDRSAOAEP)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			if h == crypto.SHA1 {
				return
			}
			b.AddASN1(tagOAEPHash, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oid) })
			})
			b.AddASN1(tagOAEPMGF, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(cms.OIDMGF1)
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oid) })
				})
			})
		})
	})
	return nil
}

// parseOAEPParams decodes the parameters of an id-RSAES-OAEP
// AlgorithmIdentifier (the bytes after the OID). Absent or NULL parameters
// are read as all defaults, which some encoders write.
func parseOAEPParams(params cryptobyte.String) (oaepParams, error) {
	p := oaepParams{hash: crypto.SHA1, mgfHash: crypto.SHA1}
	bad := func(what string) (oaepParams, error) {
		return p, errf(ErrCorrupt, "RSA-OAEP parameters malformed (%s)", what)
	}
	if params.Empty() {
		return p, nil
	}
	var seq cryptobyte.String
	if params.PeekASN1Tag(cbasn1.NULL) {
		if !params.ReadASN1(&seq, cbasn1.NULL) || !seq.Empty() || !params.Empty() {
			return bad("NULL")
		}
		return p, nil
	}
	if !params.ReadASN1(&seq, cbasn1.SEQUENCE) || !params.Empty() {
		return bad("not a SEQUENCE")
	}
	var field cryptobyte.String
	var present bool
	if !seq.ReadOptionalASN1(&field, &present, tagOAEPHash) {
		return bad("hashAlgorithm")
	}
	if present {
		h, ok := readHashAlgorithm(&field)
		if !ok || !field.Empty() {
			return p, errf(ErrUnsupported, "RSA-OAEP hash algorithm")
		}
		p.hash = h
	}
	if !seq.ReadOptionalASN1(&field, &present, tagOAEPMGF) {
		return bad("maskGenAlgorithm")
	}
	if present {
		var mgf cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !field.ReadASN1(&mgf, cbasn1.SEQUENCE) || !field.Empty() || !mgf.ReadASN1ObjectIdentifier(&oid) {
			return bad("maskGenAlgorithm")
		}
		if !oid.Equal(cms.OIDMGF1) {
			return p, errf(ErrUnsupported, "RSA-OAEP mask generation function %s", oid)
		}
		h, ok := readHashAlgorithm(&mgf)
		if !ok || !mgf.Empty() {
			return p, errf(ErrUnsupported, "RSA-OAEP MGF1 hash algorithm")
		}
		p.mgfHash = h
	}
	if !seq.ReadOptionalASN1(&field, &present, tagOAEPSource) {
		return bad("pSourceAlgorithm")
	}
	if present {
		var src cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !field.ReadASN1(&src, cbasn1.SEQUENCE) || !field.Empty() || !src.ReadASN1ObjectIdentifier(&oid) {
			return bad("pSourceAlgorithm")
		}
		if !oid.Equal(cms.OIDPSpecified) {
			return p, errf(ErrUnsupported, "RSA-OAEP label source %s", oid)
		}
		if !src.ReadASN1Bytes(&p.label, cbasn1.OCTET_STRING) || !src.Empty() {
			return bad("label")
		}
	}
	if !seq.Empty() {
		return bad("trailing fields")
	}
	return p, nil
}

// name is the Result.KeyManagement spelling, e.g. "rsa-oaep-sha256".
func (p oaepParams) name() string {
	s := "rsa-oaep-" + hashName(p.hash)
	if p.mgfHash != p.hash {
		s += fmt.Sprintf("-mgf1-%s", hashName(p.mgfHash))
	}
	return s
}
