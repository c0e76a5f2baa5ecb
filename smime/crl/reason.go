package crl

import (
	"fmt"
	"strings"
)

// Reason is a CRLReason (RFC 5280 §5.3.1).
type Reason int

// Revocation reasons. Code 7 is not used.
const (
	Unspecified          Reason = 0
	KeyCompromise        Reason = 1
	CACompromise         Reason = 2
	AffiliationChanged   Reason = 3
	Superseded           Reason = 4
	CessationOfOperation Reason = 5
	CertificateHold      Reason = 6
	RemoveFromCRL        Reason = 8
	PrivilegeWithdrawn   Reason = 9
	AACompromise         Reason = 10
)

// info returns the RFC's name of a reason and the words a sentence uses.
func (r Reason) info() (name, words string, ok bool) {
	switch r {
	case Unspecified:
		return "unspecified", "no reason given", true
	case KeyCompromise:
		return "keyCompromise", "its key was compromised", true
	case CACompromise:
		return "cACompromise", "its authority's key was compromised", true
	case AffiliationChanged:
		return "affiliationChanged", "its holder's affiliation changed", true
	case Superseded:
		return "superseded", "it was replaced by a new one", true
	case CessationOfOperation:
		return "cessationOfOperation", "it is no longer used", true
	case CertificateHold:
		return "certificateHold", "it is on hold", true
	case RemoveFromCRL:
		return "removeFromCRL", "it was taken off hold", true
	case PrivilegeWithdrawn:
		return "privilegeWithdrawn", "its holder's privilege was withdrawn", true
	case AACompromise:
		return "aACompromise", "its attribute authority was compromised", true
	}
	return "", "", false
}

// ParseReason reads a reason by its RFC 5280 name, case-insensitively
// ("keyCompromise", "superseded", …).
func ParseReason(name string) (Reason, error) {
	for r := Unspecified; r <= AACompromise; r++ {
		if n, _, ok := r.info(); ok && r != RemoveFromCRL && strings.EqualFold(n, name) {
			return r, nil
		}
	}
	return 0, fmt.Errorf("crl: %q is not a revocation reason; use one of %s", name, ReasonNames())
}

// ReasonNames lists the names ParseReason accepts, in code order.
func ReasonNames() string {
	var out []string
	for r := Unspecified; r <= AACompromise; r++ {
		if n, _, ok := r.info(); ok && r != RemoveFromCRL {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}

// String is the RFC 5280 name, e.g. "keyCompromise".
func (r Reason) String() string {
	if n, _, ok := r.info(); ok {
		return n
	}
	return fmt.Sprintf("reason %d", int(r))
}

// Words is the reason as a sentence says it: "its key was compromised".
func (r Reason) Words() string {
	if _, w, ok := r.info(); ok {
		return w
	}
	return fmt.Sprintf("reason code %d", int(r))
}

// Compromise reports whether the reason says a key was compromised
// (keyCompromise, cACompromise, aACompromise): then nothing signed with it
// can be relied on, whenever it was signed, since the date of the
// compromise is not known.
func (r Reason) Compromise() bool {
	return r == KeyCompromise || r == CACompromise || r == AACompromise
}
