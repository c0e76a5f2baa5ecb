package identity

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"securemail/smime/cms"
)

// Identity is a person's Digital ID: a private key with its certificate and
// the other certificates that came with it.
type Identity struct {
	PrivateKey  crypto.PrivateKey   // *rsa.PrivateKey or *ecdsa.PrivateKey
	Certificate *x509.Certificate   // the end-entity certificate (the one matching the key)
	Chain       []*x509.Certificate // the other certificates in the file (intermediates, maybe the root), leaf excluded
}

// Errors a caller may test for with errors.Is. Their texts are the sentences
// to show a person.
var (
	// ErrWrongPassword: the file is intact but the password does not open it.
	ErrWrongPassword = errors.New("identity: the password of the Digital ID file is wrong")
	// ErrNotPFX: the bytes are not a PKCS #12 file, or it is damaged.
	ErrNotPFX = errors.New("identity: this file is not a Digital ID (.pfx/.p12) file or it is damaged")
	// ErrUnsupported: the file uses an algorithm or key type SecureMail
	// cannot use. The returned error names it.
	ErrUnsupported = errors.New("identity: this Digital ID file uses something SecureMail does not support")
	// ErrNoPrivateKey: a valid PKCS #12 file without a private key, such as a
	// certificate-only export.
	ErrNoPrivateKey = errors.New("identity: this file holds no private key, so it is not your own Digital ID; to add someone else's Digital ID, import it in the address book")
	// ErrNoCertificate: the file has a private key but not its certificate.
	ErrNoCertificate = errors.New("identity: this file holds a private key but not its certificate; export the Digital ID again with its certificate")
	// ErrSeveralIdentities: the file holds more than one key with its
	// certificate; ParsePFX refuses to guess, ParsePFXAll returns them all.
	ErrSeveralIdentities = errors.New("identity: this file holds several Digital IDs")
	// ErrNoCertificates: ParseCertificates found no certificate.
	ErrNoCertificates = errors.New("identity: this file holds no Digital ID certificate (.cer, .crt, .pem or .p7b) or it is damaged")
)

// damagedError is ErrNotPFX with the technical reason kept for logs and
// tests; its text is ErrNotPFX's sentence alone.
type damagedError struct{ reason error }

func (e *damagedError) Error() string   { return ErrNotPFX.Error() }
func (e *damagedError) Unwrap() []error { return []error{ErrNotPFX, e.reason} }

// Reason returns the technical detail of the damage.
func (e *damagedError) Reason() string { return e.reason.Error() }

func damaged(format string, args ...any) error {
	return &damagedError{reason: fmt.Errorf(format, args...)}
}

// severalError lists the addresses of the identities in a file.
type severalError struct{ addresses []string }

func (e *severalError) Error() string {
	return fmt.Sprintf("identity: this file holds %d Digital IDs (%s); export only the one for your address and open that file",
		len(e.addresses), strings.Join(e.addresses, ", "))
}

func (e *severalError) Unwrap() error { return ErrSeveralIdentities }

// Addresses lists the e-mail addresses of the Digital IDs in the file.
func (e *severalError) Addresses() []string { return append([]string(nil), e.addresses...) }

// Fingerprint returns the SHA-256 fingerprint of a certificate as the UI
// shows it: upper-case hex in colon-separated pairs.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// Address returns the e-mail address a certificate is for: the first
// subjectAltName rfc822Name, or else the subject's PKCS #9 emailAddress
// (as in certificates made for Outlook Express). It returns "" if neither.
func Address(cert *x509.Certificate) string {
	if len(cert.EmailAddresses) > 0 {
		return cert.EmailAddresses[0]
	}
	for _, n := range cert.Subject.Names {
		if n.Type.Equal(cms.OIDEmailAddress) {
			if s, ok := n.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}
