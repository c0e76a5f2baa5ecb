package addressbook

import (
	"crypto/x509"
	"time"

	"securemail/internal/phrase"
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
	ID      *DigitalID
	Problem trust.Problem
	// Reason is the verdict in one English sentence (the command line and
	// its JSON); Phrase is the same sentence as data, for the window's
	// language (docs/ARCHITECTURE.md §7); a verdict made without one (zero
	// Phrase) is shown by its Reason.
	Reason   string
	Phrase   phrase.Phrase `json:"-"`
	NotAfter time.Time
}

// ContactVerdict is the evaluation of a contact.
type ContactVerdict struct {
	Status Status
	// Reason is the status in one English sentence; Phrase is the same
	// sentence as data, for the window (see Verdict).
	Reason string
	Phrase phrase.Phrase `json:"-"`
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
	v := ContactVerdict{Status: None}
	v.say(phrase.New("addressbook.noid", "{{.Address}} has no Digital ID yet; ask for a signed mail (secure link).",
		phrase.Args{"Address": c.Address}))
	if len(c.DigitalIDs) == 0 {
		return v
	}
	for _, d := range c.DigitalIDs {
		cert := d.Certificate()
		if cert == nil {
			damaged := phrase.New("addressbook.damaged", "This Digital ID is damaged.", nil)
			v.IDs = append(v.IDs, Verdict{ID: d, Problem: trust.Untrusted, Reason: damaged.String(), Phrase: damaged})
			continue
		}
		r := trust.Evaluate(cert, d.Chain(), trust.Policy{Roots: t.Roots, Intermediates: t.Intermediates,
			Purpose: trust.Encryption, Now: t.Now, Address: c.Address, CRLs: t.CRLs})
		v.IDs = append(v.IDs, Verdict{ID: d, Problem: r.Problem, Reason: r.Reason, Phrase: r.ReasonPhrase, NotAfter: cert.NotAfter})
		if r.Problem == trust.OK && (v.Usable == nil || d.Default) {
			v.Usable = d
		}
	}
	if v.Usable != nil {
		v.Status = Valid
		v.say(phrase.New("addressbook.validuntil", "Digital ID valid until {{.Date}}.",
			phrase.Args{"Date": phrase.Date(v.Usable.Certificate().NotAfter)}))
		return v
	}
	v.Status = Invalid
	// Explain with the default Digital ID's reason: it is the one the user chose.
	chosen := v.IDs[len(v.IDs)-1]
	for _, x := range v.IDs {
		if x.ID.Default {
			chosen = x
		}
	}
	v.Reason, v.Phrase = chosen.Reason, chosen.Phrase
	return v
}

// say sets the verdict's sentence: its phrase and that phrase's English.
func (v *ContactVerdict) say(p phrase.Phrase) { v.Reason, v.Phrase = p.String(), p }

// ExpiringSoon reports whether a certificate expires within the warning
// window (7 days, as the issue asks) but has not expired yet.
func ExpiringSoon(cert *x509.Certificate, now time.Time) bool {
	return now.Before(cert.NotAfter) && cert.NotAfter.Sub(now) <= 7*24*time.Hour
}
