package envelope

import (
	"crypto"
	"encoding/asn1"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// sharedInfo encodes ECC-CMS-SharedInfo (RFC 5753 §7.2):
//
//	SEQUENCE { keyInfo AlgorithmIdentifier, entityUInfo [0] EXPLICIT OCTET STRING OPTIONAL,
//	           suppPubInfo [2] EXPLICIT OCTET STRING }
//
// keyInfo is the key-wrap algorithm with absent parameters (RFC 3565 §2.3.2
// forbids parameters for AES key wrap); suppPubInfo is the wrap key length
// in bits, four bytes big-endian.
func sharedInfo(wrapOID asn1.ObjectIdentifier, ukm []byte, keyBytes int) ([]byte, error) {
	var bits [4]byte
	binary.BigEndian.PutUint32(bits[:], uint32(keyBytes)*8)
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(wrapOID)
		})
		if ukm != nil {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddASN1OctetString(ukm)
			})
		}
		b.AddASN1(cbasn1.Tag(2).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1OctetString(bits[:])
		})
	})
	out, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("envelope: encoding ECC-CMS-SharedInfo: %w", err)
	}
	return out, nil
}

// x963KDF derives size bytes from the shared secret z with the ANSI X9.63
// KDF (SEC 1 §3.6.1): Hash(z || counter || sharedInfo) for counter = 1, 2, …
func x963KDF(h crypto.Hash, z, info []byte, size int) []byte {
	out := make([]byte, 0, size+h.Size())
	var counter [4]byte
	for i := uint32(1); len(out) < size; i++ {
		binary.BigEndian.PutUint32(counter[:], i)
		d := h.New()
		d.Write(z)
		d.Write(counter[:])
		d.Write(info)
		out = d.Sum(out)
	}
	return out[:size]
}
