package testca

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"securemail/internal/durable"
	"securemail/smime/crl"
)

// Files of a CA folder that keep what the CA issued and revoked, and the
// CRL it publishes.
const (
	// IssuedDir holds one PEM certificate per issued Digital ID, named by
	// its serial number in hex.
	IssuedDir = "issued"
	// RevokedDir holds one JSON Revocation per revoked Digital ID.
	RevokedDir = "revoked"
	// CRLFile is the EC CA's current certificate revocation list, DER.
	CRLFile = "EC_CA.crl"
	// crlURLFile records the distribution point written into Digital IDs.
	crlURLFile  = "crl_url.txt"
	crlLockFile = ".crl"
)

// CRLValidity is how long a CRL is current (its nextUpdate); CurrentCRL
// issues a new one a day before.
const CRLValidity = 7 * 24 * time.Hour

// Errors of Revoke.
var (
	// ErrNoFolder: the CA lives only in memory and keeps no records.
	ErrNoFolder = errors.New("testca: this CA has no folder; open it with testca.Open to revoke")
	// ErrNotIssued: no Digital ID issued by this CA matches.
	ErrNotIssued = errors.New("testca: this CA has issued no such Digital ID")
)

// Revocation is one revoked Digital ID, as kept in the CA folder.
type Revocation struct {
	Serial string     `json:"serial"` // hex, as OpenSSL prints it
	Email  string     `json:"email"`
	At     time.Time  `json:"revoked_at"`
	Reason crl.Reason `json:"reason"`
}

// serialHex is a serial number as file names and Revocation write it:
// upper-case hex of an even length, as OpenSSL prints it.
func serialHex(n *big.Int) string {
	h := strings.ToUpper(n.Text(16))
	if len(h)%2 == 1 {
		h = "0" + h
	}
	return h
}

// SetCRLURL records the CRL distribution point that Digital IDs issued from
// now on carry (the bundled network's CRL server); "" issues them without
// one. For a CA with a folder the URL is kept there, so `testca issue`
// writes it too.
func (ca *CA) SetCRLURL(url string) error {
	ca.CRLURL = url
	if ca.dir == "" {
		return nil
	}
	path := filepath.Join(ca.dir, crlURLFile)
	if old, err := os.ReadFile(path); err == nil && strings.TrimSpace(string(old)) == url {
		return nil
	}
	return durable.WriteFile(path, []byte(url+"\n"), 0o644)
}

// record keeps an issued certificate in the CA folder, when there is one.
func (ca *CA) record(cert *x509.Certificate) error {
	if ca.dir == "" {
		return nil
	}
	dir := filepath.Join(ca.dir, IssuedDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("testca: cannot record the issued Digital ID: %w", err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	return durable.WriteFile(filepath.Join(dir, serialHex(cert.SerialNumber)+".pem"), data, 0o644)
}

// eachRecord calls fn with the name and contents of every file of the CA
// folder's sub-folder sub ending in suffix; a missing sub-folder has none.
func (ca *CA) eachRecord(sub, suffix string, fn func(name string, data []byte) error) error {
	if ca.dir == "" {
		return ErrNoFolder
	}
	entries, err := os.ReadDir(filepath.Join(ca.dir, sub))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("testca: %w", err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), suffix) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(ca.dir, sub, e.Name()))
		if err != nil {
			return fmt.Errorf("testca: %w", err)
		}
		if err := fn(e.Name(), b); err != nil {
			return err
		}
	}
	return nil
}

// Issued lists the Digital IDs this CA's folder records, oldest first.
func (ca *CA) Issued() ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	err := ca.eachRecord(IssuedDir, ".pem", func(name string, data []byte) error {
		block, _ := pem.Decode(data)
		if block == nil || block.Type != "CERTIFICATE" {
			return fmt.Errorf("testca: the record %s of an issued Digital ID is damaged", name)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return fmt.Errorf("testca: the record %s of an issued Digital ID is damaged: %w", name, err)
		}
		out = append(out, c)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].NotBefore.Before(out[j].NotBefore) })
	return out, err
}

// Revocations lists what this CA's folder records as revoked, oldest first.
func (ca *CA) Revocations() ([]Revocation, error) {
	var out []Revocation
	err := ca.eachRecord(RevokedDir, ".json", func(name string, data []byte) error {
		var r Revocation
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("testca: the revocation record %s is damaged: %w", name, err)
		}
		out = append(out, r)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, err
}

// Select names the Digital IDs to revoke: every one issued for Email
// (case-insensitively), or the one with Serial.
type Select struct {
	Email  string
	Serial *big.Int
}

// Revoke records the selected Digital IDs as revoked at now for reason,
// then publishes a new CRL (see WriteCRL). It returns the new revocations;
// Digital IDs already revoked keep their first record and are not
// returned. ErrNotIssued when nothing matches.
func (ca *CA) Revoke(sel Select, reason crl.Reason, now time.Time) ([]Revocation, error) {
	if ca.dir == "" {
		return nil, ErrNoFolder
	}
	issued, err := ca.Issued()
	if err != nil {
		return nil, err
	}
	known, err := ca.Revocations()
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, r := range known {
		done[r.Serial] = true
	}
	var out []Revocation
	matched := false
	for _, c := range issued {
		if sel.Serial != nil && c.SerialNumber.Cmp(sel.Serial) != 0 {
			continue
		}
		if sel.Serial == nil && !hasAddress(c, sel.Email) {
			continue
		}
		matched = true
		r := Revocation{Serial: serialHex(c.SerialNumber), Email: firstAddress(c), At: now.UTC().Truncate(time.Second), Reason: reason}
		if done[r.Serial] {
			continue
		}
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("testca: %w", err)
		}
		if err := os.MkdirAll(filepath.Join(ca.dir, RevokedDir), 0o700); err != nil {
			return nil, fmt.Errorf("testca: %w", err)
		}
		if err := durable.WriteFile(filepath.Join(ca.dir, RevokedDir, r.Serial+".json"), append(b, '\n'), 0o644); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if !matched {
		return nil, ErrNotIssued
	}
	if _, err := ca.WriteCRL(now); err != nil {
		return out, err
	}
	return out, nil
}

func hasAddress(c *x509.Certificate, addr string) bool {
	for _, a := range c.EmailAddresses {
		if strings.EqualFold(a, addr) {
			return true
		}
	}
	return false
}

func firstAddress(c *x509.Certificate) string {
	if len(c.EmailAddresses) > 0 {
		return c.EmailAddresses[0]
	}
	return c.Subject.CommonName
}

// NewCRL makes the EC CA's CRL listing revs: numbered number, current from
// now for CRLValidity, signed by the EC CA (which issues every Digital ID).
func (ca *CA) NewCRL(revs []Revocation, number int64, now time.Time) ([]byte, error) {
	tmpl := &x509.RevocationList{
		Number:     big.NewInt(number),
		ThisUpdate: now.UTC().Truncate(time.Second),
		NextUpdate: now.UTC().Truncate(time.Second).Add(CRLValidity),
	}
	for _, r := range revs {
		serial, ok := new(big.Int).SetString(r.Serial, 16)
		if !ok {
			return nil, fmt.Errorf("testca: the revocation record of %q has no valid serial number", r.Email)
		}
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: serial, RevocationTime: r.At, ReasonCode: int(r.Reason)})
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, ca.Intermediate, ca.InterKey)
	if err != nil {
		return nil, fmt.Errorf("testca: issuing the CRL: %w", err)
	}
	return der, nil
}

// WriteCRL issues a new CRL from the folder's revocation records, numbered
// one above the last, and writes it to CRLFile (atomically, so the
// network's CRL server reads the old list or the new one). Concurrent
// calls, from any process, are serialised by a lock file.
func (ca *CA) WriteCRL(now time.Time) ([]byte, error) {
	if ca.dir == "" {
		return nil, ErrNoFolder
	}
	release, err := acquire(filepath.Join(ca.dir, crlLockFile), ca.dir)
	if err != nil {
		return nil, err
	}
	defer release()
	revs, err := ca.Revocations()
	if err != nil {
		return nil, err
	}
	number := int64(1)
	if old, err := ca.readCRL(); err == nil && old.Number != nil && old.Number.IsInt64() {
		number = old.Number.Int64() + 1
	}
	der, err := ca.NewCRL(revs, number, now)
	if err != nil {
		return nil, err
	}
	if err := durable.WriteFile(filepath.Join(ca.dir, CRLFile), der, 0o644); err != nil {
		return nil, err
	}
	return der, nil
}

// CurrentCRL returns the CRL to publish at now: the one in the folder, or
// a new one when there is none or it is due (a day before its nextUpdate).
// A CA without a folder has revoked nothing: its CRL is empty.
func (ca *CA) CurrentCRL(now time.Time) ([]byte, error) {
	if ca.dir == "" {
		return ca.NewCRL(nil, 1, now)
	}
	l, err := ca.readCRL()
	if err == nil && now.Before(l.NextUpdate.Add(-24*time.Hour)) {
		return l.Raw, nil
	}
	return ca.WriteCRL(now)
}

func (ca *CA) readCRL() (*x509.RevocationList, error) {
	if ca.dir == "" {
		return nil, ErrNoFolder
	}
	b, err := os.ReadFile(filepath.Join(ca.dir, CRLFile))
	if err != nil {
		return nil, fmt.Errorf("testca: %w", err)
	}
	l, err := x509.ParseRevocationList(b)
	if err != nil {
		return nil, fmt.Errorf("testca: %s is damaged: %w", CRLFile, err)
	}
	return l, nil
}
