//go:build !windows

// gpgsm is a Linux peer: not part of the Windows build of the tests.

package sign

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// TestGpgsmVerifiesOurSignatures: gpgsm, which rejects BER, reads our DER
// and reports a good signature (GOODSIG), and a bad one for changed content.
// It runs with --no-autostart: no gpg-agent is started, so gpgsm cannot
// consult a trust list and says TRUST_UNDEFINED; trust is not what this tests.
func TestGpgsmVerifiesOurSignatures(t *testing.T) {
	bin := testenv.RequireTool(t, "gpgsm", "gpgsm")
	f := newFixture(t)
	content := testContent(4000)
	for _, tc := range []struct {
		name string
		is   *testca.Issued
	}{{"RSA-2048", f.rsa}, {"P-256", f.ec}} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			sig, err := Sign(content, tc.is.PrivateKey, tc.is.Certificate, Options{Detached: true, Chain: f.chain})
			if err != nil {
				t.Fatal(err)
			}
			sigFile := writeFile(t, home, "sig.der", sig)
			gpgsm := func(args ...string) string {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				args = append([]string{"--homedir", home, "--batch", "--no-autostart", "--disable-crl-checks", "--status-fd", "1"}, args...)
				out, _ := testenv.Run(ctx, nil, bin, args...) // the exit status reflects the missing trust list
				return string(out)
			}
			gpgsm("--import", filepath.Join(f.dir, "root.pem"))
			if out := gpgsm("--verify", sigFile, writeFile(t, home, "content.bin", content)); !strings.Contains(out, "[GNUPG:] GOODSIG ") {
				t.Fatalf("gpgsm does not report a good signature:\n%s", out)
			}
			changed := bytes.Clone(content)
			changed[len(changed)-1] ^= 1
			if out := gpgsm("--verify", sigFile, writeFile(t, home, "changed.bin", changed)); !strings.Contains(out, "[GNUPG:] BADSIG ") {
				t.Fatalf("gpgsm does not report a bad signature for changed content:\n%s", out)
			}
		})
	}
}
