package trust

import (
	"bytes"
	"crypto/x509"
	"time"
)

// revokedBy looks cert up in the CRLs issued and signed by issuer, and
// returns the revocation time of its entry.
func revokedBy(cert, issuer *x509.Certificate, crls []*x509.RevocationList) (time.Time, bool) {
	for _, crl := range crls {
		if crl == nil || !bytes.Equal(crl.RawIssuer, cert.RawIssuer) || crl.CheckSignatureFrom(issuer) != nil {
			continue
		}
		for _, e := range crl.RevokedCertificateEntries {
			if e.SerialNumber != nil && e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
				return e.RevocationTime, true
			}
		}
	}
	return time.Time{}, false
}
