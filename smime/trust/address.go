package trust

import (
	"crypto/x509"
	"slices"

	"securemail/internal/mailheader"
	"securemail/internal/phrase"
	"securemail/smime/cms"
)

// Addresses returns the e-mail addresses a Digital ID is for, in the form
// addresses are compared in (mailheader.AddressKey: ASCII lower case, NFC;
// never Unicode case folding, which would turn a Kelvin sign into k):
// its subjectAltName rfc822Names, or when it has none the subject's
// emailAddress attributes (as older CAs and Outlook Express made them).
func Addresses(cert *x509.Certificate) []string {
	if cert == nil {
		return nil
	}
	var out []string
	add := func(a string) {
		a = mailheader.AddressKey(a)
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	for _, a := range cert.EmailAddresses {
		add(a)
	}
	if len(out) == 0 {
		for _, n := range cert.Subject.Names {
			if s, ok := n.Value.(string); ok && n.Type.Equal(cms.OIDEmailAddress) {
				add(s)
			}
		}
	}
	return out
}

// displayName names a Digital ID in a sentence: its first address as
// written in the certificate, else its common name (strings), else the
// phrase "an unnamed holder", which the window says in its language.
func displayName(cert *x509.Certificate) any {
	if len(cert.EmailAddresses) > 0 {
		return cert.EmailAddresses[0]
	}
	for _, n := range cert.Subject.Names {
		if s, ok := n.Value.(string); ok && n.Type.Equal(cms.OIDEmailAddress) {
			return s
		}
	}
	if cert.Subject.CommonName != "" {
		return cert.Subject.CommonName
	}
	return phrase.New("trust.holder.unnamed", "an unnamed holder", nil)
}
