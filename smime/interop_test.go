//go:build !windows

// The interoperability matrix runs OpenSSL and gpgsm, Linux peers: not part of
// the Windows build of the tests.

package smime

import (
	"bytes"
	"crypto"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"securemail/smime/envelope"
	"securemail/smime/identity"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// TestInterop is the interoperability suite of issue 2: every case runs
// against a real peer, in both directions. "ours>openssl" cases give what
// SecureMail makes to openssl cms and check it gets back the very bytes we
// protected; "openssl>ours" cases give what openssl cms makes to Open and
// check the report; "gpgsm" cases do both with GnuPG's S/MIME tool.
func TestInterop(t *testing.T) {
	testenv.RequireTool(t, "openssl", "openssl")
	w := newWorld(t)
	rsaP := w.issue(t, testca.IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net", Key: testca.RSA2048})
	ecP := w.issue(t, testca.IssueOptions{Email: "Jan.Novak@tcn.cz.eu-admin.net", Key: testca.P256})
	parties := []*party{rsaP, ecP}
	keyName := func(p *party) string { return strings.ToLower(p.id.Certificate.PublicKeyAlgorithm.String()) }

	type testCase struct {
		name string
		run  func(t *testing.T)
	}
	var cases []testCase
	add := func(name string, run func(t *testing.T)) { cases = append(cases, testCase{name, run}) }

	// Ours > openssl: signatures, every key type, digest and form.
	for _, p := range parties {
		for _, d := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
			for _, opaque := range []bool{false, true} {
				form := map[bool]string{false: "detached", true: "opaque"}[opaque]
				add(fmt.Sprintf("ours>openssl/sign/%s/%v/%s", keyName(p), d, form), func(t *testing.T) {
					msg := sampleMessage(p.email)
					signed, err := SignMessage(msg, p.id, SignOptions{Opaque: opaque, Digest: d})
					if err != nil {
						t.Fatal(err)
					}
					got := opensslVerify(t, w, signed)
					if want := signedContent(t, msg); !bytes.Equal(got, want) {
						t.Fatalf("openssl cms -verify gave\n%q\nwant the signed entity\n%q", got, want)
					}
				})
			}
		}
	}
	// Ours > openssl: encryption, every cipher and key type, OAEP.
	for _, p := range parties {
		for _, c := range []envelope.Cipher{envelope.AES256CBC, envelope.AES128CBC, envelope.AES256GCM, envelope.AES128GCM} {
			add(fmt.Sprintf("ours>openssl/encrypt/%s/%s", keyName(p), c), func(t *testing.T) {
				msg := sampleMessage("Jan.Novak@tcn.cz.eu-admin.net")
				enc, err := EncryptMessage(msg, []*x509Cert{p.id.Certificate}, EncryptOptions{Cipher: c})
				if err != nil {
					t.Fatal(err)
				}
				got := run(t, enc, "openssl", "cms", "-decrypt", "-inform", "SMIME", "-recip", p.certPEM, "-inkey", p.keyPEM, "-binary")
				if want := innerEntity(msg); !bytes.Equal(got, want) {
					t.Fatalf("openssl cms -decrypt gave\n%q\nwant\n%q", got, want)
				}
			})
		}
	}
	add("ours>openssl/encrypt/rsa/oaep-sha256", func(t *testing.T) {
		msg := sampleMessage("Jan.Novak@tcn.cz.eu-admin.net")
		enc, err := EncryptMessage(msg, []*x509Cert{rsaP.id.Certificate}, EncryptOptions{OAEPHash: crypto.SHA256})
		if err != nil {
			t.Fatal(err)
		}
		got := run(t, enc, "openssl", "cms", "-decrypt", "-inform", "SMIME", "-recip", rsaP.certPEM, "-inkey", rsaP.keyPEM, "-binary")
		if !bytes.Equal(got, innerEntity(msg)) {
			t.Fatalf("openssl cms -decrypt gave %q", got)
		}
	})
	// Ours > openssl: what we send with both toggles on, for each key type
	// (signed by one, encrypted for both).
	for _, p := range parties {
		for _, opaque := range []bool{false, true} {
			add(fmt.Sprintf("ours>openssl/sign+encrypt/%s/opaque=%v", keyName(p), opaque), func(t *testing.T) {
				msg := sampleMessage(p.email)
				signed, err := SignMessage(msg, p.id, SignOptions{Opaque: opaque})
				if err != nil {
					t.Fatal(err)
				}
				enc, err := EncryptMessage(signed, []*x509Cert{rsaP.id.Certificate, ecP.id.Certificate}, EncryptOptions{Cipher: envelope.AES256GCM})
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range parties {
					inner := run(t, enc, "openssl", "cms", "-decrypt", "-inform", "SMIME", "-recip", r.certPEM, "-inkey", r.keyPEM, "-binary")
					if got := opensslVerify(t, w, inner); !bytes.Equal(got, signedContent(t, msg)) {
						t.Fatalf("decrypt then verify by openssl gave %q", got)
					}
				}
			})
		}
	}

	// Openssl > ours: signatures.
	entity := []byte("Content-Type: text/plain; charset=utf-8\r\n\r\nHello from OpenSSL\r\n")
	for _, sc := range []struct {
		name   string
		signer *party
		args   []string
		layer  string
	}{
		{"detached", rsaP, nil, LayerSignedDetached},
		{"opaque", rsaP, []string{"-nodetach"}, LayerSignedOpaque},
		{"stream", rsaP, []string{"-nodetach", "-stream"}, LayerSignedOpaque},
		{"stream-detached", rsaP, []string{"-stream"}, LayerSignedDetached},
		{"rsa-pss", rsaP, []string{"-keyopt", "rsa_padding_mode:pss"}, LayerSignedDetached},
		{"ecdsa", ecP, nil, LayerSignedDetached},
		{"ecdsa-opaque-sha384", ecP, []string{"-nodetach", "-md", "sha384"}, LayerSignedOpaque},
	} {
		add("openssl>ours/sign/"+sc.name, func(t *testing.T) {
			dir := t.TempDir()
			in := writeFile(t, dir, "entity", entity)
			args := append([]string{"cms", "-sign", "-in", in, "-binary", "-signer", sc.signer.certPEM, "-inkey", sc.signer.keyPEM, "-certfile", sc.signer.chainPEM}, sc.args...)
			out := run(t, nil, "openssl", args...)
			msg := append([]byte("From: "+sc.signer.email+"\r\nTo: x@tcn.b.eu-admin.net\r\nSubject: from openssl\r\n"), out...)
			r, err := Open(msg, OpenOptions{Roots: []*x509Cert{w.ca.Root}})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if r.Signature != StatusValid || !r.Signed || !strings.EqualFold(r.Signer, sc.signer.email) || !r.SignerMatchesFrom {
				t.Fatalf("report: signature %q signer %q matches %v (%s)", r.Signature, r.Signer, r.SignerMatchesFrom, r.Reason)
			}
			if len(r.Layers) != 1 || r.Layers[0] != sc.layer || r.Text != "Hello from OpenSSL\r\n" {
				t.Fatalf("layers %v, text %q", r.Layers, r.Text)
			}
		})
	}
	// Openssl > ours: encryption.
	for _, ec := range []struct {
		name      string
		recip     *party
		args      []string
		cipher    string
		layer     string
		keyMgmt   string
		gcmOutput bool
	}{
		{"aes128", rsaP, []string{"-aes128"}, "aes-128-cbc", LayerEnveloped, "", false},
		{"aes192", rsaP, []string{"-aes192"}, "aes-192-cbc", LayerEnveloped, "", false},
		{"aes256", rsaP, []string{"-aes256"}, "aes-256-cbc", LayerEnveloped, "", false},
		{"des3", rsaP, []string{"-des3"}, "des-ede3-cbc", LayerEnveloped, "", false},
		{"aes-128-gcm", rsaP, []string{"-aes-128-gcm"}, "aes-128-gcm", LayerAuthEnveloped, "", true},
		{"aes-256-gcm", rsaP, []string{"-aes-256-gcm"}, "aes-256-gcm", LayerAuthEnveloped, "", true},
		{"oaep-sha1", rsaP, []string{"-aes256", "-keyopt", "rsa_padding_mode:oaep"}, "aes-256-cbc", LayerEnveloped, "", false},
		{"oaep-sha256", rsaP, []string{"-aes256", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"}, "aes-256-cbc", LayerEnveloped, "", false},
		{"ec-p256", ecP, []string{"-aes256"}, "aes-256-cbc", LayerEnveloped, "", false},
		{"ec-p256-gcm", ecP, []string{"-aes-256-gcm"}, "aes-256-gcm", LayerAuthEnveloped, "", true},
	} {
		add("openssl>ours/encrypt/"+ec.name, func(t *testing.T) {
			dir := t.TempDir()
			in := writeFile(t, dir, "entity", entity)
			// -keyopt applies to the -recip before it.
			args := []string{"cms", "-encrypt", "-in", in, "-binary", "-recip", ec.recip.certPEM}
			args = append(args, ec.args...)
			out := run(t, nil, "openssl", args...)
			msg := append([]byte("From: y@tcn.b.eu-admin.net\r\nTo: "+ec.recip.email+"\r\nSubject: from openssl\r\n"), out...)
			r, err := Open(msg, OpenOptions{Keys: []envelope.Key{ec.recip.key()}, Roots: []*x509Cert{w.ca.Root}})
			if err != nil {
				t.Fatalf("Open: %v (%s)", err, r.Error)
			}
			if !r.Encrypted || r.Encryption != ec.cipher || len(r.Layers) != 1 || r.Layers[0] != ec.layer {
				t.Fatalf("report: encrypted %v with %q, layers %v", r.Encrypted, r.Encryption, r.Layers)
			}
			if r.Signed || r.Signature != StatusNone || r.Text != "Hello from OpenSSL\r\n" {
				t.Fatalf("report: signed %v %q, text %q", r.Signed, r.Signature, r.Text)
			}
		})
	}
	add("openssl>ours/sign+encrypt", func(t *testing.T) {
		dir := t.TempDir()
		in := writeFile(t, dir, "entity", entity)
		signed := run(t, nil, "openssl", "cms", "-sign", "-in", in, "-binary", "-signer", ecP.certPEM, "-inkey", ecP.keyPEM, "-certfile", ecP.chainPEM)
		signedPath := writeFile(t, dir, "signed", signed)
		enc := run(t, nil, "openssl", "cms", "-encrypt", "-in", signedPath, "-binary", "-aes256", "-recip", rsaP.certPEM)
		msg := append([]byte("From: "+ecP.email+"\r\nTo: "+rsaP.email+"\r\n"), enc...)
		r, err := Open(msg, OpenOptions{Keys: []envelope.Key{rsaP.key()}, Roots: []*x509Cert{w.ca.Root}})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(r.Layers, ",") != "enveloped,signed-detached" || r.Signature != StatusValid || r.Text != "Hello from OpenSSL\r\n" {
			t.Fatalf("layers %v signature %q text %q (%s)", r.Layers, r.Signature, r.Text, r.Reason)
		}
	})

	// gpgsm, both directions.
	// The GnuPG home belongs to the whole suite (its agent outlives a
	// subtest); each gpgsm case still says if gpgsm is missing.
	var gpg *gpgsmHome
	if _, err := exec.LookPath("gpgsm"); err == nil {
		gpg = newGpgsmHome(t, w, rsaP)
	}
	gpgsm := func(t *testing.T) *gpgsmHome {
		testenv.RequireTool(t, "gpgsm", "gpgsm")
		return gpg
	}
	add("ours>gpgsm/sign-detached", func(t *testing.T) {
		g := gpgsm(t)
		msg := sampleMessage(rsaP.email)
		signed, err := SignMessage(msg, rsaP.id, SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e := parseEntity(signed)
		_, params := e.mediaType()
		parts, _, _ := splitMultipart(e.body, params["boundary"])
		sig, _ := decodeBody(parseEntity(parts[1]).body, "base64")
		dir := t.TempDir()
		g.run(t, "--verify", writeFile(t, dir, "smime.p7s", sig), writeFile(t, dir, "content", parts[0]))
	})
	add("ours>gpgsm/sign-opaque", func(t *testing.T) {
		g := gpgsm(t)
		msg := sampleMessage(rsaP.email)
		signed, err := SignMessage(msg, rsaP.id, SignOptions{Opaque: true})
		if err != nil {
			t.Fatal(err)
		}
		der, _ := decodeBody(parseEntity(signed).body, "base64")
		got := g.run(t, "--verify", "--output", "-", writeFile(t, t.TempDir(), "smime.p7m", der))
		if !bytes.Equal(got, signedContent(t, msg)) {
			t.Fatalf("gpgsm --verify gave %q", got)
		}
	})
	for _, c := range []envelope.Cipher{envelope.AES256CBC, envelope.AES128CBC} {
		add("ours>gpgsm/encrypt/"+string(c), func(t *testing.T) {
			g := gpgsm(t)
			msg := sampleMessage(ecP.email)
			enc, err := EncryptMessage(msg, []*x509Cert{rsaP.id.Certificate}, EncryptOptions{Cipher: c})
			if err != nil {
				t.Fatal(err)
			}
			der, _ := decodeBody(parseEntity(enc).body, "base64")
			got := g.run(t, "--decrypt", "--output", "-", writeFile(t, t.TempDir(), "smime.p7m", der))
			if !bytes.Equal(got, innerEntity(msg)) {
				t.Fatalf("gpgsm --decrypt gave %q", got)
			}
		})
	}
	add("gpgsm>ours/sign", func(t *testing.T) {
		g := gpgsm(t)
		der := g.run(t, "--sign", "--include-certs", "-1", "--local-user", rsaP.email, "--output", "-", writeFile(t, t.TempDir(), "entity", entity))
		msg := pkcs7MimeEntity([]byte("From: "+rsaP.email+"\r\nTo: x@tcn.b.eu-admin.net\r\n"), "signed-data", "S/MIME Signed Message", der)
		r, err := Open(msg, OpenOptions{Roots: []*x509Cert{w.ca.Root}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Signature != StatusValid || !strings.EqualFold(r.Signer, rsaP.email) || r.Text != "Hello from OpenSSL\r\n" {
			t.Fatalf("signature %q signer %q text %q (%s)", r.Signature, r.Signer, r.Text, r.Reason)
		}
	})
	add("gpgsm>ours/encrypt", func(t *testing.T) {
		g := gpgsm(t)
		der := g.run(t, "--encrypt", "--recipient", rsaP.email, "--output", "-", writeFile(t, t.TempDir(), "entity", entity))
		msg := pkcs7MimeEntity([]byte("From: x@tcn.b.eu-admin.net\r\nTo: "+rsaP.email+"\r\n"), "enveloped-data", "S/MIME Encrypted Message", der)
		r, err := Open(msg, OpenOptions{Keys: []envelope.Key{rsaP.key()}})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if !r.Encrypted || r.Text != "Hello from OpenSSL\r\n" {
			t.Fatalf("encrypted %v text %q", r.Encrypted, r.Text)
		}
	})

	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

// opensslVerify runs openssl cms -verify on an S/MIME message (or entity)
// and returns the content it vouches for. It runs in OpenSSL's default mode:
// with -binary, OpenSSL 3.0's multipart splitter keeps the CR of the CRLF
// that belongs to the delimiter (RFC 2046 §5.1.1), so it would hash one
// byte too many for any content ending in a line break.
func opensslVerify(t *testing.T, w *world, smimeMsg []byte) []byte {
	t.Helper()
	return run(t, smimeMsg, "openssl", "cms", "-verify", "-inform", "SMIME", "-CAfile", w.rootPEM)
}

// gpgsmHome is a private GnuPG home with our root trusted and a Digital ID
// imported from the legacy .pfx that identity.EncodePFX writes.
type gpgsmHome struct{ dir string }

func newGpgsmHome(t *testing.T, w *world, p *party) *gpgsmHome {
	// GnuPG's socket paths must stay short; t.TempDir() under /tmp is.
	home, err := os.MkdirTemp("", "gpgsm")
	if err != nil {
		t.Fatal(err)
	}
	g := &gpgsmHome{dir: home}
	t.Cleanup(func() {
		_ = exec.Command("gpgconf", "--homedir", home, "--kill", "all").Run()
		_ = os.RemoveAll(home)
	})
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Chmod(home, 0o700))
	must(os.WriteFile(filepath.Join(home, "gpgsm.conf"), []byte("disable-crl-checks\ndisable-policy-checks\n"), 0o600))
	must(os.WriteFile(filepath.Join(home, "gpg-agent.conf"), []byte("allow-loopback-pinentry\n"), 0o600))
	fpr := strings.ToUpper(fmt.Sprintf("%X", sha1Sum(w.ca.Root.Raw)))
	must(os.WriteFile(filepath.Join(home, "trustlist.txt"), []byte(fpr+" S relax\n"), 0o600))
	g.run(t, "--import", w.rootPEM)
	g.run(t, "--import", p.chainPEM)
	pfx, err := identity.EncodePFX(p.id, gpgsmPassword, true)
	must(err)
	g.run(t, "--import", writeFile(t, home, "id.pfx", pfx))
	return g
}

// gpgsmPassword protects the imported .pfx and, after import, the key in
// gpg-agent; every gpgsm run reads it on standard input.
const gpgsmPassword = "pfx-secret"

func (g *gpgsmHome) run(t *testing.T, args ...string) []byte {
	t.Helper()
	base := []string{"--homedir", g.dir, "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase-fd", "0", "--disable-dirmngr"}
	return run(t, []byte(gpgsmPassword+"\n"), "gpgsm", append(base, args...)...)
}
