package trust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"

	"securemail/internal/phrase"
)

// MinRSABits is the smallest RSA modulus a Digital ID may have (RFC 8551
// §4.4 says 2048 bits for new keys; a 1024-bit key can be factored by a
// well-funded attacker).
const MinRSABits = 2048

// LeafProblem applies the rules a Digital ID must meet whoever issued it,
// and returns OK with a zero phrase when it meets them all, else the
// problem and one sentence naming the holder (its English is the Result's
// Reason):
//   - NotEndEntity: basicConstraints says it is an authority (CA:TRUE). An
//     authority's certificate identifies an authority, not a person, and
//     whoever holds its key could issue themselves any address.
//   - WeakKey: an RSA key of fewer than MinRSABits bits.
//   - UnsupportedCurve: an EC key on a curve other than P-256, P-384 or
//     P-521 (RFC 8551 §2.2 and RFC 5753 name no other for S/MIME).
//   - UnsupportedKey: any other kind of public key.
func LeafProblem(cert *x509.Certificate) (Problem, phrase.Phrase) {
	if cert == nil {
		return Untrusted, noDigitalID()
	}
	name := displayName(cert)
	if cert.BasicConstraintsValid && cert.IsCA {
		return NotEndEntity, phrase.New("trust.leaf.ca", "The Digital ID of {{.Holder}} is an authority's certificate (CA), not a person's, so it cannot vouch for a sender or a recipient.",
			phrase.Args{"Holder": name})
	}
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if bits := k.N.BitLen(); bits < MinRSABits {
			return WeakKey, phrase.New("trust.leaf.weakkey", "The Digital ID of {{.Holder}} has a {{.Bits}}-bit RSA key, too weak to be relied on (SecureMail needs at least {{.Min}} bits).",
				phrase.Args{"Holder": name, "Bits": bits, "Min": MinRSABits})
		}
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
		default:
			return UnsupportedCurve, phrase.New("trust.leaf.curve", "The Digital ID of {{.Holder}} has a key on the curve {{.Curve}}, which SecureMail does not accept (only P-256, P-384 and P-521).",
				phrase.Args{"Holder": name, "Curve": curveName(k.Curve)})
		}
	default:
		return UnsupportedKey, phrase.New("trust.leaf.keytype", "The Digital ID of {{.Holder}} has a kind of key SecureMail does not accept (only RSA and P-256, P-384 or P-521).",
			phrase.Args{"Holder": name})
	}
	return OK, phrase.Phrase{}
}

// noDigitalID is the sentence for a missing Digital ID.
func noDigitalID() phrase.Phrase {
	return phrase.New("trust.none", "There is no Digital ID to check.", nil)
}

// curveName names an elliptic curve for a sentence.
func curveName(c elliptic.Curve) string {
	if c == nil || c.Params() == nil || c.Params().Name == "" {
		return "(unnamed)"
	}
	return c.Params().Name
}
