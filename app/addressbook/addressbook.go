// Package addressbook keeps the user's contacts and their Digital IDs, and
// decides the V / red X of each contact: whether mail to them can be
// encrypted, and why not. It also records each contact's secure-link state.
package addressbook

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"securemail/app/profile"
	"securemail/internal/durable"
	"securemail/internal/mailheader"
	"securemail/smime/identity"
	"securemail/smime/trust"
)

// LinkState is where a contact stands in the seed's secure-link exchange.
type LinkState string

// Secure-link states, in the order they normally happen.
const (
	LinkNone        LinkState = "none"        // nothing exchanged
	LinkRequested   LinkState = "requested"   // we sent a signed request
	LinkReceived    LinkState = "received"    // we hold their Digital ID
	LinkEstablished LinkState = "established" // both sides hold each other's
)

// Contact is one person in the address book.
type Contact struct {
	Address    string       `json:"address"`
	Name       string       `json:"name,omitempty"`
	DigitalIDs []*DigitalID `json:"digital_ids,omitempty"`
	Link       LinkState    `json:"secure_link"`
	// TheyHaveOurs is true once the contact has received our Digital ID
	// (a signed request or reply was sent to them).
	TheyHaveOurs bool      `json:"they_have_ours,omitempty"`
	Updated      time.Time `json:"updated"`
}

// DigitalID is one certificate of a contact, with the certificates that came
// with it (to build its chain) and what it advertised.
type DigitalID struct {
	DER          []byte                  `json:"der"`
	ChainDER     [][]byte                `json:"chain_der,omitempty"`
	Default      bool                    `json:"default,omitempty"`
	Capabilities []asn1.ObjectIdentifier `json:"capabilities,omitempty"`
	Added        time.Time               `json:"added"`

	cert *x509.Certificate
}

// Certificate returns the parsed certificate.
func (d *DigitalID) Certificate() *x509.Certificate {
	if d.cert == nil {
		d.cert, _ = x509.ParseCertificate(d.DER)
	}
	return d.cert
}

// Chain returns the parsed extra certificates.
func (d *DigitalID) Chain() []*x509.Certificate {
	var out []*x509.Certificate
	for _, der := range d.ChainDER {
		if c, err := x509.ParseCertificate(der); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// Fingerprint is the SHA-256 fingerprint as the UI shows it.
func (d *DigitalID) Fingerprint() string { return identity.Fingerprint(d.Certificate()) }

// Book is the address book of one profile: one JSON file per contact.
type Book struct {
	dir string

	mu       sync.Mutex
	watchers map[int]func()
	nextID   int
}

// Watch calls fn after every change this Book makes (a contact saved or
// removed, a Digital ID added by a fetch, an import or the user), so that
// an open window learns at once that someone's Digital ID arrived. fn runs
// on the goroutine that made the change: it must return quickly (hand the
// work to another goroutine). stop ends the watch.
func (b *Book) Watch(fn func()) (stop func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.watchers == nil {
		b.watchers = map[int]func(){}
	}
	id := b.nextID
	b.nextID++
	b.watchers[id] = fn
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.watchers, id)
	}
}

// changed tells the watchers.
func (b *Book) changed() {
	b.mu.Lock()
	fns := make([]func(), 0, len(b.watchers))
	for _, fn := range b.watchers {
		fns = append(fns, fn)
	}
	b.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// Open opens the address book of a profile.
func Open(p *profile.Profile) (*Book, error) {
	dir := p.Path("contacts")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("addressbook: %w", err)
	}
	return &Book{dir: dir}, nil
}

// ErrNoContact means the address is not in the address book.
var ErrNoContact = errors.New("addressbook: no such contact")

// ErrNotAnAddress: a contact's address is not an e-mail address.
var ErrNotAnAddress = errors.New("addressbook: not an e-mail address")

// ErrNoSuchDigitalID: the contact has no (such) Digital ID.
var ErrNoSuchDigitalID = errors.New("addressbook: the contact has no such Digital ID")

// ErrNoAddressInID: a Digital ID names no e-mail address, so it cannot be
// used for mail.
var ErrNoAddressInID = errors.New("addressbook: this Digital ID names no e-mail address")

// ErrNoPersonInFile: a file holds only authorities, or certificates
// without an e-mail address.
var ErrNoPersonInFile = errors.New("addressbook: the file holds no one's Digital ID")

func (b *Book) path(addr string) string {
	sum := sha256.Sum256([]byte(mailheader.AddressKey(addr)))
	return filepath.Join(b.dir, hex.EncodeToString(sum[:12])+".json")
}

// Get returns the contact with that address (case-insensitive).
func (b *Book) Get(addr string) (*Contact, error) {
	data, err := os.ReadFile(b.path(addr))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoContact, addr)
	}
	if err != nil {
		return nil, fmt.Errorf("addressbook: %w", err)
	}
	var c Contact
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("addressbook: the entry of %s is damaged: %w", addr, err)
	}
	if c.Link == "" {
		c.Link = LinkNone
	}
	return &c, nil
}

// GetOrNew returns the contact, or a new empty one (not yet saved).
func (b *Book) GetOrNew(addr string) (*Contact, error) {
	c, err := b.Get(addr)
	if errors.Is(err, ErrNoContact) {
		return &Contact{Address: strings.TrimSpace(addr), Link: LinkNone}, nil
	}
	return c, err
}

// Put saves a contact.
func (b *Book) Put(c *Contact) error {
	if strings.TrimSpace(c.Address) == "" || strings.ContainsAny(c.Address, " \r\n") {
		return fmt.Errorf("addressbook: %q: %w", c.Address, ErrNotAnAddress)
	}
	c.Updated = time.Now().UTC()
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("addressbook: %w", err)
	}
	if err := durable.WriteFile(b.path(c.Address), data, 0o600); err != nil {
		return fmt.Errorf("addressbook: %w", err)
	}
	b.changed()
	return nil
}

// Remove deletes a contact.
func (b *Book) Remove(addr string) error {
	err := os.Remove(b.path(addr))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrNoContact, addr)
	}
	if err != nil {
		return fmt.Errorf("addressbook: %w", err)
	}
	b.changed()
	return nil
}

// List returns every contact, sorted by address.
func (b *Book) List() ([]*Contact, error) {
	entries, err := os.ReadDir(b.dir)
	if err != nil {
		return nil, fmt.Errorf("addressbook: %w", err)
	}
	var out []*Contact
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(b.dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("addressbook: %w", err)
		}
		var c Contact
		if err := json.Unmarshal(data, &c); err != nil {
			continue // a damaged entry must not hide the others
		}
		if c.Link == "" {
			c.Link = LinkNone
		}
		out = append(out, &c)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Address) < strings.ToLower(out[j].Address) })
	return out, nil
}

// AddDigitalID stores cert under every address it names (or under addr when
// given), with chain and capabilities. A Digital ID already present is
// updated, not duplicated; a new one becomes the default. It returns the
// addresses it is filed under and, among them, those that did not hold it
// yet (so a second fetch of the same signer announces nothing new).
func (b *Book) AddDigitalID(addr string, cert *x509.Certificate, chain []*x509.Certificate, caps []asn1.ObjectIdentifier) (Filed, error) {
	addrs := trust.Addresses(cert)
	if addr != "" {
		addrs = []string{addr}
	}
	if len(addrs) == 0 {
		return Filed{}, ErrNoAddressInID
	}
	f := Filed{Addresses: addrs}
	for _, a := range addrs {
		c, err := b.GetOrNew(a)
		if err != nil {
			return Filed{}, err
		}
		c.Address = Spelling(c.Address, a)
		if c.Name == "" {
			c.Name = personName(cert)
		}
		var found *DigitalID
		for _, d := range c.DigitalIDs {
			if d.Certificate() != nil && d.Certificate().Equal(cert) {
				found = d
			}
		}
		if found == nil {
			found = &DigitalID{DER: cert.Raw, Added: time.Now().UTC()}
			c.DigitalIDs = append(c.DigitalIDs, found)
			setDefault(c, found)
			f.New = append(f.New, a)
		}
		found.ChainDER = nil
		for _, x := range chain {
			if !x.Equal(cert) {
				found.ChainDER = append(found.ChainDER, x.Raw)
			}
		}
		if len(caps) > 0 {
			found.Capabilities = caps
		}
		if err := b.Put(c); err != nil {
			return Filed{}, err
		}
	}
	return f, nil
}

// Learn notes how a message spells a contact's address and names them
// (its From field): a contact with no name yet takes the message's, and
// the address takes the message's spelling when that reads better
// ([Spelling]). It does nothing for an address not in the address book.
func (b *Book) Learn(addr, name string) error {
	c, err := b.Get(addr)
	if errors.Is(err, ErrNoContact) {
		return nil
	}
	if err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	spelled := Spelling(c.Address, addr)
	if spelled == c.Address && (c.Name != "" || name == "" || mailheader.EqualAddress(name, addr)) {
		return nil
	}
	c.Address = spelled
	if c.Name == "" && !mailheader.EqualAddress(name, addr) {
		c.Name = name
	}
	return b.Put(c)
}

// Spelling chooses how the address book writes an address it knows
// under two spellings of one address (equal under
// [mailheader.AddressKey]: jan.peeters@… and Jan.Peeters@…): the one with
// capitals, as people write their TESTA address (Firstname.Surname@…),
// over the all-lower-case one certificates often carry; else the one
// already kept. A different address leaves cur as it is.
func Spelling(cur, other string) string {
	other = strings.TrimSpace(other)
	if cur == "" {
		return other
	}
	if !mailheader.EqualAddress(cur, other) {
		return cur
	}
	if cur == strings.ToLower(cur) && other != strings.ToLower(other) {
		return other
	}
	return cur
}

// personName is the name a Digital ID gives its holder: its common name,
// unless that is only the address again.
func personName(cert *x509.Certificate) string {
	cn := strings.TrimSpace(cert.Subject.CommonName)
	if cn == "" || strings.Contains(cn, "@") {
		return ""
	}
	return cn
}

// Filed is where AddDigitalID filed a Digital ID.
type Filed struct {
	Addresses []string // every address it is filed under
	New       []string // those of Addresses that did not hold it before
}

func setDefault(c *Contact, d *DigitalID) {
	for _, x := range c.DigitalIDs {
		x.Default = x == d
	}
}

// SetDefault makes the Digital ID with that fingerprint the contact's default.
func (b *Book) SetDefault(addr, fingerprint string) error {
	c, err := b.Get(addr)
	if err != nil {
		return err
	}
	for _, d := range c.DigitalIDs {
		if strings.EqualFold(d.Fingerprint(), fingerprint) {
			setDefault(c, d)
			return b.Put(c)
		}
	}
	return fmt.Errorf("addressbook: %s, %s: %w", addr, fingerprint, ErrNoSuchDigitalID)
}

// RemoveDigitalID removes one Digital ID of a contact.
func (b *Book) RemoveDigitalID(addr, fingerprint string) error {
	c, err := b.Get(addr)
	if err != nil {
		return err
	}
	kept := c.DigitalIDs[:0]
	removed := false
	for _, d := range c.DigitalIDs {
		if strings.EqualFold(d.Fingerprint(), fingerprint) {
			removed = true
			continue
		}
		kept = append(kept, d)
	}
	if !removed {
		return fmt.Errorf("addressbook: %s, %s: %w", addr, fingerprint, ErrNoSuchDigitalID)
	}
	c.DigitalIDs = kept
	if len(kept) > 0 {
		hasDefault := false
		for _, d := range kept {
			hasDefault = hasDefault || d.Default
		}
		if !hasDefault {
			kept[len(kept)-1].Default = true
		}
	}
	return b.Put(c)
}

// Import reads a .p7b, .cer or .pem file and adds every end-entity
// certificate that names an address, with the file's other certificates as
// its chain. It returns the addresses added.
func (b *Book) Import(data []byte) ([]string, error) {
	certs, err := identity.ParseCertificates(data)
	if err != nil {
		return nil, fmt.Errorf("addressbook: %w", err)
	}
	var added []string
	for _, c := range certs {
		if c.IsCA || len(trust.Addresses(c)) == 0 {
			continue
		}
		f, err := b.AddDigitalID("", c, certs, nil)
		if err != nil {
			return added, err
		}
		added = append(added, f.Addresses...)
	}
	if len(added) == 0 {
		return nil, ErrNoPersonInFile
	}
	return added, nil
}

// Export returns a contact's default Digital ID with its chain as a .p7b.
func (b *Book) Export(addr string) ([]byte, error) {
	c, err := b.Get(addr)
	if err != nil {
		return nil, err
	}
	d := c.Default()
	if d == nil {
		return nil, fmt.Errorf("addressbook: %s: %w", addr, ErrNoSuchDigitalID)
	}
	p7b, err := identity.EncodeP7B(append([]*x509.Certificate{d.Certificate()}, d.Chain()...))
	if err != nil {
		return nil, fmt.Errorf("addressbook: %w", err)
	}
	return p7b, nil
}

// Default returns the contact's default Digital ID, or nil.
func (c *Contact) Default() *DigitalID {
	for _, d := range c.DigitalIDs {
		if d.Default {
			return d
		}
	}
	if len(c.DigitalIDs) > 0 {
		return c.DigitalIDs[len(c.DigitalIDs)-1]
	}
	return nil
}
