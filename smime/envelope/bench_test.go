package envelope

import (
	"crypto/rand"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"securemail/testnet/testca"
)

// BenchmarkEnvelope measures Encrypt and Decrypt on 1 MB and 25 MB for an
// RSA-2048 recipient, and, as the peer's figure from the same run, the
// whole `openssl cms` process on the same input. B/op shows the memory
// goal: about one ciphertext-sized allocation per call.
func BenchmarkEnvelope(b *testing.B) {
	f := newFixture(b)
	id := f.ids[testca.RSA2048]
	certs := []*x509.Certificate{id.key.Certificate}
	keys := []Key{id.key}
	for _, size := range []struct {
		name string
		n    int
	}{{"1MB", 1 << 20}, {"25MB", 25 << 20}} {
		content := make([]byte, size.n)
		if _, err := rand.Read(content); err != nil {
			b.Fatal(err)
		}
		for _, c := range []Cipher{AES256CBC, AES256GCM} {
			b.Run("Encrypt/"+size.name+"/"+string(c), func(b *testing.B) {
				b.SetBytes(int64(size.n))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Encrypt(content, certs, Options{Cipher: c}); err != nil {
						b.Fatal(err)
					}
				}
			})
			der, err := Encrypt(content, certs, Options{Cipher: c})
			if err != nil {
				b.Fatal(err)
			}
			b.Run("Decrypt/"+size.name+"/"+string(c), func(b *testing.B) {
				b.SetBytes(int64(size.n))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Decrypt(der, keys); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		openssl, err := exec.LookPath("openssl")
		if err != nil {
			continue
		}
		dir := b.TempDir()
		plain, enc := filepath.Join(dir, "msg"), filepath.Join(dir, "msg.p7m")
		if err := os.WriteFile(plain, content, 0o600); err != nil {
			b.Fatal(err)
		}
		b.Run("OpenSSLEncrypt/"+size.name+"/aes-256-cbc", func(b *testing.B) {
			b.SetBytes(int64(size.n))
			for b.Loop() {
				runOpenSSL(b, openssl, "cms", "-encrypt", "-binary", "-aes256", "-outform", "DER", "-in", plain, "-out", enc, id.certPEM)
			}
		})
		b.Run("OpenSSLDecrypt/"+size.name+"/aes-256-cbc", func(b *testing.B) {
			b.SetBytes(int64(size.n))
			for b.Loop() {
				runOpenSSL(b, openssl, "cms", "-decrypt", "-binary", "-inform", "DER", "-in", enc, "-out", os.DevNull,
					"-recip", id.certPEM, "-inkey", id.keyPEM)
			}
		})
	}
}
