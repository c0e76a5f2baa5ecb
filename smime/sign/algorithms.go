package sign

import (
	"crypto"
	_ "crypto/sha1" // registers the digests crypto.Hash.New uses
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/asn1"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
)

// digestAlgorithms lists the digests this package knows, by identifier.
var digestAlgorithms = []struct {
	oid  asn1.ObjectIdentifier
	hash crypto.Hash
	name string
}{
	{cms.OIDSHA1, crypto.SHA1, "SHA-1"},
	{cms.OIDSHA256, crypto.SHA256, "SHA-256"},
	{cms.OIDSHA384, crypto.SHA384, "SHA-384"},
	{cms.OIDSHA512, crypto.SHA512, "SHA-512"},
}

// hashByOID returns the digest an identifier names, or 0 if unknown.
func hashByOID(oid asn1.ObjectIdentifier) crypto.Hash {
	for _, d := range digestAlgorithms {
		if d.oid.Equal(oid) {
			return d.hash
		}
	}
	return 0
}

// oidByHash returns the identifier of a digest, or nil if unknown.
func oidByHash(h crypto.Hash) asn1.ObjectIdentifier {
	for _, d := range digestAlgorithms {
		if d.hash == h {
			return d.oid
		}
	}
	return nil
}

// hashName is the readable name of a digest ("SHA-256").
func hashName(h crypto.Hash) string {
	for _, d := range digestAlgorithms {
		if d.hash == h {
			return d.name
		}
	}
	return "an unknown digest"
}

// sigKind is the family of a signature algorithm.
type sigKind int

const (
	kindUnknown sigKind = iota
	kindRSA             // RSASSA-PKCS1-v1_5
	kindPSS             // RSASSA-PSS
	kindECDSA
)

// signatureAlgorithms maps signatureAlgorithm identifiers to their family
// and the digest they imply (0: the SignerInfo's digestAlgorithm).
var signatureAlgorithms = []struct {
	oid  asn1.ObjectIdentifier
	kind sigKind
	hash crypto.Hash
}{
	{cms.OIDRSAEncryption, kindRSA, 0},
	{cms.OIDSHA1WithRSA, kindRSA, crypto.SHA1},
	{cms.OIDSHA256WithRSA, kindRSA, crypto.SHA256},
	{cms.OIDSHA384WithRSA, kindRSA, crypto.SHA384},
	{cms.OIDSHA512WithRSA, kindRSA, crypto.SHA512},
	{cms.OIDRSAPSS, kindPSS, 0},
	{cms.OIDECPublicKey, kindECDSA, 0},
	{cms.OIDECDSAWithSHA1, kindECDSA, crypto.SHA1},
	{cms.OIDECDSAWithSHA256, kindECDSA, crypto.SHA256},
	{cms.OIDECDSAWithSHA384, kindECDSA, crypto.SHA384},
	{cms.OIDECDSAWithSHA512, kindECDSA, crypto.SHA512},
}

// sigAlgorithm is a parsed signatureAlgorithm with the digest it uses.
type sigAlgorithm struct {
	kind     sigKind
	saltLen  int   // RSA-PSS only
	err      error // why the algorithm cannot be verified; nil if it can
	readable string
}

// classify resolves a SignerInfo's signatureAlgorithm and digestAlgorithm
// into something Verify can run, or into an ErrUnsupportedAlgorithm.
func classify(sigOID asn1.ObjectIdentifier, params []byte, digest crypto.Hash, digestOID asn1.ObjectIdentifier) sigAlgorithm {
	dname := hashName(digest)
	if digest == 0 {
		dname = "digest " + digestOID.String()
	}
	a := sigAlgorithm{readable: "unknown algorithm " + sigOID.String() + " with " + dname}
	var implied crypto.Hash
	for _, s := range signatureAlgorithms {
		if s.oid.Equal(sigOID) {
			a.kind, implied = s.kind, s.hash
		}
	}
	switch a.kind {
	case kindRSA:
		a.readable = "RSA PKCS#1 v1.5 with " + dname
	case kindECDSA:
		a.readable = "ECDSA with " + dname
	case kindPSS:
		a.readable = "RSA-PSS with " + dname
		p, err := parsePSSParams(params)
		if err != nil {
			a.err = err
			return a
		}
		if p.hash != digest || p.mgfHash != digest {
			a.err = fmt.Errorf("%w: RSA-PSS with %s and MGF1 with %s over a %s digest",
				ErrUnsupportedAlgorithm, hashName(p.hash), hashName(p.mgfHash), dname)
			return a
		}
		a.saltLen = p.saltLen
	default:
		a.err = fmt.Errorf("%w: signature algorithm %s", ErrUnsupportedAlgorithm, sigOID)
		return a
	}
	if digest == 0 {
		a.err = fmt.Errorf("%w: digest algorithm %s", ErrUnsupportedAlgorithm, digestOID)
	} else if implied != 0 && implied != digest {
		a.err = fmt.Errorf("%w: signature algorithm %s over a %s digest", ErrUnsupportedAlgorithm, sigOID, dname)
	}
	return a
}

// pssParams holds RSASSA-PSS-params (RFC 4055 §3.1).
type pssParams struct {
	hash, mgfHash crypto.Hash
	saltLen       int
}

// parsePSSParams reads RSASSA-PSS-params; absent fields take the RFC's
// defaults (SHA-1, MGF1 with SHA-1, 20-byte salt, trailer 1).
func parsePSSParams(der []byte) (pssParams, error) {
	p := pssParams{hash: crypto.SHA1, mgfHash: crypto.SHA1, saltLen: 20}
	bad := func(what string) (pssParams, error) {
		return p, fmt.Errorf("%w: RSA-PSS parameters: %s", ErrMalformed, what)
	}
	in := cryptobyte.String(der)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() {
		return bad("not a SEQUENCE")
	}
	var field cryptobyte.String
	var present bool
	if !seq.ReadOptionalASN1(&field, &present, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return bad("hashAlgorithm")
	}
	if present {
		oid, _, ok := readAlgorithm(&field)
		if !ok {
			return bad("hashAlgorithm")
		}
		if p.hash = hashByOID(oid); p.hash == 0 {
			return p, fmt.Errorf("%w: RSA-PSS with digest %s", ErrUnsupportedAlgorithm, oid)
		}
	}
	if !seq.ReadOptionalASN1(&field, &present, cbasn1.Tag(1).Constructed().ContextSpecific()) {
		return bad("maskGenAlgorithm")
	}
	if present {
		oid, mgfParams, ok := readAlgorithm(&field)
		if !ok {
			return bad("maskGenAlgorithm")
		}
		if !oid.Equal(cms.OIDMGF1) {
			return p, fmt.Errorf("%w: RSA-PSS mask generation %s", ErrUnsupportedAlgorithm, oid)
		}
		inner := cryptobyte.String(mgfParams)
		hashOID, _, ok := readAlgorithm(&inner)
		if !ok {
			return bad("MGF1 digest")
		}
		if p.mgfHash = hashByOID(hashOID); p.mgfHash == 0 {
			return p, fmt.Errorf("%w: MGF1 with digest %s", ErrUnsupportedAlgorithm, hashOID)
		}
	}
	if !seq.ReadOptionalASN1Integer(&p.saltLen, cbasn1.Tag(2).Constructed().ContextSpecific(), 20) || p.saltLen < 0 {
		return bad("saltLength")
	}
	trailer := 1
	if !seq.ReadOptionalASN1Integer(&trailer, cbasn1.Tag(3).Constructed().ContextSpecific(), 1) || !seq.Empty() {
		return bad("trailerField")
	}
	if trailer != 1 {
		return p, fmt.Errorf("%w: RSA-PSS trailer field %d", ErrUnsupportedAlgorithm, trailer)
	}
	return p, nil
}

// readAlgorithm reads an AlgorithmIdentifier: its OID and the DER of its
// parameters (nil when absent).
func readAlgorithm(s *cryptobyte.String) (asn1.ObjectIdentifier, []byte, bool) {
	var seq cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1ObjectIdentifier(&oid) {
		return nil, nil, false
	}
	if seq.Empty() {
		return oid, nil, true
	}
	var params cryptobyte.String
	var tag cbasn1.Tag
	if !seq.ReadAnyASN1Element(&params, &tag) || !seq.Empty() {
		return nil, nil, false
	}
	return oid, params, true
}
