package addressbook

import (
	"crypto/x509"
	"fmt"
	"time"

	"securemail/smime/trust"
)

// Status is the V / red X of a contact, as the contacts list of docs/ARCHITECTURE.md §3.2 says.
type Status string

// Contact statuses.
const (
	Valid   Status = "valid"   // V: mail to them can be encrypted
	Invalid Status = "invalid" // red X: they have Digital IDs, none usable
	None    Status = "none"    // no Digital ID yet
)

// Verdict is the evaluation of one Digital ID.
type Verdict struct {
	ID       *DigitalID
	Problem  trust.Problem
	Reason   string
	NotAfter time.Time
}

// ContactVerdict is the evaluation of a contact.
type ContactVerdict struct {
	Status Status
	Reason string
	// Usable is the Digital ID to encrypt to: the default if it is valid,
	// else the newest valid one; nil when none is.
	Usable *DigitalID
	IDs    []Verdict
}

// Trust is what Evaluate checks Digital IDs against.
type Trust struct {
	Roots         []*x509.Certificate
	Intermediates []*x509.Certificate
	CRLs          []*x509.RevocationList
	Now           time.Time
}

// Evaluate decides a contact's status for encrypting mail to them.
func Evaluate(c *Contact, t Trust) ContactVerdict {
	v := ContactVerdict{Status: None, Reason: fmt.Sprintf("%s has no Digital ID yet; ask for a signed mail (secure link).", c.Address)}
	if len(c.DigitalIDs) == 0 {
		return v
	}
	for _, d := range c.DigitalIDs {
		cert := d.Certificate()
		if cert == nil {
			v.IDs = append(v.IDs, Verdict{ID: d, Problem: trust.Untrusted, Reason: "This Digital ID is damaged."})
			continue
		}
		r := trust.Evaluate(cert, d.Chain(), trust.Policy{Roots: t.Roots, Intermediates: t.Intermediates,
			Purpose: trust.Encryption, Now: t.Now, Address: c.Address, CRLs: t.CRLs})
		v.IDs = append(v.IDs, Verdict{ID: d, Problem: r.Problem, Reason: r.Reason, NotAfter: cert.NotAfter})
		if r.Problem == trust.OK && (v.Usable == nil || d.Default) {
			v.Usable = d
		}
	}
	if v.Usable != nil {
		v.Status = Valid
		v.Reason = fmt.Sprintf("Digital ID valid until %s.", v.Usable.Certificate().NotAfter.UTC().Format("2 January 2006"))
		return v
	}
	v.Status = Invalid
	// Explain with the default Digital ID's reason: it is the one the user chose.
	v.Reason = v.IDs[len(v.IDs)-1].Reason
	for _, x := range v.IDs {
		if x.ID.Default {
			v.Reason = x.Reason
		}
	}
	return v
}

// ExpiringSoon reports whether a certificate expires within the warning
// window (7 days, as the issue asks) but has not expired yet.
func ExpiringSoon(cert *x509.Certificate, now time.Time) bool {
	return now.Before(cert.NotAfter) && cert.NotAfter.Sub(now) <= 7*24*time.Hour
}
