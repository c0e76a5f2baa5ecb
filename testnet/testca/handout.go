package testca

import (
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"

	"securemail/internal/durable"
	"securemail/smime/identity"
)

// Handout is what the seed's CA gives a tester: the Root CA and EC CA
// certificates (DER), the Mail.pfx Digital ID and its password, which the
// seed delivers separately.
type Handout struct {
	RootCA   []byte // Root_CA.cer, DER
	ECCA     []byte // EC_CA.cer, DER
	MailPFX  []byte // Mail.pfx: the key, the certificate and the chain
	Password string // the Mail.pfx password

	Certificate *x509.Certificate // the tester's certificate, for display
}

// Handout file names, as the seed names the attachments.
const (
	RootCAFile   = "Root_CA.cer"
	ECCAFile     = "EC_CA.cer"
	MailPFXFile  = "Mail.pfx"
	PasswordFile = "password.txt"
)

// Handout issues a Digital ID and packs it as the seed's three files plus
// the password. An empty password is replaced by a random one (see
// RandomPassword). legacy selects the 3DES/SHA-1 PKCS #12 form that gpgsm
// and old Windows import; otherwise Mail.pfx is written as OpenSSL 3 does
// (AES-256, SHA-256).
func (ca *CA) Handout(o IssueOptions, password string, legacy bool) (*Handout, error) {
	is, err := ca.Issue(o)
	if err != nil {
		return nil, err
	}
	if password == "" {
		if password, err = RandomPassword(); err != nil {
			return nil, err
		}
	}
	pfx, err := identity.EncodePFX(&identity.Identity{PrivateKey: is.PrivateKey, Certificate: is.Certificate, Chain: is.Chain}, password, legacy)
	if err != nil {
		return nil, fmt.Errorf("testca: %w", err)
	}
	return &Handout{RootCA: ca.Root.Raw, ECCA: ca.Intermediate.Raw, MailPFX: pfx, Password: password, Certificate: is.Certificate}, nil
}

// passwordAlphabet leaves out characters that are easy to misread or
// mistype: 0/O/o, 1/l/I, and letters whose place differs between keyboard
// layouts (y/z and Y/Z).
const passwordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXabcdefghijkmnpqrstuvwx23456789"

// RandomPassword returns a password of four groups of four unambiguous
// characters joined by hyphens, such as "Hk3m-Tx9q-Wp7e-Rb2c" (about 90 bits).
func RandomPassword() (string, error) {
	var b strings.Builder
	size := big.NewInt(int64(len(passwordAlphabet)))
	for i := 0; i < 16; i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, size)
		if err != nil {
			return "", fmt.Errorf("testca: no randomness for a password: %w", err)
		}
		b.WriteByte(passwordAlphabet[n.Int64()])
	}
	return b.String(), nil
}

// WriteHandout writes a handout into dir (created 0700): Root_CA.cer and
// EC_CA.cer in DER, Mail.pfx and password.txt readable by the owner only.
// Each file is replaced whole.
func WriteHandout(dir string, h *Handout) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("testca: cannot create the handout folder: %w", err)
	}
	files := []struct {
		name string
		data []byte
		perm os.FileMode
	}{
		{RootCAFile, h.RootCA, 0o644},
		{ECCAFile, h.ECCA, 0o644},
		{MailPFXFile, h.MailPFX, 0o600},
		{PasswordFile, []byte(h.Password + "\n"), 0o600},
	}
	for _, f := range files {
		if err := durable.WriteFile(filepath.Join(dir, f.name), f.data, f.perm); err != nil {
			return fmt.Errorf("testca: %w", err)
		}
	}
	return nil
}
