package identity

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"

	"securemail/smime/cms"
)

// pfxPDU is the outer PFX structure (RFC 7292 §4).
type pfxPDU struct {
	Version  int
	AuthSafe cms.ContentInfo
	MacData  macData `asn1:"optional"`
}

// encryptedData is CMS EncryptedData (RFC 5652 §8) as PKCS #12 uses it.
type encryptedData struct {
	Version              int
	EncryptedContentInfo struct {
		ContentType                asn1.ObjectIdentifier
		ContentEncryptionAlgorithm pkix.AlgorithmIdentifier
		EncryptedContent           asn1.RawValue `asn1:"optional,tag:0"`
	}
	UnprotectedAttrs asn1.RawValue `asn1:"optional,tag:1"`
}

// safeBag is one item of a SafeContents (RFC 7292 §4.2).
type safeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue  `asn1:"tag:0,explicit"`
	Attributes []bagAttribute `asn1:"set,optional"`
}

type bagAttribute struct {
	ID     asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

type certBag struct {
	ID    asn1.ObjectIdentifier
	Value []byte `asn1:"tag:0,explicit"`
}

type encryptedPrivateKeyInfo struct {
	Algorithm     pkix.AlgorithmIdentifier
	EncryptedData []byte
}

// maxBagDepth bounds nested SafeContents bags.
const maxBagDepth = 4

// ParsePFX reads a PKCS #12 (.pfx/.p12) file holding one Digital ID. It
// accepts DER and BER (NSS) files protected with PBES2 (AES or 3DES), the
// PKCS #12 PBE schemes (3DES, RC2) or no encryption, with a SHA-1/SHA-2 or
// PBMAC1 integrity check. The leaf is the certificate whose public key
// matches the private key; Chain holds the file's other certificates, the
// leaf's issuers first. A file with several keys that each have their
// certificate is refused with ErrSeveralIdentities (use ParsePFXAll); keys
// without a certificate are ignored when another key has one.
//
// Errors: ErrWrongPassword, ErrNotPFX, ErrUnsupported, ErrNoPrivateKey,
// ErrNoCertificate, ErrSeveralIdentities (test with errors.Is).
func ParsePFX(data []byte, password string) (*Identity, error) {
	ids, err := ParsePFXAll(data, password)
	if err != nil {
		return nil, err
	}
	if len(ids) > 1 {
		addrs := make([]string, len(ids))
		for i, id := range ids {
			addrs[i] = Address(id.Certificate)
			if addrs[i] == "" {
				addrs[i] = id.Certificate.Subject.CommonName
			}
		}
		return nil, &severalError{addresses: addrs}
	}
	return ids[0], nil
}

// ParsePFXAll reads a PKCS #12 file and returns every private key that has
// its certificate in the file, in the order of the keys. Each identity's
// Chain holds the certificates that are not another identity's leaf.
func ParsePFXAll(data []byte, password string) ([]*Identity, error) {
	der, err := cms.ToDER(data)
	if err != nil {
		return nil, damaged("outer structure: %v", err)
	}
	var pfx pfxPDU
	if rest, err := asn1.Unmarshal(der, &pfx); err != nil || len(rest) != 0 {
		return nil, damaged("PFX: %v (%d trailing bytes)", err, len(rest))
	}
	if pfx.Version != 3 {
		return nil, damaged("PFX version %d, not 3", pfx.Version)
	}
	if pfx.AuthSafe.ContentType.Equal(cms.OIDSignedData) {
		return nil, &unsupportedError{"a public-key integrity signature instead of a password"}
	}
	if !pfx.AuthSafe.ContentType.Equal(cms.OIDData) {
		return nil, damaged("authenticated safe of type %v", pfx.AuthSafe.ContentType)
	}
	var authSafe []byte
	if err := unmarshalDER(pfx.AuthSafe.Content.Bytes, &authSafe); err != nil {
		return nil, damaged("authenticated safe: %v", err)
	}
	w := &walker{password: password, hasMAC: len(pfx.MacData.Mac.Algorithm.Algorithm) > 0}
	if w.hasMAC {
		if err := verifyMAC(&pfx.MacData, authSafe, password); err != nil {
			return nil, err
		}
	}
	var safes []cms.ContentInfo
	if err := unmarshalDER(authSafe, &safes); err != nil {
		return nil, damaged("authenticated safe contents: %v", err)
	}
	for _, ci := range safes {
		if err := w.contentInfo(ci); err != nil {
			return nil, err
		}
	}
	return w.identities()
}

// walker collects the keys and certificates of a PFX.
type walker struct {
	password string
	hasMAC   bool
	keys     []foundKey
	certs    []foundCert
}

type foundKey struct {
	key        crypto.Signer
	localKeyID []byte
}

type foundCert struct {
	cert       *x509.Certificate
	localKeyID []byte
}

func (w *walker) contentInfo(ci cms.ContentInfo) error {
	switch {
	case ci.ContentType.Equal(cms.OIDData):
		var sc []byte
		if err := unmarshalDER(ci.Content.Bytes, &sc); err != nil {
			return damaged("data safe: %v", err)
		}
		return w.safeContents(sc, false, 0)
	case ci.ContentType.Equal(oidEncryptedData):
		var ed encryptedData
		if err := unmarshalDER(ci.Content.Bytes, &ed); err != nil {
			return damaged("encrypted safe: %v", err)
		}
		enc, err := octets(ed.EncryptedContentInfo.EncryptedContent, 0)
		if err != nil {
			return damaged("encrypted safe content: %v", err)
		}
		plain, err := w.decrypt(ed.EncryptedContentInfo.ContentEncryptionAlgorithm, enc)
		if err != nil {
			return err
		}
		return w.safeContents(plain, true, 0)
	case ci.ContentType.Equal(cms.OIDEnvelopedData):
		return &unsupportedError{"public-key encryption instead of a password"}
	}
	return damaged("safe of type %v", ci.ContentType)
}

// decrypt decrypts with the password; a padding failure means the password
// is wrong (when the file has no MAC, or a second password for privacy).
func (w *walker) decrypt(alg pkix.AlgorithmIdentifier, data []byte) ([]byte, error) {
	plain, err := decrypt(alg, w.password, data)
	if errors.Is(err, errBadPadding) {
		return nil, ErrWrongPassword
	}
	return plain, err
}

// garbled is the error for decrypted bytes that do not parse: without a MAC
// a wrong password produces them, with one the file is damaged.
func (w *walker) garbled(format string, args ...any) error {
	if !w.hasMAC {
		return ErrWrongPassword
	}
	return damaged(format, args...)
}

func (w *walker) safeContents(data []byte, decrypted bool, depth int) error {
	if depth > maxBagDepth {
		return damaged("safe contents nested more than %d deep", maxBagDepth)
	}
	var bags []safeBag
	if err := unmarshalDER(data, &bags); err != nil {
		if decrypted {
			return w.garbled("decrypted safe contents: %v", err)
		}
		return damaged("safe contents: %v", err)
	}
	for _, bag := range bags {
		id := localKeyID(bag.Attributes)
		switch {
		case bag.ID.Equal(oidKeyBag):
			key, err := parseKey(bag.Value.Bytes)
			if err != nil {
				return err
			}
			w.keys = append(w.keys, foundKey{key, id})
		case bag.ID.Equal(oidShroudedKeyBag):
			var epki encryptedPrivateKeyInfo
			if err := unmarshalDER(bag.Value.Bytes, &epki); err != nil {
				return damaged("shrouded key bag: %v", err)
			}
			plain, err := w.decrypt(epki.Algorithm, epki.EncryptedData)
			if err != nil {
				return err
			}
			key, err := parseKey(plain)
			if errors.Is(err, ErrNotPFX) {
				return w.garbled("decrypted private key: %v", err)
			}
			if err != nil {
				return err
			}
			w.keys = append(w.keys, foundKey{key, id})
		case bag.ID.Equal(oidCertBag):
			var cb certBag
			if err := unmarshalDER(bag.Value.Bytes, &cb); err != nil {
				return damaged("certificate bag: %v", err)
			}
			if !cb.ID.Equal(oidX509Certificate) {
				continue // SDSI certificates: nobody uses them for mail
			}
			cert, err := parseCertificate(cb.Value)
			if err != nil {
				return damaged("certificate: %v", err)
			}
			w.certs = append(w.certs, foundCert{cert, id})
		case bag.ID.Equal(oidSafeContentsBag):
			if err := w.safeContents(bag.Value.Bytes, decrypted, depth+1); err != nil {
				return err
			}
		}
		// CRL and secret bags carry nothing a mail client needs.
	}
	return nil
}

// parseKey parses a PKCS #8 private key and accepts the key types S/MIME
// uses.
func parseKey(der []byte) (crypto.Signer, error) {
	norm, err := cms.ToDER(der)
	if err != nil {
		return nil, damaged("private key: %v", err)
	}
	k, err := x509.ParsePKCS8PrivateKey(norm)
	if err != nil {
		return nil, damaged("private key: %v", err)
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	}
	return nil, &unsupportedError{fmt.Sprintf("a %T private key (only RSA and ECDSA keys can sign and decrypt S/MIME mail here)", k)}
}

// parseCertificate parses a certificate as stored, or after BER→DER
// normalisation if the writer used BER.
func parseCertificate(b []byte) (*x509.Certificate, error) {
	cert, err := x509.ParseCertificate(b)
	if err == nil {
		return cert, nil
	}
	norm, nerr := cms.ToDER(b)
	if nerr != nil {
		return nil, err
	}
	return x509.ParseCertificate(norm)
}

func localKeyID(attrs []bagAttribute) []byte {
	for _, a := range attrs {
		if a.ID.Equal(oidLocalKeyID) {
			var id []byte
			if _, err := asn1.Unmarshal(a.Values.Bytes, &id); err == nil {
				return id
			}
		}
	}
	return nil
}

// octets returns the contents of an OCTET STRING that may be primitive or,
// as BER writers produce for [0] IMPLICIT OCTET STRING, constructed from
// primitive pieces.
func octets(v asn1.RawValue, depth int) ([]byte, error) {
	if !v.IsCompound {
		return v.Bytes, nil
	}
	if depth > 8 {
		return nil, errors.New("constructed string nested too deep")
	}
	var out []byte
	rest := v.Bytes
	for len(rest) > 0 {
		var part asn1.RawValue
		var err error
		rest, err = asn1.Unmarshal(rest, &part)
		if err != nil {
			return nil, err
		}
		if part.Class != asn1.ClassUniversal || part.Tag != asn1.TagOctetString {
			return nil, errors.New("constructed string holds a non-string element")
		}
		b, err := octets(part, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

// identities pairs keys with certificates.
func (w *walker) identities() ([]*Identity, error) {
	if len(w.keys) == 0 {
		return nil, ErrNoPrivateKey
	}
	var ids []*Identity
	leaves := map[*x509.Certificate]bool{}
	for _, k := range w.keys {
		leaf := w.leafFor(k)
		if leaf == nil || leaves[leaf] {
			continue
		}
		leaves[leaf] = true
		ids = append(ids, &Identity{PrivateKey: k.key, Certificate: leaf})
	}
	if len(ids) == 0 {
		return nil, ErrNoCertificate
	}
	var others []*x509.Certificate
	seen := map[string]bool{}
	for _, c := range w.certs {
		if leaves[c.cert] || seen[string(c.cert.Raw)] {
			continue
		}
		seen[string(c.cert.Raw)] = true
		others = append(others, c.cert)
	}
	for _, id := range ids {
		id.Chain = orderChain(id.Certificate, others)
	}
	return ids, nil
}

// leafFor returns the certificate whose public key is the key's; among
// several (a renewed certificate for the same key) it prefers the one the
// file links with localKeyID, then the one valid longest.
func (w *walker) leafFor(k foundKey) *x509.Certificate {
	pub, ok := k.key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return nil
	}
	var best *foundCert
	for i := range w.certs {
		c := &w.certs[i]
		if !pub.Equal(c.cert.PublicKey) {
			continue
		}
		switch {
		case best == nil:
			best = c
		case len(k.localKeyID) > 0 && bytes.Equal(c.localKeyID, k.localKeyID) && !bytes.Equal(best.localKeyID, k.localKeyID):
			best = c
		case bytes.Equal(c.localKeyID, best.localKeyID) && c.cert.NotAfter.After(best.cert.NotAfter):
			best = c
		}
	}
	if best == nil {
		return nil
	}
	return best.cert
}

// orderChain returns certs with the leaf's issuers first (intermediate, then
// its issuer, up to the root), followed by the others in file order.
func orderChain(leaf *x509.Certificate, certs []*x509.Certificate) []*x509.Certificate {
	out := make([]*x509.Certificate, 0, len(certs))
	used := make([]bool, len(certs))
	cur := leaf
	for len(out) < len(certs) && !bytes.Equal(cur.RawIssuer, cur.RawSubject) {
		next := -1
		for i, c := range certs {
			if !used[i] && bytes.Equal(c.RawSubject, cur.RawIssuer) && cur.CheckSignatureFrom(c) == nil {
				next = i
				break
			}
		}
		if next < 0 {
			break
		}
		used[next] = true
		out = append(out, certs[next])
		cur = certs[next]
	}
	for i, c := range certs {
		if !used[i] {
			out = append(out, c)
		}
	}
	return out
}
