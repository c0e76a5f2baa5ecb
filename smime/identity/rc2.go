package identity

import (
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"strings"
)

// RC2 (RFC 2268) is needed only to read old files: OpenSSL's -legacy form and
// older NSS exports encrypt the certificates with pbeWithSHAAnd40BitRC2-CBC.
// Neither the standard library nor golang.org/x/crypto offers it publicly.

// rc2PiTable is PITABLE of RFC 2268 §2, a permutation of 0..255 based on
// the digits of pi, as printed there.
var rc2PiTable = mustHex(`
	d9 78 f9 c4 19 dd b5 ed 28 e9 fd 79 4a a0 d8 9d
	c6 7e 37 83 2b 76 53 8e 62 4c 64 88 44 8b fb a2
	17 9a 59 f5 87 b3 4f 13 61 45 6d 8d 09 81 7d 32
	bd 8f 40 eb 86 b7 7b 0b f0 95 21 22 5c 6b 4e 82
	54 d6 65 93 ce 60 b2 1c 73 56 c0 14 a7 8c f1 dc
	12 75 ca 1f 3b be e4 d1 42 3d d4 30 a3 3c b6 26
	6f bf 0e da 46 69 07 57 27 f2 1d 9b bc 94 43 03
	f8 11 c7 f6 90 ef 3e e7 06 c3 d5 2f c8 66 1e d7
	08 e8 ea de 80 52 ee f7 84 aa 72 ac 35 4d 6a 2a
	96 1a d2 71 5a 15 49 74 4b 9f d0 5e 04 18 a4 ec
	c2 e0 41 6e 0f 51 cb cc 24 91 af 50 a1 f4 70 39
	99 7c 3a 85 23 b8 b4 7a fc 02 36 5b 25 55 97 31
	2d 5d fa 98 e3 8a 92 ae 05 df 29 10 67 6c ba c9
	d3 00 e6 cf e1 9e a8 2c 63 16 01 3f 58 e2 89 a9
	0d 38 34 1b ab 33 ff b0 bb 48 0c 5f b9 b1 cd 2e
	c5 f3 db 47 e5 a5 9c 77 0a a6 20 68 fe 7f c1 ad`)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic("identity: bad hex table: " + err.Error())
	}
	return b
}

// rc2Cipher is RC2 with an expanded key; it implements cipher.Block.
type rc2Cipher struct {
	k [64]uint16
}

// newRC2 expands key (1 to 128 bytes) for effectiveBits effective key bits
// (RFC 2268 §2).
func newRC2(key []byte, effectiveBits int) *rc2Cipher {
	var l [128]byte
	t := len(key)
	copy(l[:], key)
	for i := t; i < 128; i++ {
		l[i] = rc2PiTable[l[i-1]+l[i-t]]
	}
	t8 := (effectiveBits + 7) / 8
	tm := byte(0xff >> uint(8*t8-effectiveBits))
	l[128-t8] = rc2PiTable[l[128-t8]&tm]
	for i := 127 - t8; i >= 0; i-- {
		l[i] = rc2PiTable[l[i+1]^l[i+t8]]
	}
	c := new(rc2Cipher)
	for i := range c.k {
		c.k[i] = uint16(l[2*i]) | uint16(l[2*i+1])<<8
	}
	return c
}

// BlockSize is RC2's block size, 8 bytes.
func (c *rc2Cipher) BlockSize() int { return 8 }

var rc2Shifts = [4]int{1, 2, 3, 5}

// Encrypt encrypts one block: 5 mixing rounds, a mashing round, 6 mixing
// rounds, a mashing round and 5 mixing rounds (RFC 2268 §3).
func (c *rc2Cipher) Encrypt(dst, src []byte) {
	var r [4]uint16
	for i := range r {
		r[i] = binary.LittleEndian.Uint16(src[2*i:])
	}
	j := 0
	mix := func() {
		for i := 0; i < 4; i++ {
			r[i] += c.k[j] + (r[(i+3)%4] & r[(i+2)%4]) + (^r[(i+3)%4] & r[(i+1)%4])
			j++
			r[i] = bits.RotateLeft16(r[i], rc2Shifts[i])
		}
	}
	mash := func() {
		for i := 0; i < 4; i++ {
			r[i] += c.k[r[(i+3)%4]&63]
		}
	}
	for round := 0; round < 16; round++ {
		mix()
		if round == 4 || round == 10 {
			mash()
		}
	}
	for i := range r {
		binary.LittleEndian.PutUint16(dst[2*i:], r[i])
	}
}

// Decrypt inverts Encrypt (RFC 2268 §4).
func (c *rc2Cipher) Decrypt(dst, src []byte) {
	var r [4]uint16
	for i := range r {
		r[i] = binary.LittleEndian.Uint16(src[2*i:])
	}
	j := 63
	unmix := func() {
		for i := 3; i >= 0; i-- {
			r[i] = bits.RotateLeft16(r[i], -rc2Shifts[i])
			r[i] -= c.k[j] + (r[(i+3)%4] & r[(i+2)%4]) + (^r[(i+3)%4] & r[(i+1)%4])
			j--
		}
	}
	unmash := func() {
		for i := 3; i >= 0; i-- {
			r[i] -= c.k[r[(i+3)%4]&63]
		}
	}
	for round := 0; round < 16; round++ {
		unmix()
		if round == 4 || round == 10 {
			unmash()
		}
	}
	for i := range r {
		binary.LittleEndian.PutUint16(dst[2*i:], r[i])
	}
}
