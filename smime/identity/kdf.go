package identity

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"hash"
	"unicode/utf16"

	"securemail/smime/cms"
)

// PKCS #12 key derivation purposes (RFC 7292 Appendix B.3).
const (
	kdfKey = 1 // encryption key
	kdfIV  = 2 // initialisation vector
	kdfMAC = 3 // MAC key
)

// maxIterations bounds the iteration counts a file may ask for, so that a
// hostile or damaged file cannot keep the program busy: a million rounds
// cost about 0.3 s here. Real files use 1 (legacy MACs) to 600,000 (the
// PBKDF2 count OWASP recommends); OpenSSL writes 2048, NSS 10,000.
const maxIterations = 1_000_000

// hashFor returns the hash function an algorithm identifier names (a digest
// OID for PKCS #12 MACs, an HMAC OID for PBKDF2 and PBMAC1).
func hashFor(oid asn1.ObjectIdentifier) (func() hash.Hash, bool) {
	switch {
	case oid.Equal(cms.OIDSHA1), oid.Equal(oidHMACWithSHA1):
		return sha1.New, true
	case oid.Equal(oidSHA224), oid.Equal(oidHMACWithSHA224):
		return sha256.New224, true
	case oid.Equal(cms.OIDSHA256), oid.Equal(oidHMACWithSHA256):
		return sha256.New, true
	case oid.Equal(cms.OIDSHA384), oid.Equal(oidHMACWithSHA384):
		return sha512.New384, true
	case oid.Equal(cms.OIDSHA512), oid.Equal(oidHMACWithSHA512):
		return sha512.New, true
	}
	return nil, false
}

// bmpPassword encodes a password as PKCS #12 wants it for its own key
// derivation: UTF-16 big-endian with two terminating zero bytes.
func bmpPassword(password string) []byte {
	units := utf16.Encode([]rune(password))
	out := make([]byte, 0, 2*len(units)+2)
	for _, u := range units {
		out = append(out, byte(u>>8), byte(u))
	}
	return append(out, 0, 0)
}

// pkcs12KDF derives n bytes from a BMP password and a salt with the
// PKCS #12 v1.0 method (RFC 7292 Appendix B.2): the hash of a diversifier,
// salt and password, iterated, with the input blocks updated between output
// blocks.
func pkcs12KDF(newHash func() hash.Hash, id byte, password, salt []byte, iterations, n int) []byte {
	h := newHash()
	u, v := h.Size(), h.BlockSize()

	d := make([]byte, v)
	for i := range d {
		d[i] = id
	}
	fill := func(src []byte) []byte {
		if len(src) == 0 {
			return nil
		}
		out := make([]byte, v*((len(src)+v-1)/v))
		for i := range out {
			out[i] = src[i%len(src)]
		}
		return out
	}
	in := append(fill(salt), fill(password)...)

	out := make([]byte, 0, n+u)
	b := make([]byte, v)
	for len(out) < n {
		h.Reset()
		h.Write(d)
		h.Write(in)
		a := h.Sum(nil)
		for r := 1; r < iterations; r++ {
			h.Reset()
			h.Write(a)
			a = h.Sum(a[:0])
		}
		out = append(out, a...)
		if len(out) >= n {
			break
		}
		for i := range b {
			b[i] = a[i%u]
		}
		// Each v-byte block of the input becomes (block + b + 1) mod 2^(8v).
		for j := 0; j < len(in); j += v {
			carry := uint(1)
			for k := v - 1; k >= 0; k-- {
				s := uint(in[j+k]) + uint(b[k]) + carry
				in[j+k] = byte(s)
				carry = s >> 8
			}
		}
	}
	return out[:n]
}
