package smime

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"

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
	// Protect applies RFC 9788 header protection to a message that is
	// encrypted but not signed: copies of the header fields and HP-Outer
	// records go inside the encrypted entity, whose Content-Type gets
	// hp="cipher". Leave it false for an entity SignMessage protected
	// already (ProtectCipher).
	Protect bool
	// ObscureSubject, with Protect, makes the outer Subject "[...]".
	ObscureSubject bool
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
	var b bytes.Buffer
	b.Grow(len(msg) + len(msg)/3 + len(msg)/38 + 8192) // base64 and its line ends
	if err := EncryptMessageTo(&b, msg, recipients, opts); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// EncryptMessageTo writes to w what EncryptMessage returns, without
// holding the ciphertext, its DER or its base64 text: the entity is read
// from msg where it lies, encrypted 64 KiB at a time (CBC; GCM gathers the
// entity first, see envelope.NewEncryptWriter) and written as base64 lines.
// The recipients and the cipher are checked before the first byte reaches
// w.
func EncryptMessageTo(w io.Writer, msg []byte, recipients []*x509.Certificate, opts EncryptOptions) error {
	if len(recipients) == 0 {
		return errors.New("smime: a message needs at least one recipient's Digital ID to be encrypted")
	}
	c := opts.Cipher
	if c == "" {
		c = envelope.AES256CBC
		if opts.Auto && len(opts.Capabilities) >= len(recipients) {
			c = ChooseCipher(opts.Capabilities)
		}
	}
	outer, head, body := splitParts(toCRLF(msg))
	if opts.Protect {
		var err error
		if outer, head, err = protectHeader(outer, head, ProtectCipher, opts.ObscureSubject); err != nil {
			return err
		}
	}
	smimeType := "enveloped-data"
	if c == envelope.AES128GCM || c == envelope.AES256GCM {
		smimeType = "authEnveloped-data"
	}
	// The header goes out with the first line of base64, after the
	// envelope has accepted the recipients.
	bw := newBase64Writer(w)
	bw.out = pkcs7MimeHeader(outer, smimeType, "S/MIME Encrypted Message")
	ew, err := envelope.NewEncryptWriter(bw, len(head)+len(body), recipients, envelope.Options{Cipher: c, OAEPHash: opts.OAEPHash})
	if err != nil {
		return fmt.Errorf("smime: encryption failed: %w", err)
	}
	for _, part := range [][]byte{head, body} {
		if _, err := ew.Write(part); err != nil {
			return fmt.Errorf("smime: encryption failed: %w", err)
		}
	}
	if err := ew.Close(); err != nil {
		return fmt.Errorf("smime: encryption failed: %w", err)
	}
	return bw.Close()
}
