package crl

import (
	"fmt"
	"strings"

	"securemail/internal/phrase"
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
func (r Reason) info() (name string, words phrase.Phrase, ok bool) {
	switch r {
	case Unspecified:
		return "unspecified", phrase.New("crl.reason.unspecified", "no reason given", nil), true
	case KeyCompromise:
		return "keyCompromise", phrase.New("crl.reason.keyCompromise", "its key was compromised", nil), true
	case CACompromise:
		return "cACompromise", phrase.New("crl.reason.cACompromise", "its authority's key was compromised", nil), true
	case AffiliationChanged:
		return "affiliationChanged", phrase.New("crl.reason.affiliationChanged", "its holder's affiliation changed", nil), true
	case Superseded:
		return "superseded", phrase.New("crl.reason.superseded", "it was replaced by a new one", nil), true
	case CessationOfOperation:
		return "cessationOfOperation", phrase.New("crl.reason.cessationOfOperation", "it is no longer used", nil), true
	case CertificateHold:
		return "certificateHold", phrase.New("crl.reason.certificateHold", "it is on hold", nil), true
	case RemoveFromCRL:
		return "removeFromCRL", phrase.New("crl.reason.removeFromCRL", "it was taken off hold", nil), true
	case PrivilegeWithdrawn:
		return "privilegeWithdrawn", phrase.New("crl.reason.privilegeWithdrawn", "its holder's privilege was withdrawn", nil), true
	case AACompromise:
		return "aACompromise", phrase.New("crl.reason.aACompromise", "its attribute authority was compromised", nil), true
	}
	return "", phrase.Phrase{}, false
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

// Words is the reason as an English sentence says it: "its key was
// compromised".
func (r Reason) Words() string { return r.Phrase().String() }

// Phrase is the reason as a sentence says it, to be rendered in the
// window's language (docs/ARCHITECTURE.md §7).
func (r Reason) Phrase() phrase.Phrase {
	if _, w, ok := r.info(); ok {
		return w
	}
	return phrase.New("crl.reason.code", "reason code {{.Code}}", phrase.Args{"Code": int(r)})
}

// Compromise reports whether the reason says a key was compromised
// (keyCompromise, cACompromise, aACompromise): then nothing signed with it
// can be relied on, whenever it was signed, since the date of the
// compromise is not known.
func (r Reason) Compromise() bool {
	return r == KeyCompromise || r == CACompromise || r == AACompromise
}
