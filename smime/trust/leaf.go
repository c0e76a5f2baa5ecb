package trust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
)

// MinRSABits is the smallest RSA modulus a Digital ID may have (RFC 8551
// §4.4 says 2048 bits for new keys; a 1024-bit key can be factored by a
// well-funded attacker).
const MinRSABits = 2048

// LeafProblem applies the rules a Digital ID must meet whoever issued it,
// and returns OK with an empty reason when it meets them all, else the
// problem and one sentence naming the holder:
//   - NotEndEntity: basicConstraints says it is an authority (CA:TRUE). An
//     authority's certificate identifies an authority, not a person, and
//     whoever holds its key could issue themselves any address.
//   - WeakKey: an RSA key of fewer than MinRSABits bits.
//   - UnsupportedCurve: an EC key on a curve other than P-256, P-384 or
//     P-521 (RFC 8551 §2.2 and RFC 5753 name no other for S/MIME).
//   - UnsupportedKey: any other kind of public key.
func LeafProblem(cert *x509.Certificate) (Problem, string) {
	if cert == nil {
		return Untrusted, "There is no Digital ID to check."
	}
	name := displayName(cert)
	if cert.BasicConstraintsValid && cert.IsCA {
		return NotEndEntity, fmt.Sprintf("The Digital ID of %s is an authority's certificate (CA), not a person's, so it cannot vouch for a sender or a recipient.", name)
	}
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if bits := k.N.BitLen(); bits < MinRSABits {
			return WeakKey, fmt.Sprintf("The Digital ID of %s has a %d-bit RSA key, too weak to be relied on (SecureMail needs at least %d bits).", name, bits, MinRSABits)
		}
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
		default:
			return UnsupportedCurve, fmt.Sprintf("The Digital ID of %s has a key on the curve %s, which SecureMail does not accept (only P-256, P-384 and P-521).", name, curveName(k.Curve))
		}
	default:
		return UnsupportedKey, fmt.Sprintf("The Digital ID of %s has a kind of key SecureMail does not accept (only RSA and P-256, P-384 or P-521).", name)
	}
	return OK, ""
}

// curveName names an elliptic curve for a sentence.
func curveName(c elliptic.Curve) string {
	if c == nil || c.Params() == nil || c.Params().Name == "" {
		return "(unnamed)"
	}
	return c.Params().Name
}
