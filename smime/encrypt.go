package smime

import (
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"

	"securemail/smime/cms"
	"securemail/smime/envelope"
)

// EncryptOptions controls EncryptMessage. The zero value encrypts with
// AES-256-CBC and RSA PKCS #1 v1.5 key transport.
type EncryptOptions struct {
	// Cipher forces a content cipher; "" means AES-256-CBC unless Auto.
	Cipher envelope.Cipher
	// Auto picks the cipher with ChooseCipher(Capabilities) when Cipher is
	// "": AES-256-GCM when every recipient advertised it.
	Auto bool
	// Capabilities holds each recipient's SMIMECapabilities (from a signed
	// message they sent), one entry per recipient; a recipient without any
	// counts as not supporting GCM.
	Capabilities [][]asn1.ObjectIdentifier
	// OAEPHash selects RSA-OAEP with this hash (crypto.SHA1 or SHA256) for
	// RSA recipients; 0 means RSA PKCS #1 v1.5.
	OAEPHash crypto.Hash
}

// ChooseCipher returns the content cipher every recipient can read, from
// the SMIMECapabilities each advertised (one entry per recipient):
// AES-256-GCM when all of them listed it, AES-128-GCM when all listed that,
// otherwise AES-256-CBC, which every S/MIME 3.2 reader must support
// (RFC 8551 §2.7).
func ChooseCipher(capabilities [][]asn1.ObjectIdentifier) envelope.Cipher {
	if len(capabilities) == 0 {
		return envelope.AES256CBC
	}
	all := func(oid asn1.ObjectIdentifier) bool {
		for _, caps := range capabilities {
			found := false
			for _, c := range caps {
				if c.Equal(oid) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	switch {
	case all(cms.OIDAES256GCM):
		return envelope.AES256GCM
	case all(cms.OIDAES128GCM):
		return envelope.AES128GCM
	}
	return envelope.AES256CBC
}

// EncryptMessage encrypts a whole RFC 5322 message for the recipients. The
// message's header fields stay outside; its MIME entity — a signed entity
// made by SignMessage included, byte for byte — becomes
// application/pkcs7-mime; smime-type=enveloped-data (CBC), or
// authEnveloped-data for AES-GCM (RFC 8551 §3.4). The caller adds the
// sender's own certificate to recipients so that the Sent copy stays
// readable.
func EncryptMessage(msg []byte, recipients []*x509.Certificate, opts EncryptOptions) ([]byte, error) {
	if len(recipients) == 0 {
		return nil, errors.New("smime: a message needs at least one recipient's Digital ID to be encrypted")
	}
	c := opts.Cipher
	if c == "" {
		c = envelope.AES256CBC
		if opts.Auto && len(opts.Capabilities) >= len(recipients) {
			c = ChooseCipher(opts.Capabilities)
		}
	}
	outer, inner := splitMessage(toCRLF(msg))
	der, err := envelope.Encrypt(inner, recipients, envelope.Options{Cipher: c, OAEPHash: opts.OAEPHash})
	if err != nil {
		return nil, fmt.Errorf("smime: encryption failed: %w", err)
	}
	smimeType := "enveloped-data"
	if c == envelope.AES128GCM || c == envelope.AES256GCM {
		smimeType = "authEnveloped-data"
	}
	return pkcs7MimeEntity(outer, smimeType, "S/MIME Encrypted Message", der), nil
}
