// Package hostile builds the hostile message shapes of issue 12 (point 7)
// for tests and benchmarks: messages whose size or structure would make a
// naive reader spend minutes or gigabytes. Every message is correctly
// signed by the given Digital ID, so that a verifier (ours, or OpenSSL's
// `cms -verify` in bench/hostile.sh) has to read it all to judge it.
package hostile

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
	"securemail/smime/sign"
)

// Signer is the Digital ID the messages are signed with.
type Signer struct {
	Key         crypto.Signer
	Certificate *x509.Certificate
	Chain       []*x509.Certificate // intermediates to include
}

// address is the signer's address, for the From field.
func (s Signer) address() string {
	if len(s.Certificate.EmailAddresses) > 0 {
		return s.Certificate.EmailAddresses[0]
	}
	return "someone@tcn.b.eu-admin.net"
}

// header is the outer header of every shape, without the blank line.
func (s Signer) header(extra string) string {
	return "From: " + s.address() + "\r\nTo: Marie.Curie@tcn.f.eu-admin.net\r\nSubject: hostile\r\n" +
		"Date: Mon, 02 Mar 2026 10:02:00 +0000\r\nMIME-Version: 1.0\r\n" + extra
}

// detached signs content (a MIME entity, CRLF) and wraps it in
// multipart/signed after the outer header plus extra header bytes.
func (s Signer) detached(content []byte, extra string) ([]byte, error) {
	if bytes.Contains(content, []byte("--sig")) {
		return nil, errors.New("hostile: the content holds the boundary")
	}
	der, err := sign.Sign(content, s.Key, s.Certificate, sign.Options{Detached: true, Chain: s.Chain})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(len(extra) + len(content) + len(der)*4/3 + 1024)
	b.WriteString(s.header(extra))
	b.WriteString("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"sig\"\r\n\r\n")
	b.WriteString("--sig\r\n")
	b.Write(content)
	b.WriteString("\r\n--sig\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n")
	b.WriteString("Content-Disposition: attachment; filename=smime.p7s\r\n\r\n")
	writeBase64(&b, der)
	b.WriteString("--sig--\r\n")
	return b.Bytes(), nil
}

// writeBase64 writes data in base64 lines of 76 characters.
func writeBase64(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
}

// EmptyParts is a signed multipart/mixed of n empty parts (5 bytes each:
// 20 million make 100 MB).
func EmptyParts(s Signer, n int) ([]byte, error) {
	var c bytes.Buffer
	c.Grow(5*n + 64)
	c.WriteString("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n")
	for range n {
		c.WriteString("--b\r\n")
	}
	c.WriteString("--b--")
	return s.detached(c.Bytes(), "")
}

// Nesting is a signed text nested in depth levels of multipart/mixed.
func Nesting(s Signer, depth int) ([]byte, error) {
	var c bytes.Buffer
	for i := range depth {
		fmt.Fprintf(&c, "Content-Type: multipart/mixed; boundary=\"n%d\"\r\n\r\n--n%d\r\n", i, i)
	}
	c.WriteString("Content-Type: text/plain\r\n\r\nthe bottom")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&c, "\r\n--n%d--", i)
	}
	return s.detached(c.Bytes(), "")
}

// Header is a signed message whose outer header holds about size bytes of
// extra fields (8 bytes each).
func Header(s Signer, size int) ([]byte, error) {
	var h strings.Builder
	h.Grow(size + 16)
	for h.Len() < size {
		h.WriteString("X-A: b\r\n")
	}
	return s.detached([]byte("Content-Type: text/plain\r\n\r\na huge header above"), h.String())
}

// Certificates is an opaque signed message (application/pkcs7-mime)
// whose SignedData carries n certificates: the signer's and its chain,
// then copies of the signer's.
func Certificates(s Signer, n int) ([]byte, error) {
	der, err := sign.Sign([]byte("Content-Type: text/plain\r\n\r\nmany certificates\r\n"), s.Key, s.Certificate,
		sign.Options{Chain: s.Chain})
	if err != nil {
		return nil, err
	}
	in := cryptobyte.String(der)
	var ci, wrapper, sd, version, digestAlgs, encap, certs, signers cryptobyte.String
	var ctype asn1.ObjectIdentifier
	tagC0 := cbasn1.Tag(0).Constructed().ContextSpecific()
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&ctype) || !ci.ReadASN1(&wrapper, tagC0) ||
		!wrapper.ReadASN1(&sd, cbasn1.SEQUENCE) || !sd.ReadASN1Element(&version, cbasn1.INTEGER) ||
		!sd.ReadASN1Element(&digestAlgs, cbasn1.SET) || !sd.ReadASN1Element(&encap, cbasn1.SEQUENCE) ||
		!sd.ReadASN1(&certs, tagC0) || !sd.ReadASN1Element(&signers, cbasn1.SET) {
		return nil, errors.New("hostile: cannot take the signature apart")
	}
	extra := n - 1 - len(s.Chain)
	b := cryptobyte.NewBuilder(make([]byte, 0, len(der)+extra*len(s.Certificate.Raw)+64))
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(cms.OIDSignedData)
		b.AddASN1(tagC0, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddBytes(version)
				b.AddBytes(digestAlgs)
				b.AddBytes(encap)
				b.AddASN1(tagC0, func(b *cryptobyte.Builder) {
					b.AddBytes(certs)
					for range extra {
						b.AddBytes(s.Certificate.Raw)
					}
				})
				b.AddBytes(signers)
			})
		})
	})
	out, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("hostile: %w", err)
	}
	var m bytes.Buffer
	m.WriteString(s.header("Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n" +
		"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7m\r\n\r\n"))
	writeBase64(&m, out)
	return m.Bytes(), nil
}

// Control is an honest signed message of about size bytes (a base64
// attachment), to compare the hostile shapes with.
func Control(s Signer, size int) ([]byte, error) {
	var c bytes.Buffer
	c.WriteString("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe file.\r\n" +
		"--b\r\nContent-Type: application/octet-stream; name=\"card.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	raw := make([]byte, size*3/4)
	for i := range raw {
		raw[i] = byte(i*7 + i>>9)
	}
	writeBase64(&c, raw)
	c.WriteString("--b--")
	return s.detached(c.Bytes(), "")
}
