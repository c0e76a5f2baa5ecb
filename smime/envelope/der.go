package envelope

import (
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// DER tags written by hand around the (large) encrypted content, so that
// the output is allocated once at its final size.
const (
	tagSequence     = 0x30
	tagSet          = 0x31
	tagOctetString  = 0x04
	tagInteger      = 0x02
	tagContextCons0 = 0xa0 // [0] constructed
	tagContextPrim0 = 0x80 // [0] primitive
)

// headerLen is the size of a DER identifier (one octet) and length for
// contents of n bytes.
func headerLen(n int) int {
	switch {
	case n < 0x80:
		return 2
	case n <= 0xff:
		return 3
	case n <= 0xffff:
		return 4
	case n <= 0xffffff:
		return 5
	case n <= 0xffffffff:
		return 6
	default:
		return 7
	}
}

// appendHeader appends a DER identifier octet and definite length.
func appendHeader(dst []byte, tag byte, n int) []byte {
	dst = append(dst, tag)
	if n < 0x80 {
		return append(dst, byte(n))
	}
	k := headerLen(n) - 2
	dst = append(dst, 0x80|byte(k))
	for i := k - 1; i >= 0; i-- {
		dst = append(dst, byte(n>>(8*i)))
	}
	return dst
}

// readOctets reads an OCTET STRING that carries an IMPLICIT context tag
// and may arrive primitive (DER) or constructed from OCTET STRING chunks
// (BER, which cms.ToDER keeps for context-specific tags). It returns the
// chunks, which alias s, and their total length.
func readOctets(s *cryptobyte.String, tag cbasn1.Tag) (chunks [][]byte, total int, ok bool) {
	var v cryptobyte.String
	switch {
	case s.PeekASN1Tag(tag):
		if !s.ReadASN1(&v, tag) {
			return nil, 0, false
		}
		return [][]byte{v}, len(v), true
	case s.PeekASN1Tag(tag | cbasn1.Tag(0x20)):
		if !s.ReadASN1(&v, tag|cbasn1.Tag(0x20)) {
			return nil, 0, false
		}
		for !v.Empty() {
			var c cryptobyte.String
			if !v.ReadASN1(&c, cbasn1.OCTET_STRING) {
				return nil, 0, false
			}
			chunks = append(chunks, c)
			total += len(c)
		}
		return chunks, total, true
	}
	return nil, 0, false
}

// joinOctets concatenates chunks into a fresh buffer with extra spare
// bytes at the end.
func joinOctets(chunks [][]byte, total, extra int) []byte {
	out := make([]byte, total, total+extra)
	n := 0
	for _, c := range chunks {
		n += copy(out[n:], c)
	}
	return out
}

// readLenientInteger reads an INTEGER without insisting on the minimal
// encoding (serial numbers are copied from certificates, some of which
// are not DER).
func readLenientInteger(s *cryptobyte.String) (*big.Int, bool) {
	var v cryptobyte.String
	if !s.ReadASN1(&v, cbasn1.INTEGER) || len(v) == 0 {
		return nil, false
	}
	n := new(big.Int).SetBytes(v)
	if v[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(len(v))*8))
	}
	return n, true
}
