package sign

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var benchSizes = []int{1 << 20, 25 << 20}

// BenchmarkSign signs opaque content with an RSA-2048 key (SHA-256).
func BenchmarkSign(b *testing.B) {
	f := newFixture(b)
	for _, n := range benchSizes {
		content := testContent(n)
		b.Run(fmt.Sprintf("%dMB", n>>20), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				if _, err := Sign(content, f.rsa.PrivateKey, f.rsa.Certificate, Options{Chain: f.chain}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerify parses and verifies an opaque signature, as opening a
// signed message does.
func BenchmarkVerify(b *testing.B) {
	f := newFixture(b)
	for _, n := range benchSizes {
		der, err := Sign(testContent(n), f.rsa.PrivateKey, f.rsa.Certificate, Options{Chain: f.chain})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%dMB", n>>20), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				sd, err := Parse(der)
				if err != nil {
					b.Fatal(err)
				}
				if err := sd.Signers[0].Verify(sd.Content, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenSSL runs `openssl cms -sign` and `-verify` (whole processes,
// -noverify: no chain building) on 25 MB, the peer's figure for comparison.
func BenchmarkOpenSSL(b *testing.B) {
	f := newFixture(b)
	dir := b.TempDir()
	in := writeFile(b, dir, "content.bin", testContent(25<<20))
	sig := filepath.Join(dir, "sig.der")
	sign := []string{"cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-in", in,
		"-signer", f.rsaFiles.cert, "-inkey", f.rsaFiles.key, "-out", sig}
	b.Run("sign/25MB", func(b *testing.B) {
		b.SetBytes(25 << 20)
		for b.Loop() {
			if _, err := openssl(b, sign...); err != nil {
				b.Fatal(err)
			}
		}
	})
	if _, err := openssl(b, sign...); err != nil {
		b.Fatal(err)
	}
	b.Run("verify/25MB", func(b *testing.B) {
		b.SetBytes(25 << 20)
		for b.Loop() {
			if _, err := openssl(b, "cms", "-verify", "-noverify", "-binary", "-inform", "DER", "-in", sig, "-out", os.DevNull); err != nil {
				b.Fatal(err)
			}
		}
	})
}
