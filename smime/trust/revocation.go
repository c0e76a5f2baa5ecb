package trust

import (
	"crypto/x509"
	"time"

	"securemail/smime/crl"
)

// revocation looks cert up in the CRLs issued and signed by issuer, and
// returns its entry.
func revocation(cert, issuer *x509.Certificate, crls []*x509.RevocationList) (crl.Entry, bool) {
	for _, l := range crls {
		e, listed := crl.Lookup(l, cert)
		if listed && l.CheckSignatureFrom(issuer) == nil {
			return e, true
		}
	}
	return crl.Entry{}, false
}

// counts reports whether a revocation makes a Digital ID unusable at the
// judged moment: it was revoked by then, or for a key compromise, whose
// date nobody knows, so it counts whenever it was recorded.
func counts(e crl.Entry, at time.Time) bool {
	return e.Reason.Compromise() || !e.At.After(at)
}
