package testca

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"securemail/smime/identity"
)

// TestOpenReusesCA: the second Open of a folder returns the same root and
// EC CA; keys are PKCS #8 PEM readable by the owner only.
func TestOpenReusesCA(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Root.Equal(b.Root) || !a.Intermediate.Equal(b.Intermediate) {
		t.Fatal("a second Open made a new CA")
	}
	// Windows file modes carry no permission bits (only read-only).
	unixModes := runtime.GOOS != "windows"
	if st, err := os.Stat(dir); unixModes && (err != nil || st.Mode().Perm() != 0o700) {
		t.Errorf("CA folder mode = %v, want 0700 (%v)", st.Mode().Perm(), err)
	}
	for _, name := range []string{RootKeyFile, InterKeyFile} {
		p := filepath.Join(dir, name)
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if unixModes && st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, want 0600", name, st.Mode().Perm())
		}
		data, _ := os.ReadFile(p)
		block, _ := pem.Decode(data)
		if block == nil || block.Type != "PRIVATE KEY" {
			t.Errorf("%s is not a PKCS #8 PEM file", name)
		} else if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !strings.Contains(a.Root.Subject.CommonName, "TESTA") || a.Intermediate.Subject.CommonName != "TESTA Test EC CA" {
		t.Errorf("subjects %q / %q do not look like the seed's TESTA CAs", a.Root.Subject, a.Intermediate.Subject)
	}
	// What a reused CA issues chains to the first root.
	is, err := b.Issue(IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net"})
	if err != nil {
		t.Fatal(err)
	}
	if err := is.Certificate.CheckSignatureFrom(a.Intermediate); err != nil {
		t.Error(err)
	}
}

// TestOpenConcurrentFirstUse: two first calls at once create one CA.
func TestOpenConcurrentFirstUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	var wg sync.WaitGroup
	cas := make([]*CA, 3)
	errs := make([]error, 3)
	for i := range cas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cas[i], errs[i] = Open(dir)
		}()
	}
	wg.Wait()
	for i := range cas {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !cas[i].Root.Equal(cas[0].Root) {
			t.Fatalf("call %d got another root: two CAs were created", i)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, lockFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock file was left behind: %v", err)
	}
}

// TestOpenRefusesMixedFiles: a key that does not belong to its certificate
// is reported, not silently replaced.
func TestOpenRefusesMixedFiles(t *testing.T) {
	dirA := filepath.Join(t.TempDir(), "a")
	if _, err := Open(dirA); err != nil {
		t.Fatal(err)
	}
	key, _ := os.ReadFile(filepath.Join(dirA, InterKeyFile))
	if err := os.WriteFile(filepath.Join(dirA, RootKeyFile), key, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dirA); err == nil || !strings.Contains(err.Error(), "do not belong together") {
		t.Errorf("err = %v", err)
	}
}

// TestHandoutFiles: the written handout opens with password.txt's password
// and chains to Root_CA.cer through EC_CA.cer for e-mail protection, for
// each key type a tester may ask for.
func TestHandoutFiles(t *testing.T) {
	ca, err := Open(filepath.Join(t.TempDir(), "ca"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []KeyType{RSA2048, RSA4096, P256} {
		for _, legacy := range []bool{false, true} {
			if legacy && k != RSA2048 {
				continue
			}
			const addr = "Marie.Curie@tcn.f.eu-admin.net"
			h, err := ca.Handout(IssueOptions{Email: addr, Key: k}, "", legacy)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "handout")
			if err := WriteHandout(dir, h); err != nil {
				t.Fatal(err)
			}
			read := func(name string, perm os.FileMode) []byte {
				p := filepath.Join(dir, name)
				st, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				if runtime.GOOS != "windows" && st.Mode().Perm() != perm { // no permission bits on Windows
					t.Errorf("%s mode = %v, want %v", name, st.Mode().Perm(), perm)
				}
				b, _ := os.ReadFile(p)
				return b
			}
			pw := strings.TrimSuffix(string(read(PasswordFile, 0o600)), "\n")
			if !regexp.MustCompile(`^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$`).MatchString(pw) || strings.ContainsAny(pw, "0O1lIo") {
				t.Errorf("password %q is not four groups of four unambiguous characters", pw)
			}
			id, err := identity.ParsePFX(read(MailPFXFile, 0o600), pw)
			if err != nil {
				t.Fatalf("%s: Mail.pfx does not open with password.txt: %v", k, err)
			}
			root, err := x509.ParseCertificate(read(RootCAFile, 0o644))
			if err != nil {
				t.Fatal(err)
			}
			ec, err := x509.ParseCertificate(read(ECCAFile, 0o644))
			if err != nil {
				t.Fatal(err)
			}
			roots, inter := x509.NewCertPool(), x509.NewCertPool()
			roots.AddCert(root)
			inter.AddCert(ec)
			chains, err := id.Certificate.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter,
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}})
			if err != nil || len(chains[0]) != 3 {
				t.Errorf("%s: Mail.pfx does not chain to Root_CA.cer through EC_CA.cer: %v", k, err)
			}
			if identity.Address(id.Certificate) != addr {
				t.Errorf("%s: address %q", k, identity.Address(id.Certificate))
			}
			wantAlg := map[KeyType]x509.PublicKeyAlgorithm{RSA2048: x509.RSA, RSA4096: x509.RSA, P256: x509.ECDSA}[k]
			if id.Certificate.PublicKeyAlgorithm != wantAlg {
				t.Errorf("%s: key algorithm %v", k, id.Certificate.PublicKeyAlgorithm)
			}
			if k == RSA4096 {
				if n := id.Certificate.PublicKey.(interface{ Size() int }).Size(); n != 512 {
					t.Errorf("rsa4096 key has %d bytes", n)
				}
			}
		}
	}
}

func TestRandomPasswordsDiffer(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		p, err := RandomPassword()
		if err != nil {
			t.Fatal(err)
		}
		if seen[p] {
			t.Fatalf("password %q came twice", p)
		}
		seen[p] = true
	}
}
