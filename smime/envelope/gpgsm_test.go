//go:build !windows

// gpgsm and gpg-agent (with openssl to make the PKCS#12) are Linux peers: not
// part of the Windows build of the tests.

package envelope

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// gpgsmHome is a private GnuPG home with its own gpg-agent, started by the
// test and stopped by PID.
type gpgsmHome struct {
	gpgsm string
	dir   string
}

func newGpgsmHome(t *testing.T) *gpgsmHome {
	t.Helper()
	gpgsm := testenv.RequireTool(t, "gpgsm", "gpgsm")
	agent := testenv.RequireTool(t, "gpg-agent", "gpg-agent")
	gpgconf := testenv.RequireTool(t, "gpgconf", "gpgconf")
	dir, err := os.MkdirTemp("", "gpgsm") // short: the agent's socket path is limited to ~100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	h := &gpgsmHome{gpgsm: gpgsm, dir: dir}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := h.run(ctx, nil, gpgconf, "--list-dirs", "agent-socket")
	if err != nil {
		t.Fatal(err)
	}
	socket := strings.TrimSpace(string(out))
	// A small S2K count: the agent re-protects the imported key, and its
	// calibrated default costs seconds per operation on a loaded machine.
	cmd := exec.Command(agent, "--homedir", dir, "--daemon", "--no-detach", "--allow-loopback-pinentry", "--s2k-count", "65536")
	cmd.Env = append(os.Environ(), "GNUPGHOME="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		testenv.StopProcess(cmd.Process, 5*time.Second)
		_ = cmd.Wait()
	})
	if err := testenv.Until(ctx, func() error { _, err := os.Stat(socket); return err }); err != nil {
		t.Fatalf("gpg-agent did not create its socket: %v", err)
	}
	return h
}

func (h *gpgsmHome) run(ctx context.Context, stdin []byte, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "GNUPGHOME="+h.dir)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, &gpgsmError{err: err, stderr: stderr.String()}
	}
	return out, nil
}

type gpgsmError struct {
	err    error
	stderr string
}

func (e *gpgsmError) Error() string { return e.err.Error() + ": " + strings.TrimSpace(e.stderr) }

// importIdentity hands gpgsm the identity as a legacy (3DES/RC2) PKCS #12,
// the only kind it imports, made by openssl.
func (h *gpgsmHome) importIdentity(t *testing.T, openssl string, id *identity) {
	t.Helper()
	p12 := filepath.Join(h.dir, id.name+".p12")
	runOpenSSL(t, openssl, "pkcs12", "-export", "-legacy", "-in", id.certPEM, "-inkey", id.keyPEM, "-passout", "pass:pw", "-out", p12)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := h.run(ctx, []byte("pw\n"), h.gpgsm, "--batch", "--disable-dirmngr", "--pinentry-mode", "loopback", "--passphrase-fd", "0", "--import", p12); err != nil {
		t.Fatalf("importing the %s identity: %v", id.name, err)
	}
}

// importCerts makes the CA certificates known, so that gpgsm can file the
// identities under their issuer.
func (h *gpgsmHome) importCerts(t *testing.T, certs ...*x509.Certificate) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i, c := range certs {
		path := filepath.Join(h.dir, fmt.Sprintf("ca%d.pem", i))
		writePEM(t, path, "CERTIFICATE", c.Raw)
		if _, err := h.run(ctx, nil, h.gpgsm, "--batch", "--disable-dirmngr", "--import", path); err != nil {
			t.Fatalf("importing %s: %v", c.Subject.CommonName, err)
		}
	}
}

func (h *gpgsmHome) decrypt(t *testing.T, der []byte) ([]byte, error) {
	t.Helper()
	in := filepath.Join(h.dir, "msg.p7m")
	if err := os.WriteFile(in, der, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return h.run(ctx, []byte("pw\n"), h.gpgsm, "--batch", "--pinentry-mode", "loopback", "--passphrase-fd", "0",
		"--disable-dirmngr", "--disable-crl-checks", "--disable-policy-checks", "--decrypt", in)
}

// TestGpgsmDecryptsOurMessages: gpgsm (GnuPG), which refuses a constructed
// encryptedContent, opens what Encrypt writes for an RSA recipient with the
// default PKCS #1 v1.5 key transport and AES-CBC.
//
// Not covered, because gpgsm 2.2 (Debian 12) fails on OpenSSL's output the
// same way: AES-GCM ("error getting IV: Buffer too short"), RSA-OAEP ("No
// secret key") and importing an EC PKCS #12.
func TestGpgsmDecryptsOurMessages(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	h := newGpgsmHome(t)
	f := newFixture(t)
	id := f.ids[testca.RSA2048]
	h.importCerts(t, f.ca.Root, f.ca.Intermediate)
	h.importIdentity(t, openssl, id)
	msg := testMessage()
	for _, c := range []Cipher{AES256CBC, AES128CBC} {
		t.Run(string(c), func(t *testing.T) {
			der, err := Encrypt(msg, []*x509.Certificate{id.key.Certificate}, Options{Cipher: c})
			if err != nil {
				t.Fatal(err)
			}
			got, err := h.decrypt(t, der)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, msg) {
				t.Fatalf("gpgsm decrypted %d bytes, want the %d we encrypted", len(got), len(msg))
			}
		})
	}
}
