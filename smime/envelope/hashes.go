package envelope

import (
	"crypto"
	_ "crypto/sha1" // registers crypto.SHA1 for OAEP and the KDF
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/asn1"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
)

var oidSHA224 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}

// hashByOID maps a digest algorithm identifier to a linked-in hash.
func hashByOID(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(cms.OIDSHA1):
		return crypto.SHA1, true
	case oid.Equal(oidSHA224):
		return crypto.SHA224, true
	case oid.Equal(cms.OIDSHA256):
		return crypto.SHA256, true
	case oid.Equal(cms.OIDSHA384):
		return crypto.SHA384, true
	case oid.Equal(cms.OIDSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}

// hashOID is the inverse of hashByOID.
func hashOID(h crypto.Hash) (asn1.ObjectIdentifier, bool) {
	switch h {
	case crypto.SHA1:
		return cms.OIDSHA1, true
	case crypto.SHA224:
		return oidSHA224, true
	case crypto.SHA256:
		return cms.OIDSHA256, true
	case crypto.SHA384:
		return cms.OIDSHA384, true
	case crypto.SHA512:
		return cms.OIDSHA512, true
	}
	return nil, false
}

// hashName is the short lower-case name used in Result.KeyManagement.
func hashName(h crypto.Hash) string {
	switch h {
	case crypto.SHA1:
		return "sha1"
	case crypto.SHA224:
		return "sha224"
	case crypto.SHA256:
		return "sha256"
	case crypto.SHA384:
		return "sha384"
	case crypto.SHA512:
		return "sha512"
	}
	return h.String()
}

// readHashAlgorithm reads a digest AlgorithmIdentifier (SEQUENCE) whose
// parameters are absent or NULL, as RFC 4055 §2.1 requires receivers to
// accept.
func readHashAlgorithm(s *cryptobyte.String) (crypto.Hash, bool) {
	var alg cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !s.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
		return 0, false
	}
	if !alg.Empty() {
		var null cryptobyte.String
		if !alg.ReadASN1(&null, cbasn1.NULL) || !null.Empty() || !alg.Empty() {
			return 0, false
		}
	}
	h, ok := hashByOID(oid)
	return h, ok
}
