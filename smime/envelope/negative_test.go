package envelope

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"testing"

	"securemail/testnet/testca"
)

// TestDecryptFailures: each way a message cannot be opened gives the
// sentinel the MIME layer turns into the user's sentence.
func TestDecryptFailures(t *testing.T) {
	f := newFixture(t)
	msg := testMessage()
	rsaID, p256, p384 := f.ids[testca.RSA2048], f.ids[testca.P256], f.ids[testca.P384]
	rsaOther := f.issue(t, testca.RSA2048, "Jan.Novak@tcn.cz.eu-admin.net")
	p256Other := f.issue(t, testca.P256, "Ana.Lopez@tcn.e.eu-admin.net")
	encrypt := func(t *testing.T, c Cipher, h crypto.Hash, to ...*identity) []byte {
		t.Helper()
		var certs []*x509.Certificate
		for _, id := range to {
			certs = append(certs, id.key.Certificate)
		}
		der, err := Encrypt(msg, certs, Options{Cipher: c, OAEPHash: h})
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	expect := func(t *testing.T, der []byte, keys []Key, want error) {
		t.Helper()
		res, err := Decrypt(der, keys)
		if !errors.Is(err, want) {
			t.Fatalf("Decrypt = %v, %v; want an error wrapping %q", res, err, want)
		}
	}

	t.Run("not a recipient", func(t *testing.T) {
		der := encrypt(t, AES256CBC, 0, rsaID, p256)
		expect(t, der, []Key{rsaOther.key, p256Other.key, p384.key}, ErrNotRecipient)
		expect(t, der, nil, ErrNotRecipient)
		// A certificate whose key type does not fit the recipient info does
		// not open it either.
		expect(t, der, []Key{{Certificate: rsaID.key.Certificate, PrivateKey: p256.key.PrivateKey}}, ErrNotRecipient)
	})

	t.Run("wrong private key", func(t *testing.T) {
		// The certificate matches the recipient, the key is someone else's.
		wrongRSA := Key{Certificate: rsaID.key.Certificate, PrivateKey: rsaOther.key.PrivateKey}
		wrongEC := Key{Certificate: p256.key.Certificate, PrivateKey: p256Other.key.PrivateKey}
		expect(t, encrypt(t, AES256CBC, crypto.SHA256, rsaID), []Key{wrongRSA}, ErrCorrupt)
		expect(t, encrypt(t, AES128CBC, crypto.SHA1, rsaID), []Key{wrongRSA}, ErrCorrupt)
		expect(t, encrypt(t, AES256CBC, 0, p256), []Key{wrongEC}, ErrCorrupt)
		// PKCS #1 v1.5: the bad padding is not reported; decryption goes on
		// with a random key, and GCM's tag check fails. (Under CBC the same
		// path ends in a padding error, except for ~1/256 random keys that
		// give valid padding: the reason to prefer GCM or OAEP.)
		expect(t, encrypt(t, AES256GCM, 0, rsaID), []Key{wrongRSA}, ErrCorrupt)
	})

	t.Run("truncated", func(t *testing.T) {
		for _, c := range []Cipher{AES256CBC, AES256GCM} {
			der := encrypt(t, c, 0, p384)
			for n := 0; n < len(der); n++ {
				if _, err := Decrypt(der[:n], []Key{p384.key}); !errors.Is(err, ErrCorrupt) {
					t.Fatalf("%s cut to %d of %d bytes: %v", c, n, len(der), err)
				}
			}
		}
	})

	t.Run("GCM ciphertext or tag altered", func(t *testing.T) {
		der := encrypt(t, AES128GCM, 0, rsaID)
		p, err := parse(der)
		if err != nil {
			t.Fatal(err)
		}
		ct := bytes.Index(der, p.chunks[0])
		mac := len(der) - len(p.mac)
		for _, i := range []int{ct, ct + len(p.chunks[0])/2, ct + len(p.chunks[0]) - 1, mac, len(der) - 1} {
			bad := bytes.Clone(der)
			bad[i] ^= 0x80
			expect(t, bad, []Key{rsaID.key}, ErrCorrupt)
		}
		if _, err := Decrypt(der, []Key{rsaID.key}); err != nil {
			t.Fatalf("the unaltered message does not open: %v", err)
		}
	})

	t.Run("unsupported content cipher", func(t *testing.T) {
		der := encrypt(t, AES256CBC, 0, rsaID)
		// aes256-CBC (…1.42) becomes aes256-OFB (…1.43): same length, not a cipher we do.
		oid := []byte{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a}
		i := bytes.Index(der, oid)
		if i < 0 {
			t.Fatal("no aes256-CBC identifier in the output")
		}
		bad := bytes.Clone(der)
		bad[i+len(oid)-1] = 0x2b
		expect(t, bad, []Key{rsaID.key}, ErrUnsupported)
		// When we are no recipient, that is what the user must hear.
		expect(t, bad, []Key{rsaOther.key}, ErrNotRecipient)
	})

	t.Run("not an encrypted message", func(t *testing.T) {
		signedData := []byte{0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02}
		expect(t, signedData, []Key{rsaID.key}, ErrUnsupported)
		expect(t, []byte("Content-Type: text/plain\r\n\r\nhello"), []Key{rsaID.key}, ErrCorrupt)
	})

	t.Run("encrypt refuses", func(t *testing.T) {
		for _, c := range []Cipher{AES192CBC, DES3CBC, "rc2-40-cbc"} {
			if _, err := Encrypt(msg, []*x509.Certificate{rsaID.key.Certificate}, Options{Cipher: c}); !errors.Is(err, ErrUnsupported) {
				t.Errorf("Encrypt with %s: %v", c, err)
			}
		}
		if _, err := Encrypt(msg, []*x509.Certificate{rsaID.key.Certificate}, Options{OAEPHash: crypto.MD5}); !errors.Is(err, ErrUnsupported) {
			t.Errorf("Encrypt with OAEP-MD5: %v", err)
		}
		if _, err := Encrypt(msg, nil, Options{}); err == nil {
			t.Error("Encrypt without recipients succeeded")
		}
	})
}
