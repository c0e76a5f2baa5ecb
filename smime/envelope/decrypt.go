package envelope

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
)

// Key is one of the user's Digital IDs: a certificate and its private key
// (*rsa.PrivateKey, *ecdsa.PrivateKey or *ecdh.PrivateKey).
type Key struct {
	Certificate *x509.Certificate
	PrivateKey  crypto.PrivateKey
}

// Result is an opened message.
type Result struct {
	Content       []byte // the decrypted content (usually a MIME entity)
	Cipher        Cipher // the content-encryption algorithm
	Authenticated bool   // AuthEnvelopedData: the content's integrity was checked (AES-GCM)
	// KeyManagement is how the content key reached us: "rsa" (PKCS #1
	// v1.5), "rsa-oaep-sha1", "rsa-oaep-sha256" … (with "-mgf1-<hash>" when
	// MGF1 uses another hash), "ecdh-p256", "ecdh-p384", "ecdh-p521".
	KeyManagement string
	// Recipient is the certificate of the key that opened the message.
	Recipient *x509.Certificate
}

// Decrypt opens a BER or DER ContentInfo holding EnvelopedData or
// AuthEnvelopedData with the first key that belongs to one of its
// recipients. Errors wrap ErrNotRecipient when no key matches a recipient
// identifier, ErrUnsupported for algorithms not implemented, and
// ErrCorrupt for damaged input, failed integrity checks and wrong keys.
//
// DER input with primitive encryptedContent costs one allocation of the
// ciphertext's size, decrypted in place; BER input one more for the DER.
func Decrypt(data []byte, keys []Key) (*Result, error) {
	return decrypt(data, keys, false)
}

// DecryptInPlace is Decrypt for a caller that no longer needs data: the
// ciphertext is decrypted where it lies (for DER input with a CBC cipher)
// and Result.Content is a sub-slice of data, so opening costs no
// allocation of the content's size. data may be overwritten whatever the
// outcome. BER input (converted to a fresh DER copy first) and GCM are
// opened in a buffer of their own, as Decrypt does.
func DecryptInPlace(data []byte, keys []Key) (*Result, error) {
	return decrypt(data, keys, true)
}

// decrypt is Decrypt; inPlace lets it overwrite data.
func decrypt(data []byte, keys []Key, inPlace bool) (*Result, error) {
	der, err := cms.ToDER(data)
	if err != nil {
		return nil, errf(ErrCorrupt, "%v", err)
	}
	p, err := parse(der)
	if err != nil {
		return nil, err
	}
	spec, params, algErr := parseContentAlgorithm(p.contentAlg)

	var firstErr error
	matched := false
	for _, el := range p.recipientInfos {
		u, err := unwrapFor(el, keys, spec, algErr)
		matched = matched || u.matched
		if err != nil {
			if u.matched && algErr != nil {
				return nil, algErr // we are a recipient, but of a cipher we lack
			}
			firstErr = first(firstErr, err)
			continue
		}
		if u.key == nil {
			continue
		}
		content, err := p.open(spec, params, u.key, inPlace)
		if err != nil {
			return nil, err
		}
		return &Result{Content: content, Cipher: spec.name, Authenticated: p.authenticated,
			KeyManagement: u.keyManagement, Recipient: u.cert}, nil
	}
	if !matched && firstErr == nil {
		return nil, errf(ErrNotRecipient, "the message has %d recipient(s), none of them among your %d Digital ID(s)",
			len(p.recipientInfos), len(keys))
	}
	return nil, firstErr
}

// unwrapped is the outcome of one RecipientInfo.
type unwrapped struct {
	matched       bool   // one of the keys is this recipient
	key           []byte // the content key, when recovered
	keyManagement string
	cert          *x509.Certificate
}

// unwrapFor tries the keys that match the recipient identifiers of one
// RecipientInfo element. Recipient infos of other kinds (KEK, password,
// other) are not for Digital IDs and match nothing.
func unwrapFor(el cryptobyte.String, keys []Key, spec cipherSpec, algErr error) (unwrapped, error) {
	var u unwrapped
	var lastErr error
	switch cbasn1.Tag(el[0]) {
	case cbasn1.SEQUENCE:
		r, err := parseKTRI(el)
		if err != nil {
			return u, err
		}
		for _, k := range keys {
			priv, ok := k.PrivateKey.(*rsa.PrivateKey)
			if !ok || !r.id.Matches(k.Certificate) {
				continue
			}
			u.matched = true
			if algErr != nil {
				return u, algErr
			}
			key, err := r.unwrap(priv, spec)
			if err != nil {
				lastErr = err
				continue
			}
			u.key, u.keyManagement, u.cert = key, r.id.KeyManagement, k.Certificate
			return u, nil
		}
	case tagCons1:
		r, err := parseKARI(el)
		if err != nil {
			return u, err
		}
		for _, rek := range r.keys {
			for _, k := range keys {
				priv := ecdhKey(k.PrivateKey)
				if priv == nil || !rek.id.Matches(k.Certificate) {
					continue
				}
				u.matched = true
				if algErr != nil {
					return u, algErr
				}
				key, err := r.unwrap(priv, rek.encryptedKey)
				if err != nil {
					lastErr = err
					continue
				}
				u.key, u.keyManagement, u.cert = key, curveName(priv.Curve()), k.Certificate
				return u, nil
			}
		}
	}
	return u, lastErr
}

func first(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// ecdhKey converts a private key to crypto/ecdh, or returns nil.
func ecdhKey(k crypto.PrivateKey) *ecdh.PrivateKey {
	switch k := k.(type) {
	case *ecdh.PrivateKey:
		return k
	case *ecdsa.PrivateKey:
		e, err := k.ECDH()
		if err != nil {
			return nil
		}
		return e
	}
	return nil
}

// open decrypts the content with the content key. The ciphertext is copied
// once into a fresh buffer and decrypted there, or with inPlace (CBC, one
// primitive chunk) decrypted where it lies in the input.
func (p *parsed) open(spec cipherSpec, params contentParams, key []byte, inPlace bool) ([]byte, error) {
	if len(key) != spec.keySize {
		return nil, errf(ErrCorrupt, "content key of %d bytes for %s (wrong key or altered message)", len(key), spec.name)
	}
	if p.authenticated != spec.gcm {
		if p.authenticated {
			return nil, errf(ErrUnsupported, "AuthEnvelopedData with %s", spec.name)
		}
		return nil, errf(ErrUnsupported, "EnvelopedData with %s (authenticated ciphers need AuthEnvelopedData)", spec.name)
	}
	if !spec.gcm {
		block, err := spec.newBlock(key)
		if err != nil {
			return nil, err
		}
		buf := p.chunks[0]
		if !inPlace || len(p.chunks) != 1 {
			buf = joinOctets(p.chunks, p.contentLen, 0)
		}
		return cbcOpen(block, params.iv, buf)
	}
	if len(p.mac) != params.tagSize {
		return nil, errf(ErrCorrupt, "mac of %d bytes where %s has a %d-byte tag", len(p.mac), spec.name, params.tagSize)
	}
	aead, err := spec.newGCM(key, params)
	if err != nil {
		return nil, err
	}
	var aad []byte
	if p.authAttrs != nil {
		// RFC 5083 §2.2: the authenticated attributes are authenticated
		// with their EXPLICIT SET OF tag, not the IMPLICIT [1].
		aad = append([]byte{tagSet}, p.authAttrs[1:]...)
	}
	buf := joinOctets(p.chunks, p.contentLen, len(p.mac))
	buf = append(buf, p.mac...)
	plain, err := aead.Open(buf[:0], params.iv, buf, aad)
	if err != nil {
		return nil, errf(ErrCorrupt, "%s authentication failed (altered message or wrong key)", spec.name)
	}
	return plain, nil
}

// RecipientIDs lists the recipients of a BER or DER EnvelopedData or
// AuthEnvelopedData, for diagnostics ("encrypted for …"). Recipient infos
// other than key transport and key agreement are left out.
func RecipientIDs(data []byte) ([]RecipientID, error) {
	der, err := cms.ToDER(data)
	if err != nil {
		return nil, errf(ErrCorrupt, "%v", err)
	}
	p, err := parse(der)
	if err != nil {
		return nil, err
	}
	var ids []RecipientID
	for _, el := range p.recipientInfos {
		switch cbasn1.Tag(el[0]) {
		case cbasn1.SEQUENCE:
			r, err := parseKTRI(el)
			if err != nil {
				return nil, err
			}
			ids = append(ids, r.id)
		case tagCons1:
			r, err := parseKARI(el)
			if err != nil {
				return nil, err
			}
			for _, k := range r.keys {
				ids = append(ids, k.id)
			}
		}
	}
	return ids, nil
}
