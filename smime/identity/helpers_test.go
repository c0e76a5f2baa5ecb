package identity_test

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"securemail/smime/identity"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// corpus is Thunderbird's S/MIME test data (MPL-2.0, see its LICENCE-NOTE).
const corpus = "../testdata/thunderbird/"

// sharedCA makes one in-memory test CA for the whole test binary: its two
// RSA-3072 keys take a second to generate.
var sharedCA = sync.OnceValues(func() (*testca.CA, error) { return testca.New() })

// issue returns a fresh identity under the shared CA.
func issue(t *testing.T, email string, key testca.KeyType) (*identity.Identity, *testca.CA) {
	t.Helper()
	ca, err := sharedCA()
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: email, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	return &identity.Identity{PrivateKey: is.PrivateKey, Certificate: is.Certificate, Chain: is.Chain}, ca
}

func readCorpus(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writePEM(t *testing.T, path, typ string, ders ...[]byte) string {
	t.Helper()
	var out []byte
	for _, d := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: d})...)
	}
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// run runs a peer program with a deadline and returns its stdout.
func run(t *testing.T, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := testenv.Run(ctx, stdin, name, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// keyMatches reports whether the identity's private key belongs to cert.
func keyMatches(id *identity.Identity, cert *x509.Certificate) bool {
	s, ok := id.PrivateKey.(crypto.Signer)
	if !ok {
		return false
	}
	pub, ok := s.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(cert.PublicKey)
}

// runCombined runs a peer and returns stdout and stderr together, for
// programs (such as openssl pkcs12 -info) that report on stderr.
func runCombined(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// runQuiet runs a clean-up command, ignoring its result.
func runQuiet(name string, args ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = exec.CommandContext(ctx, name, args...).Run()
}
