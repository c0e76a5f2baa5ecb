// Package crl reads and checks certificate revocation lists (RFC 5280 §5)
// for S/MIME: it parses a CRL file (DER, or PEM "X509 CRL"), finds the
// authority that signed it among the ones given, and names revocation
// reasons in the words the application shows.
//
// It fetches nothing: the application's revocation store does that, and
// smime/trust applies the lists to a certificate.
package crl

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"
)

// MaxSize bounds a CRL file. The test CA's lists are a few hundred bytes; a
// national CA revoking tens of thousands of certificates stays well under
// this. A larger file is refused rather than parsed.
const MaxSize = 4 << 20

// Errors of Parse and Verify, wrapped with the detail.
var (
	// ErrTooLarge: the file is larger than MaxSize.
	ErrTooLarge = errors.New("crl: the revocation list is too large")
	// ErrNotCRL: the bytes are not a certificate revocation list.
	ErrNotCRL = errors.New("crl: this is not a certificate revocation list")
	// ErrUnknownIssuer: no authority given names the CRL's issuer.
	ErrUnknownIssuer = errors.New("crl: the revocation list was issued by an authority you do not know")
	// ErrBadSignature: the issuer's key did not sign the CRL.
	ErrBadSignature = errors.New("crl: the revocation list's signature does not verify")
)

// Parse reads one CRL, DER or PEM (the first "X509 CRL" block; text
// around it, as `openssl crl -text` writes, is ignored).
func Parse(data []byte) (*x509.RevocationList, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w (%d bytes; at most %d)", ErrTooLarge, len(data), MaxSize)
	}
	der := data
	if bytes.Contains(data, []byte("-----BEGIN")) {
		der = nil
		for rest := data; ; {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if b.Type == "X509 CRL" {
				der = b.Bytes
				break
			}
		}
		if der == nil {
			return nil, fmt.Errorf("%w: the PEM file has no X509 CRL block", ErrNotCRL)
		}
	}
	l, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotCRL, err)
	}
	return l, nil
}

// Verify finds the authority among issuers whose subject is the CRL's
// issuer and whose key signed it, and returns that authority.
func Verify(l *x509.RevocationList, issuers []*x509.Certificate) (*x509.Certificate, error) {
	named := false
	for _, c := range issuers {
		if c == nil || !bytes.Equal(c.RawSubject, l.RawIssuer) {
			continue
		}
		named = true
		if l.CheckSignatureFrom(c) == nil {
			return c, nil
		}
	}
	if named {
		return nil, fmt.Errorf("%w (issuer %s)", ErrBadSignature, l.Issuer.CommonName)
	}
	return nil, fmt.Errorf("%w (%s)", ErrUnknownIssuer, orUnnamed(l.Issuer.CommonName))
}

// Entry is one revoked certificate of a list.
type Entry struct {
	At     time.Time // revocationDate
	Reason Reason
}

// Lookup returns cert's entry in l, if l is from cert's issuer and lists
// it. It does not check l's signature (see Verify).
func Lookup(l *x509.RevocationList, cert *x509.Certificate) (Entry, bool) {
	if l == nil || cert == nil || cert.SerialNumber == nil || !bytes.Equal(l.RawIssuer, cert.RawIssuer) {
		return Entry{}, false
	}
	for _, e := range l.RevokedCertificateEntries {
		if e.SerialNumber != nil && e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
			return Entry{At: e.RevocationTime, Reason: Reason(e.ReasonCode)}, true
		}
	}
	return Entry{}, false
}

// Newer reports whether a is a later list than b from the same issuer: a
// higher CRL number, or, without numbers, a later thisUpdate.
func Newer(a, b *x509.RevocationList) bool {
	if a.Number != nil && b.Number != nil && a.Number.Cmp(b.Number) != 0 {
		return a.Number.Cmp(b.Number) > 0
	}
	return a.ThisUpdate.After(b.ThisUpdate)
}

func orUnnamed(s string) string {
	if s == "" {
		return "an unnamed authority"
	}
	return s
}
