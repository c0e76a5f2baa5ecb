package envelope

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"securemail/tests/testenv"
)

// FuzzDecrypt feeds Decrypt and RecipientIDs arbitrary bytes: they must
// never panic, and every failure must wrap one of the three sentinels the
// MIME layer explains to the user. The keys are the corpus's Fran
// identities (fixed, so that saved inputs reproduce); the seeds are the
// corpus messages, Encrypt's output for every cipher and key management,
// and, when openssl is installed, OpenSSL's (DER and -stream BER).
func FuzzDecrypt(f *testing.F) {
	fran := corpusKey(f, "smime-interop/Fran.p12")
	franEC := corpusKey(f, "smime-interop/Fran-ec.p12")
	keys := []Key{fran, franEC}
	for _, name := range []string{
		"smime-interop/fran-oaep_ossl.env", "smime-interop/fran-oaep-label_ossl.env",
		"smime-interop/fran-oaep-sha256hash_ossl.env", "smime-interop/fran-ec_ossl-aes128-sha256.env",
		"smime-interop/fran-ec_ossl-aes256-sha512.env", "smime/alice.env.eml",
	} {
		f.Add(corpusCMS(f, name))
	}
	msg := []byte("Content-Type: text/plain\r\n\r\nfuzz\r\n")
	for _, c := range []Cipher{AES256CBC, AES128CBC, AES256GCM, AES128GCM} {
		for _, h := range []crypto.Hash{0, crypto.SHA1, crypto.SHA256} {
			der, err := Encrypt(msg, []*x509.Certificate{fran.Certificate, franEC.Certificate}, Options{Cipher: c, OAEPHash: h})
			if err != nil {
				f.Fatal(err)
			}
			f.Add(der)
		}
	}
	if openssl, err := exec.LookPath("openssl"); err == nil {
		for _, seed := range opensslSeeds(f, openssl, msg, fran, franEC) {
			f.Add(seed)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Decrypt(data, keys)
		if err == nil {
			if res.Cipher == "" || res.KeyManagement == "" || res.Recipient == nil {
				t.Fatalf("incomplete result %+v", res)
			}
		} else if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrNotRecipient) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if _, err := RecipientIDs(data); err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
			t.Fatalf("RecipientIDs error wraps no sentinel: %v", err)
		}
	})
}

// opensslSeeds encrypts msg with openssl for the two Fran identities in
// several ways.
func opensslSeeds(f *testing.F, openssl string, msg []byte, rsaKey, ecKey Key) [][]byte {
	dir := f.TempDir()
	in := filepath.Join(dir, "msg")
	rsaPEM, ecPEM := filepath.Join(dir, "fran.pem"), filepath.Join(dir, "fran-ec.pem")
	if err := os.WriteFile(in, msg, 0o600); err != nil {
		f.Fatal(err)
	}
	writePEM(f, rsaPEM, "CERTIFICATE", rsaKey.Certificate.Raw)
	writePEM(f, ecPEM, "CERTIFICATE", ecKey.Certificate.Raw)
	var seeds [][]byte
	for i, args := range [][]string{
		{"-aes256", "-recip", rsaPEM},
		{"-des3", "-recip", rsaPEM, "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha512"},
		{"-aes-128-gcm", "-recip", ecPEM},
		{"-aes192", "-recip", rsaPEM, "-recip", ecPEM}, // Fran's certificates have no key identifier for -keyid
		{"-aes-256-gcm", "-stream", "-recip", ecPEM},
		{"-aes128", "-stream", "-recip", rsaPEM},
	} {
		out := filepath.Join(dir, "seed"+string(rune('a'+i)))
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_, err := testenv.Run(ctx, nil, openssl, append([]string{"cms", "-encrypt", "-binary", "-outform", "DER", "-in", in, "-out", out}, args...)...)
		cancel()
		if err != nil {
			f.Fatal(err)
		}
		der, err := os.ReadFile(out)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, der)
	}
	return seeds
}
