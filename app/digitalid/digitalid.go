// Package digitalid keeps a profile's trust decisions and the user's own
// Digital IDs: the trusted Root CAs, the authority chain (EC CA), and each
// imported Mail.pfx — its certificate and chain in the profile folder, its
// private key in the OS keyring. It carries out the checks of the first-run
// wizard's steps 4 to 6.
package digitalid

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"securemail/app/keystore"
	"securemail/app/profile"
	"securemail/internal/durable"
	"securemail/internal/phrase"
	"securemail/smime/envelope"
	"securemail/smime/identity"
	"securemail/smime/trust"
	"securemail/testaaddr"
)

// Wallet is the Digital ID side of a profile.
type Wallet struct {
	prof *profile.Profile
	keys keystore.Store
}

// Open returns the wallet of a profile whose secrets are kept in keys.
func Open(p *profile.Profile, keys keystore.Store) *Wallet {
	return &Wallet{prof: p, keys: keys}
}

// Authority describes a CA certificate for the wizard to show before the
// user decides to trust it.
type Authority struct {
	Certificate *x509.Certificate
	Name        string
	Fingerprint string
	NotBefore   time.Time
	NotAfter    time.Time
	SelfSigned  bool
}

// InspectAuthority reads a Root CA or EC CA file (DER or PEM) and describes
// the first authority certificate in it.
func InspectAuthority(data []byte) (*Authority, error) {
	certs, err := identity.ParseCertificates(data)
	if err != nil {
		return nil, fmt.Errorf("digitalid: %w", err)
	}
	for _, c := range certs {
		if !c.IsCA {
			continue
		}
		selfSigned := bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignatureFrom(c) == nil
		return &Authority{Certificate: c, Name: displayName(c), Fingerprint: identity.Fingerprint(c),
			NotBefore: c.NotBefore, NotAfter: c.NotAfter, SelfSigned: selfSigned}, nil
	}
	return nil, ErrNoAuthority
}

// TrustRoot records a Root CA as trusted to identify e-mail senders. The
// caller must have asked the user explicitly.
func (w *Wallet) TrustRoot(a *Authority, now time.Time) error {
	if !a.SelfSigned {
		return &AuthorityError{Name: a.Name, Issuer: a.Certificate.Issuer.CommonName, Kind: NotRoot}
	}
	if now.After(a.NotAfter) {
		return &AuthorityError{Name: a.Name, Kind: Expired, NotAfter: a.NotAfter}
	}
	return w.writeCert(filepath.Join("trust", "root-"+fileID(a.Certificate)+".pem"), a.Certificate)
}

// AddAuthority records an intermediate (the EC CA). It must be issued by a
// trusted root.
func (w *Wallet) AddAuthority(a *Authority, now time.Time) error {
	roots, err := w.Roots()
	if err != nil {
		return err
	}
	if len(roots) == 0 {
		return ErrNoRootTrusted
	}
	pool := x509.NewCertPool()
	for _, r := range roots {
		pool.AddCert(r)
	}
	if _, err := a.Certificate.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return &AuthorityError{Name: a.Name, Kind: NotTrusted, Err: err}
	}
	return w.writeCert(filepath.Join("trust", "ca-"+fileID(a.Certificate)+".pem"), a.Certificate)
}

// Roots returns the trusted Root CAs.
func (w *Wallet) Roots() ([]*x509.Certificate, error) { return w.readCerts("trust", "root-") }

// Intermediates returns the recorded authority chain certificates.
func (w *Wallet) Intermediates() ([]*x509.Certificate, error) { return w.readCerts("trust", "ca-") }

// RemoveRoot stops trusting a root.
func (w *Wallet) RemoveRoot(cert *x509.Certificate) error {
	err := os.Remove(w.prof.Path("trust", "root-"+fileID(cert)+".pem"))
	if err != nil {
		return fmt.Errorf("digitalid: %w", err)
	}
	return nil
}

// MyID is one of the user's own Digital IDs.
type MyID struct {
	Certificate *x509.Certificate
	Chain       []*x509.Certificate
	Fingerprint string
	Address     string
	Current     bool // the one used to sign and to receive new mail
}

// DaysLeft is the number of whole days until the Digital ID expires (negative once expired).
func (m MyID) DaysLeft(now time.Time) int {
	return int(m.Certificate.NotAfter.Sub(now).Hours() / 24)
}

// ImportPFX opens a Mail.pfx with its password and checks it the way the
// wizard's step 6 must: the address in it is the account's, and it chains to
// a trusted root. Then its private key goes into the keyring and its
// certificates into the profile; it becomes the current Digital ID. Earlier
// Digital IDs stay, so mail encrypted to them still opens.
func (w *Wallet) ImportPFX(data []byte, password, account string, now time.Time) (*MyID, error) {
	id, err := identity.ParsePFX(data, password)
	if err != nil {
		return nil, fmt.Errorf("digitalid: %w", err)
	}
	addr := identity.Address(id.Certificate)
	if !testaaddr.Equal(addr, account) {
		return nil, &AccountMismatchError{IDFor: addr, Account: account}
	}
	roots, err := w.Roots()
	if err != nil {
		return nil, err
	}
	inters, err := w.Intermediates()
	if err != nil {
		return nil, err
	}
	res := trust.Evaluate(id.Certificate, id.Chain, trust.Policy{Roots: roots, Intermediates: inters,
		Purpose: trust.Signing, Now: now, Address: account})
	if res.Problem != trust.OK {
		return nil, &RefusedError{Reason: res.Reason, Phrase: res.ReasonPhrase}
	}
	key, err := x509.MarshalPKCS8PrivateKey(id.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("digitalid: the private key cannot be stored: %w", err)
	}
	fp := fileID(id.Certificate)
	if err := w.keys.Set("key/"+fp, key); err != nil {
		return nil, fmt.Errorf("digitalid: the private key could not be put in the keyring: %w", err)
	}
	var pemData []byte
	for _, c := range append([]*x509.Certificate{id.Certificate}, id.Chain...) {
		pemData = append(pemData, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	if err := durable.WriteFile(w.prof.Path("ids", fp+".pem"), pemData, 0o600); err != nil {
		return nil, fmt.Errorf("digitalid: %w", err)
	}
	if err := durable.WriteFile(w.prof.Path("ids", "current"), []byte(fp+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("digitalid: %w", err)
	}
	return &MyID{Certificate: id.Certificate, Chain: id.Chain, Fingerprint: identity.Fingerprint(id.Certificate),
		Address: addr, Current: true}, nil
}

// MyIDs lists the user's Digital IDs, the current one first, then newest first.
func (w *Wallet) MyIDs() ([]MyID, error) {
	entries, err := os.ReadDir(w.prof.Path("ids"))
	if err != nil {
		return nil, fmt.Errorf("digitalid: %w", err)
	}
	cur, _ := os.ReadFile(w.prof.Path("ids", "current"))
	current := strings.TrimSpace(string(cur))
	var out []MyID
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".pem") {
			continue
		}
		data, err := os.ReadFile(w.prof.Path("ids", name))
		if err != nil {
			return nil, fmt.Errorf("digitalid: %w", err)
		}
		certs, err := identity.ParseCertificates(data)
		if err != nil || len(certs) == 0 {
			return nil, fmt.Errorf("digitalid: %s: %w (%v)", name, ErrDamaged, err)
		}
		out = append(out, MyID{Certificate: certs[0], Chain: certs[1:], Fingerprint: identity.Fingerprint(certs[0]),
			Address: identity.Address(certs[0]), Current: strings.TrimSuffix(name, ".pem") == current})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Current != out[j].Current {
			return out[i].Current
		}
		return out[i].Certificate.NotBefore.After(out[j].Certificate.NotBefore)
	})
	return out, nil
}

// ErrNoDigitalID means no Mail.pfx has been imported yet.
var ErrNoDigitalID = errors.New("digitalid: you have no Digital ID yet; import your Mail.pfx in Settings")

// Current returns the current Digital ID with its private key from the keyring.
func (w *Wallet) Current() (*identity.Identity, error) {
	ids, err := w.MyIDs()
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 || !ids[0].Current {
		return nil, ErrNoDigitalID
	}
	key, err := w.privateKey(ids[0].Certificate)
	if err != nil {
		return nil, err
	}
	return &identity.Identity{PrivateKey: key, Certificate: ids[0].Certificate, Chain: ids[0].Chain}, nil
}

// DecryptionKeys returns every Digital ID whose key is in the keyring, so
// that mail encrypted to an older Digital ID still opens.
func (w *Wallet) DecryptionKeys() ([]envelope.Key, error) {
	ids, err := w.MyIDs()
	if err != nil {
		return nil, err
	}
	var keys []envelope.Key
	for _, id := range ids {
		k, err := w.privateKey(id.Certificate)
		if errors.Is(err, keystore.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		keys = append(keys, envelope.Key{Certificate: id.Certificate, PrivateKey: k})
	}
	return keys, nil
}

// ExportP7B returns the current Digital ID's certificate with its whole
// chain as a .p7b file — never the private key.
func (w *Wallet) ExportP7B() ([]byte, error) {
	ids, err := w.MyIDs()
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, ErrNoDigitalID
	}
	certs := append([]*x509.Certificate{ids[0].Certificate}, ids[0].Chain...)
	// The whole chain: add the trusted root that issued the last certificate
	// when the Mail.pfx did not carry it.
	roots, err := w.Roots()
	if err != nil {
		return nil, err
	}
	last := certs[len(certs)-1]
	for _, r := range roots {
		if !containsCert(certs, r) && last.CheckSignatureFrom(r) == nil {
			certs = append(certs, r)
		}
	}
	p7b, err := identity.EncodeP7B(certs)
	if err != nil {
		return nil, fmt.Errorf("digitalid: %w", err)
	}
	return p7b, nil
}

func (w *Wallet) privateKey(cert *x509.Certificate) (any, error) {
	der, err := w.keys.Get("key/" + fileID(cert))
	if err != nil {
		return nil, fmt.Errorf("digitalid: the private key of your Digital ID is not in the keyring: %w", err)
	}
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("digitalid: the private key in the keyring is damaged; import your Mail.pfx again: %w", err)
	}
	return key, nil
}

func (w *Wallet) writeCert(rel string, c *x509.Certificate) error {
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	if err := durable.WriteFile(w.prof.Path(rel), data, 0o644); err != nil {
		return fmt.Errorf("digitalid: %w", err)
	}
	return nil
}

func (w *Wallet) readCerts(dir, prefix string) ([]*x509.Certificate, error) {
	entries, err := os.ReadDir(w.prof.Path(dir))
	if err != nil {
		return nil, fmt.Errorf("digitalid: %w", err)
	}
	var out []*x509.Certificate
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || !strings.HasSuffix(e.Name(), ".pem") {
			continue
		}
		data, err := os.ReadFile(w.prof.Path(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("digitalid: %w", err)
		}
		certs, err := identity.ParseCertificates(data)
		if err != nil {
			return nil, fmt.Errorf("digitalid: %s is damaged: %w", e.Name(), err)
		}
		out = append(out, certs...)
	}
	return out, nil
}

// fileID names a certificate's files: its SHA-256 fingerprint in hex.
func fileID(c *x509.Certificate) string {
	return strings.ToLower(strings.ReplaceAll(identity.Fingerprint(c), ":", ""))
}

func containsCert(list []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range list {
		if x.Equal(c) {
			return true
		}
	}
	return false
}

func displayName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return identity.NameText(c.Subject)
}

// ErrNoAuthority: a file opened as the Root CA or EC CA holds no
// certification authority.
var ErrNoAuthority = errors.New("digitalid: this file holds no certification authority")

// ErrNoRootTrusted: an EC CA was added before any Root CA was trusted.
var ErrNoRootTrusted = errors.New("digitalid: no authority is trusted yet")

// AuthorityKind says why an authority cannot be recorded.
type AuthorityKind int

// The reasons an authority is refused.
const (
	NotRoot    AuthorityKind = iota // opened as the Root CA, but issued by another authority
	Expired                         // its validity ended
	NotTrusted                      // an EC CA not issued by a trusted root
)

// AuthorityError: an authority cannot be recorded (see Kind).
type AuthorityError struct {
	Name     string        // the authority's display name
	Issuer   string        // NotRoot: who issued it
	NotAfter time.Time     // Expired: when
	Kind     AuthorityKind //
	Err      error         // NotTrusted: the chain check's error
}

func (e *AuthorityError) Error() string {
	switch e.Kind {
	case NotRoot:
		return fmt.Sprintf("digitalid: %q is not a root authority (issued by %q)", e.Name, e.Issuer)
	case Expired:
		return fmt.Sprintf("digitalid: the authority %q expired on %s", e.Name, e.NotAfter.Format("2 January 2006"))
	default:
		return fmt.Sprintf("digitalid: %q was not issued by an authority you trust: %v", e.Name, e.Err)
	}
}

func (e *AuthorityError) Unwrap() error { return e.Err }

// AccountMismatchError: a Digital ID is for another address than the
// account's.
type AccountMismatchError struct {
	IDFor, Account string
}

func (e *AccountMismatchError) Error() string {
	return fmt.Sprintf("digitalid: this Digital ID is for %s, but the account is %s", e.IDFor, e.Account)
}

// ErrDamaged: a Digital ID file kept in the profile cannot be read.
var ErrDamaged = errors.New("digitalid: a Digital ID file in the profile is damaged")

// RefusedError: a Digital ID cannot be used for signing; Reason is the
// trust check's sentence, Phrase the same as data for the window's
// language (trust.Result.ReasonPhrase).
type RefusedError struct {
	Reason string
	Phrase phrase.Phrase
}

func (e *RefusedError) Error() string { return "digitalid: " + e.Reason }
