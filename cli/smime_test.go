package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/smime/identity"
	"securemail/testnet/testca"
)

// smimeFixture is a tester's handout on disk: Root CA, Mail.pfx and its
// password, as `securemail testca issue` writes them.
type smimeFixture struct {
	dir, root, pfx, password, cert string
}

func newSMIMEFixture(t *testing.T, ca *testca.CA, email string) smimeFixture {
	t.Helper()
	is, err := ca.Issue(testca.IssueOptions{Email: email})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := smimeFixture{dir: dir, root: filepath.Join(dir, "Root_CA.cer"), pfx: filepath.Join(dir, "Mail.pfx"),
		password: filepath.Join(dir, "password.txt"), cert: filepath.Join(dir, "me.pem")}
	pfx, err := identity.EncodePFX(&identity.Identity{PrivateKey: is.PrivateKey, Certificate: is.Certificate, Chain: is.Chain}, "s3cret", false)
	if err != nil {
		t.Fatal(err)
	}
	for path, data := range map[string][]byte{
		f.root:     ca.Root.Raw,
		f.pfx:      pfx,
		f.password: []byte("s3cret\n"),
		f.cert:     pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: is.Certificate.Raw}),
	} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// runCLI runs securemail with stdin and returns exit status, stdout, stderr.
func runCLI(t *testing.T, stdin []byte, args ...string) (int, []byte, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Stdin: bytes.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := Run(context.Background(), env, args)
	return code, out.Bytes(), errOut.String()
}

type openReport struct {
	Layers            []string `json:"layers"`
	Encrypted         bool     `json:"encrypted"`
	Encryption        string   `json:"encryption"`
	Signed            bool     `json:"signed"`
	Signature         string   `json:"signature"`
	Signer            string   `json:"signer"`
	SignerMatchesFrom bool     `json:"signer_matches_from"`
	Certificates      []string `json:"certificates"`
	Text              string   `json:"text"`
	Error             string   `json:"error"`
	Reason            string   `json:"reason"`
}

func TestSMIMECommands(t *testing.T) {
	ca, err := testca.New(testca.WithCAValidity(time.Now().AddDate(0, -1, 0), 3650))
	if err != nil {
		t.Fatal(err)
	}
	marie := newSMIMEFixture(t, ca, "Marie.Curie@tcn.f.eu-admin.net")
	jan := newSMIMEFixture(t, ca, "Jan.Novak@tcn.cz.eu-admin.net")
	msg := []byte("From: Marie.Curie@tcn.f.eu-admin.net\r\nTo: Jan.Novak@tcn.cz.eu-admin.net\r\nSubject: Dossier 42\r\n\r\nBonjour Jan,\r\nthe file is ready.\r\n")

	code, signed, stderr := runCLI(t, msg, "smime", "sign", "--pfx", marie.pfx, "--password-file", marie.password, "--digest", "sha384")
	if code != ExitOK || !bytes.Contains(signed, []byte("micalg=sha-384")) {
		t.Fatalf("sign: exit %d, %s", code, stderr)
	}
	code, enc, stderr := runCLI(t, signed, "smime", "encrypt", "--to", jan.cert, "--self", marie.cert, "--cipher", "aes256-gcm")
	if code != ExitOK || !bytes.Contains(enc, []byte("smime-type=authEnveloped-data")) {
		t.Fatalf("encrypt: exit %d, %s", code, stderr)
	}
	open := func(t *testing.T, in []byte, who smimeFixture, extra ...string) (int, openReport, string) {
		t.Helper()
		args := append([]string{"smime", "open", "--pfx", who.pfx, "--password-file", who.password, "--trust", who.root}, extra...)
		code, out, stderr := runCLI(t, in, args...)
		var r openReport
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("open printed no JSON report (%v): %s %s", err, out, stderr)
		}
		return code, r, stderr
	}
	t.Run("open what was sent", func(t *testing.T) {
		for _, reader := range []smimeFixture{jan, marie} {
			code, r, stderr := open(t, enc, reader)
			if code != ExitOK || r.Signature != "valid" || !r.Encrypted || r.Encryption != "aes-256-gcm" || !r.SignerMatchesFrom {
				t.Fatalf("exit %d, report %+v, %s", code, r, stderr)
			}
			if strings.Join(r.Layers, ",") != "auth-enveloped,signed-detached" || r.Text != "Bonjour Jan,\r\nthe file is ready.\r\n" || len(r.Certificates) == 0 {
				t.Fatalf("layers %v, text %q, %d certificates", r.Layers, r.Text, len(r.Certificates))
			}
		}
	})
	t.Run("altered signature exits 1", func(t *testing.T) {
		bad := bytes.Replace(signed, []byte("Bonjour"), []byte("Bonsoir"), 1)
		code, r, _ := open(t, bad, jan)
		if code != ExitNegative || r.Signature != "invalid" || !strings.Contains(r.Reason, "changed after it was signed") {
			t.Fatalf("exit %d, report %+v", code, r)
		}
	})
	t.Run("judged before it was made, the signature is refused", func(t *testing.T) {
		code, r, _ := open(t, signed, jan, "--at", time.Now().Add(-time.Hour).Format(time.RFC3339))
		if code != ExitNegative || r.Signature != "invalid" || !strings.Contains(r.Reason, "in the future") {
			t.Fatalf("exit %d, report %+v", code, r)
		}
	})
	t.Run("not a recipient exits 2", func(t *testing.T) {
		other := newSMIMEFixture(t, ca, "Ana.Lopez@tcn.e.eu-admin.net")
		code, r, stderr := open(t, enc, other)
		want := "This message is encrypted but none of your Digital IDs can open it."
		if code != ExitError || r.Error != want || !strings.Contains(stderr, want) {
			t.Fatalf("exit %d, error %q, stderr %q", code, r.Error, stderr)
		}
	})
	t.Run("wrong pfx password exits 2 with a sentence", func(t *testing.T) {
		wrong := filepath.Join(t.TempDir(), "wrong.txt")
		if err := os.WriteFile(wrong, []byte("guess\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, msg, "smime", "sign", "--pfx", marie.pfx, "--password-file", wrong)
		if code != ExitError || len(out) != 0 || !strings.Contains(stderr, "does not open the Digital ID") || strings.Count(stderr, "\n") != 1 {
			t.Fatalf("exit %d, stdout %d bytes, stderr %q", code, len(out), stderr)
		}
	})
	t.Run("export-p7b holds the chain, not the key", func(t *testing.T) {
		code, p7b, stderr := runCLI(t, nil, "smime", "export-p7b", "--pfx", marie.pfx, "--password-file", marie.password)
		if code != ExitOK {
			t.Fatalf("exit %d, %s", code, stderr)
		}
		certs, err := identity.ParseCertificates(p7b)
		if err != nil {
			t.Fatal(err)
		}
		if len(certs) != 3 || len(certs[0].EmailAddresses) == 0 || certs[0].EmailAddresses[0] != "Marie.Curie@tcn.f.eu-admin.net" {
			t.Fatalf("%d certificates in the .p7b, first for %v; want Marie's, the EC CA and the root", len(certs), certs[0].EmailAddresses)
		}
		if _, err := identity.ParsePFX(p7b, "s3cret"); err == nil {
			t.Fatal("the .p7b opens as a Digital ID with its private key")
		}
	})
	t.Run("usage errors exit 2", func(t *testing.T) {
		for _, args := range [][]string{
			{"smime", "encrypt"},
			{"smime", "sign", "--digest", "md5", "--pfx", marie.pfx, "--password-file", marie.password},
			{"smime", "encrypt", "--to", jan.cert, "--cipher", "rc2"},
			{"smime", "open", "--at", "yesterday"},
			{"smime", "frobnicate"},
		} {
			if code, _, stderr := runCLI(t, msg, args...); code != ExitError || stderr == "" {
				t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
			}
		}
		if code, out, _ := runCLI(t, nil, "smime", "open", "--help"); code != ExitOK || !bytes.Contains(out, []byte("--trust")) {
			t.Errorf("--help: exit %d, %s", code, out)
		}
	})
}
