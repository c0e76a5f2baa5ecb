package smime

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
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
	// Protect puts copies of the header fields inside the signed entity
	// (RFC 9788 header protection); ProtectCipher when the signed message
	// will then be encrypted.
	Protect HeaderProtection
	// ObscureSubject, with ProtectCipher, makes the outer Subject "[...]".
	ObscureSubject bool
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
	size := len(msg) + 8192
	if opts.Opaque {
		size += len(msg)/3 + len(msg)/38 // base64 and its line ends
	}
	var b bytes.Buffer
	b.Grow(size)
	if err := SignMessageTo(&b, msg, id, opts); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// SignMessageTo writes to w what SignMessage returns, without building it
// in memory: a canonical body is written from msg where it lies (the
// output never holds a copy of the message). Everything that can fail
// but writing — the Digital ID, the digest, canonical form, the
// signature itself — is done before the first byte reaches w.
func SignMessageTo(w io.Writer, msg []byte, id *identity.Identity, opts SignOptions) error {
	if id == nil || id.Certificate == nil {
		return errors.New("smime: no Digital ID to sign with")
	}
	key, ok := id.PrivateKey.(crypto.Signer)
	if !ok {
		return errors.New("smime: this Digital ID's private key cannot sign")
	}
	if opts.Digest == 0 {
		opts.Digest = crypto.SHA256
	}
	alg, err := micalg(opts.Digest)
	if err != nil {
		return err
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	outer, content, err := canonicalMessage(msg, opts.Protect, opts.ObscureSubject)
	if err != nil {
		return err
	}
	sopts := sign.Options{
		Digest:      opts.Digest,
		Detached:    !opts.Opaque,
		SigningTime: opts.Now,
		Chain:       withoutRoots(id.Chain),
	}
	if opts.Opaque {
		// SignTo signs before it writes, and the header goes out with
		// the first line of base64: a refusal leaves w untouched.
		bw := newBase64Writer(w)
		bw.out = pkcs7MimeHeader(outer, "signed-data", "S/MIME Signed Message")
		if err := sign.SignTo(bw, content, key, id.Certificate, sopts); err != nil {
			return fmt.Errorf("smime: signing failed: %w", err)
		}
		return bw.Close()
	}
	var der bytes.Buffer
	if err := sign.SignTo(&der, content, key, id.Certificate, sopts); err != nil {
		return fmt.Errorf("smime: signing failed: %w", err)
	}
	boundary := newBoundary(content...)
	var b bytes.Buffer
	b.Write(outer)
	b.WriteString("MIME-Version: 1.0\r\n")
	fmt.Fprintf(&b, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=%s;\r\n boundary=\"%s\"\r\n\r\n", alg, boundary)
	b.WriteString("This is a cryptographically signed message in MIME format.\r\n\r\n")
	b.WriteString("--" + boundary + "\r\n")
	head := bytes.Clone(b.Bytes())
	b.Reset()
	// RFC 1847 §2.1: the CRLF before the delimiter is not part of the
	// signed content.
	b.WriteString("\r\n--" + boundary + "\r\n")
	b.WriteString("Content-Type: application/pkcs7-signature; name=smime.p7s\r\n")
	b.WriteString("Content-Transfer-Encoding: base64\r\n")
	b.WriteString("Content-Disposition: attachment; filename=smime.p7s\r\n")
	b.WriteString("Content-Description: S/MIME Cryptographic Signature\r\n\r\n")
	b.Write(base64Lines(der.Bytes()))
	b.WriteString("--" + boundary + "--\r\n")
	for _, part := range append(append([][]byte{head}, content...), b.Bytes()) {
		if _, err := w.Write(part); err != nil {
			return fmt.Errorf("smime: writing the message: %w", err)
		}
	}
	return nil
}

// canonicalMessage splits msg (any line ends) into the header fields that
// stay outside and the canonical MIME entity to sign, given in parts: the
// entity's header and msg's own body when the body is canonical already
// (no copy), one rewritten entity otherwise. With header protection p, the
// entity carries the protected fields (protectHeader).
func canonicalMessage(msg []byte, p HeaderProtection, obscure bool) (outer []byte, content [][]byte, err error) {
	outer, head, body := splitParts(toCRLF(msg))
	if p != ProtectNone {
		if outer, head, err = protectHeader(outer, head, p, obscure); err != nil {
			return nil, nil, err
		}
	}
	// Parsed as canonicalEntity would parse head+body joined: head ends
	// with the blank line, so the body is exactly body.
	e := parseEntity(head)
	e.raw, e.body = nil, body
	c, err := canonicalParsed(e, 0)
	switch {
	case err != nil:
		return nil, nil, err
	case c == nil:
		return outer, [][]byte{head, body}, nil
	}
	return outer, [][]byte{c}, nil
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
