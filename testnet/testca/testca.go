// Package testca is the test certification authority of the bundled TESTA
// network: a Root CA, an intermediate "EC CA" below it, and end-entity
// certificates for tester addresses, shaped like the seed's handouts.
// Certificates are made at run time; nothing here expires in a repository.
package testca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"

	"securemail/smime/cms"
)

// KeyType names the key algorithm of an issued certificate.
type KeyType string

// Key types accepted by Issue.
const (
	RSA2048 KeyType = "rsa2048"
	RSA4096 KeyType = "rsa4096"
	P256    KeyType = "p256"
	P384    KeyType = "p384"
)

// CA is a root and an intermediate with their private keys.
type CA struct {
	Root         *x509.Certificate
	RootKey      crypto.Signer
	Intermediate *x509.Certificate
	InterKey     crypto.Signer
	// CRLURL is the CRL distribution point written into the Digital IDs
	// it issues; "" for none (see SetCRLURL).
	CRLURL string

	dir string // the CA folder (Open); "" for a CA only in memory
}

// Issued is an end-entity certificate with its key and its chain
// (intermediate, then root).
type Issued struct {
	Certificate *x509.Certificate
	PrivateKey  crypto.Signer
	Chain       []*x509.Certificate
}

// Option changes how New builds the CA.
type Option func(*caConfig)

type caConfig struct {
	name      string
	notBefore time.Time
	days      int
}

// WithName sets the organisation shown in the CA certificates' subjects.
func WithName(name string) Option { return func(c *caConfig) { c.name = name } }

// WithCAValidity sets the CA certificates' validity window.
func WithCAValidity(notBefore time.Time, days int) Option {
	return func(c *caConfig) { c.notBefore, c.days = notBefore, days }
}

// New creates a fresh CA in memory: an RSA-2048 root and an RSA-2048
// intermediate, both valid for ten years from an hour ago unless changed.
func New(opts ...Option) (*CA, error) {
	cfg := caConfig{name: "TESTA Test", notBefore: time.Now().Add(-time.Hour), days: 3650}
	for _, o := range opts {
		o(&cfg)
	}
	rootKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("testca: root key: %w", err)
	}
	notAfter := cfg.notBefore.AddDate(0, 0, cfg.days)
	rootTmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: cfg.name + " Root CA", Organization: []string{cfg.name}, Country: []string{"EU"}},
		NotBefore:             cfg.notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          keyID(&rootKey.PublicKey),
	}
	root, err := create(rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	interKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("testca: intermediate key: %w", err)
	}
	interTmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: cfg.name + " EC CA", Organization: []string{cfg.name}, Country: []string{"EU"}},
		NotBefore:             cfg.notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
		SubjectKeyId:          keyID(&interKey.PublicKey),
	}
	inter, err := create(interTmpl, root, &interKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	return &CA{Root: root, RootKey: rootKey, Intermediate: inter, InterKey: interKey}, nil
}

// IssueOptions describes an end-entity certificate. Zero values give a
// 30-day RSA-2048 e-mail certificate valid from an hour ago.
type IssueOptions struct {
	Email     string
	Name      string // subject common name; defaults to Email
	Key       KeyType
	NotBefore time.Time
	Days      int
	// The fields below make deliberately faulty certificates for tests.
	NoSAN       bool               // address only in the subject's emailAddress
	EKU         []x509.ExtKeyUsage // nil means emailProtection
	KeyUsage    x509.KeyUsage      // 0 means the usual usage for the key type
	SignedByKey crypto.Signer      // sign with another key (a forged issuer)
	PrivateKey  crypto.Signer      // use this key (a weak or unusual one) instead of generating one of type Key
	CA          bool               // basicConstraints CA:TRUE on the Digital ID itself
}

// Issue makes an end-entity certificate under the intermediate. A CA with a
// folder records it there (IssuedDir), so that it can be revoked later.
func (ca *CA) Issue(o IssueOptions) (*Issued, error) {
	if o.Email == "" {
		return nil, fmt.Errorf("testca: an e-mail address is required")
	}
	if o.Key == "" {
		o.Key = RSA2048
	}
	if o.Days == 0 {
		o.Days = 30
	}
	if o.NotBefore.IsZero() {
		o.NotBefore = time.Now().Add(-time.Hour)
	}
	if o.Name == "" {
		o.Name = o.Email
	}
	key := o.PrivateKey
	if key == nil {
		var err error
		if key, err = generate(o.Key); err != nil {
			return nil, err
		}
	}
	usage := o.KeyUsage
	if usage == 0 {
		usage = x509.KeyUsageDigitalSignature
		if _, isRSA := key.(*rsa.PrivateKey); isRSA {
			usage |= x509.KeyUsageKeyEncipherment
		} else {
			usage |= x509.KeyUsageKeyAgreement
		}
	}
	eku := o.EKU
	if eku == nil {
		eku = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}
	}
	emailValue, err := asn1.MarshalWithParams(o.Email, "ia5")
	if err != nil {
		return nil, fmt.Errorf("testca: address %q cannot be encoded: %w", o.Email, err)
	}
	var rawEmail asn1.RawValue
	if _, err := asn1.Unmarshal(emailValue, &rawEmail); err != nil {
		return nil, fmt.Errorf("testca: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject: pkix.Name{
			CommonName: o.Name,
			// The address in the subject too, for clients (such as Outlook Express) that look there.
			ExtraNames: []pkix.AttributeTypeAndValue{{Type: cms.OIDEmailAddress, Value: o.Email}},
		},
		NotBefore:             o.NotBefore,
		NotAfter:              o.NotBefore.AddDate(0, 0, o.Days),
		KeyUsage:              usage,
		ExtKeyUsage:           eku,
		BasicConstraintsValid: true,
		IsCA:                  o.CA,
		SubjectKeyId:          keyID(key.Public()),
	}
	if !o.NoSAN {
		tmpl.EmailAddresses = []string{o.Email}
	}
	if ca.CRLURL != "" {
		tmpl.CRLDistributionPoints = []string{ca.CRLURL}
	}
	signer := ca.InterKey
	if o.SignedByKey != nil {
		signer = o.SignedByKey
	}
	cert, err := create(tmpl, ca.Intermediate, key.Public(), signer)
	if err != nil {
		return nil, err
	}
	if err := ca.record(cert); err != nil {
		return nil, err
	}
	return &Issued{Certificate: cert, PrivateKey: key, Chain: []*x509.Certificate{ca.Intermediate, ca.Root}}, nil
}

func generate(k KeyType) (crypto.Signer, error) {
	var key crypto.Signer
	var err error
	switch k {
	case RSA2048:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	case RSA4096:
		key, err = rsa.GenerateKey(rand.Reader, 4096)
	case P256:
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case P384:
		key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	default:
		return nil, fmt.Errorf("testca: key type %q is not one of rsa2048, rsa4096, p256, p384", k)
	}
	if err != nil {
		return nil, fmt.Errorf("testca: generating a %s key: %w", k, err)
	}
	return key, nil
}

func create(tmpl, parent *x509.Certificate, pub any, signer crypto.Signer) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		return nil, fmt.Errorf("testca: creating %q: %w", tmpl.Subject.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("testca: parsing %q: %w", tmpl.Subject.CommonName, err)
	}
	return cert, nil
}

func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic("testca: no randomness: " + err.Error())
	}
	return n.Add(n, big.NewInt(1))
}

// keyID is the RFC 5280 §4.2.1.2 method 1 key identifier.
func keyID(pub crypto.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil
	}
	sum := sha1.Sum(spki.PublicKey.Bytes)
	return sum[:]
}
