package smime

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"securemail/smime/identity"
	"securemail/smime/sign"
)

// SignOptions controls SignMessage. The zero value makes a detached
// (multipart/signed) SHA-256 signature timed now.
type SignOptions struct {
	// Opaque makes application/pkcs7-mime; smime-type=signed-data, which
	// only S/MIME readers can show, instead of multipart/signed.
	Opaque bool
	// Digest is crypto.SHA256 (default when 0), SHA384 or SHA512.
	Digest crypto.Hash
	// Now is the signing time; zero means time.Now().
	Now time.Time
}

// micalg returns the RFC 8551 §3.5.3 name of a digest.
func micalg(h crypto.Hash) (string, error) {
	switch h {
	case crypto.SHA256:
		return "sha-256", nil
	case crypto.SHA384:
		return "sha-384", nil
	case crypto.SHA512:
		return "sha-512", nil
	}
	return "", fmt.Errorf("smime: messages are signed with SHA-256, SHA-384 or SHA-512, not %v", h)
}

// SignMessage signs a whole RFC 5322 message with a Digital ID. The message's
// own header fields (From, To, Subject, Date, Message-ID, …) stay outside
// the signature; its MIME entity (Content-* fields and body) is put in
// canonical form first — CRLF line ends, and every 8-bit or binary part
// re-encoded as quoted-printable or base64 (RFC 8551 §3.1.1) — so that no
// relay can break the signature. The signature carries the signer's chain
// without the root.
func SignMessage(msg []byte, id *identity.Identity, opts SignOptions) ([]byte, error) {
	if id == nil || id.Certificate == nil {
		return nil, errors.New("smime: no Digital ID to sign with")
	}
	key, ok := id.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, errors.New("smime: this Digital ID's private key cannot sign")
	}
	if opts.Digest == 0 {
		opts.Digest = crypto.SHA256
	}
	alg, err := micalg(opts.Digest)
	if err != nil {
		return nil, err
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	outer, inner := splitMessage(toCRLF(msg))
	content, err := canonicalEntity(inner, 0)
	if err != nil {
		return nil, err
	}
	der, err := sign.Sign(content, key, id.Certificate, sign.Options{
		Digest:      opts.Digest,
		Detached:    !opts.Opaque,
		SigningTime: opts.Now,
		Chain:       withoutRoots(id.Chain),
	})
	if err != nil {
		return nil, fmt.Errorf("smime: signing failed: %w", err)
	}
	if opts.Opaque {
		return pkcs7MimeEntity(outer, "signed-data", "S/MIME Signed Message", der), nil
	}
	boundary := newBoundary(content)
	sig := base64Lines(der)
	var b bytes.Buffer
	b.Grow(len(outer) + len(content) + len(sig) + 600)
	b.Write(outer)
	b.WriteString("MIME-Version: 1.0\r\n")
	fmt.Fprintf(&b, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=%s;\r\n boundary=\"%s\"\r\n\r\n", alg, boundary)
	b.WriteString("This is a cryptographically signed message in MIME format.\r\n\r\n")
	b.WriteString("--" + boundary + "\r\n")
	b.Write(content)
	// RFC 1847 §2.1: the CRLF before the delimiter is not part of the
	// signed content.
	b.WriteString("\r\n--" + boundary + "\r\n")
	b.WriteString("Content-Type: application/pkcs7-signature; name=smime.p7s\r\n")
	b.WriteString("Content-Transfer-Encoding: base64\r\n")
	b.WriteString("Content-Disposition: attachment; filename=smime.p7s\r\n")
	b.WriteString("Content-Description: S/MIME Cryptographic Signature\r\n\r\n")
	b.Write(sig)
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes(), nil
}

// withoutRoots drops self-signed certificates: a root in a message proves
// nothing, since the reader must already trust it (RFC 8551 §2.4.2 leaves it
// optional).
func withoutRoots(chain []*x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
	for _, c := range chain {
		if bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignatureFrom(c) == nil {
			continue
		}
		out = append(out, c)
	}
	return out
}
