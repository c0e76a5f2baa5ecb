package envelope

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
)

// TestKeyWrapRFC3394 checks the six test vectors of RFC 3394 §4.
func TestKeyWrapRFC3394(t *testing.T) {
	const (
		kek128 = "000102030405060708090A0B0C0D0E0F"
		kek192 = "000102030405060708090A0B0C0D0E0F1011121314151617"
		kek256 = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
		key128 = "00112233445566778899AABBCCDDEEFF"
		key192 = "00112233445566778899AABBCCDDEEFF0001020304050607"
		key256 = "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F"
	)
	vectors := []struct{ name, kek, key, wrapped string }{
		{"4.1 128-bit key, 128-bit KEK", kek128, key128, "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"},
		{"4.2 128-bit key, 192-bit KEK", kek192, key128, "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D"},
		{"4.3 128-bit key, 256-bit KEK", kek256, key128, "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7"},
		{"4.4 192-bit key, 192-bit KEK", kek192, key192, "031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2"},
		{"4.5 192-bit key, 256-bit KEK", kek256, key192, "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1"},
		{"4.6 256-bit key, 256-bit KEK", kek256, key256, "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21"},
	}
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			kek, key, want := unhex(t, v.kek), unhex(t, v.key), unhex(t, v.wrapped)
			got, err := wrapKey(kek, key)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("wrap = %X, %v; want %X", got, err, want)
			}
			back, err := unwrapKey(kek, want)
			if err != nil || !bytes.Equal(back, key) {
				t.Fatalf("unwrap = %X, %v; want %X", back, err, key)
			}
			// Any altered bit fails the integrity check.
			for i := range want {
				bad := bytes.Clone(want)
				bad[i] ^= 0x01
				if _, err := unwrapKey(kek, bad); !errors.Is(err, errKeyWrapIntegrity) {
					t.Fatalf("unwrap with byte %d altered: %v", i, err)
				}
			}
		})
	}
}

func TestKeyWrapRejectsBadLengths(t *testing.T) {
	kek := make([]byte, 16)
	for _, n := range []int{0, 8, 15, 17} {
		if _, err := wrapKey(kek, make([]byte, n)); err == nil {
			t.Errorf("wrapKey accepted a %d-byte key", n)
		}
	}
	for _, n := range []int{0, 8, 16, 23, 25} {
		if _, err := unwrapKey(kek, make([]byte, n)); err == nil {
			t.Errorf("unwrapKey accepted %d bytes", n)
		}
	}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
