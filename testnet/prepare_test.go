package testnet

import (
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

func TestPrepareWritesHandoutsAndReusesThem(t *testing.T) {
	dir := t.TempDir()
	cfg, ca, err := Prepare(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Holding() {
		t.Fatal("Prepare chose the ports of a new network but holds none of them")
	}
	cfg.Release() // no network starts here
	n := 0
	for _, co := range cfg.Countries {
		for _, tr := range co.Testers {
			n++
			mail := co.Address(tr)
			hd := HandoutDir(dir, mail)
			pw, _ := os.ReadFile(filepath.Join(hd, "password.txt"))
			pfx, _ := os.ReadFile(filepath.Join(hd, "Mail.pfx"))
			_, cert, chain, err := pkcs12.DecodeChain(pfx, strings.TrimSpace(string(pw)))
			if err != nil {
				t.Fatalf("%s: Mail.pfx does not open with password.txt: %v", mail, err)
			}
			if len(cert.EmailAddresses) != 1 || cert.EmailAddresses[0] != mail {
				t.Fatalf("%s: certificate is for %v", mail, cert.EmailAddresses)
			}
			roots := x509.NewCertPool()
			rootDER, _ := os.ReadFile(filepath.Join(hd, "Root_CA.cer"))
			root, err := x509.ParseCertificate(rootDER)
			if err != nil || !root.Equal(ca.Root) {
				t.Fatalf("%s: Root_CA.cer is not the network's root: %v", mail, err)
			}
			roots.AddCert(root)
			inter := x509.NewCertPool()
			for _, c := range chain {
				inter.AddCert(c)
			}
			if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}); err != nil {
				t.Fatalf("%s: certificate does not chain to Root_CA.cer: %v", mail, err)
			}
			var acc Account
			b, _ := os.ReadFile(filepath.Join(hd, "account.json"))
			if err := json.Unmarshal(b, &acc); err != nil {
				t.Fatal(err)
			}
			if acc.Address != mail || acc.Username != mail || acc.Password != strings.TrimSpace(string(pw)) ||
				acc.SMTP != addr(cfg.Host, co.SubmitPort) || acc.POP3 != addr(cfg.Host, co.POP3Port) || acc.SMTPTLS != "starttls" || acc.POP3TLS != "starttls" {
				t.Fatalf("%s: account.json = %+v", mail, acc)
			}
			if _, err := os.Stat(filepath.Join(hd, acc.ServerCA)); err != nil {
				t.Fatalf("%s: server_ca %q missing", mail, acc.ServerCA)
			}
		}
	}
	if n != 6 {
		t.Fatalf("%d handouts, want 3 testers for each of B and F", n)
	}
	cfg2, ca2, err := Prepare(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !ca2.Root.Equal(ca.Root) || cfg2.Countries[0].SubmitPort != cfg.Countries[0].SubmitPort || cfg2.Countries[1].Testers[0].Password != cfg.Countries[1].Testers[0].Password {
		t.Fatal("a second Prepare changed the CA, the ports or the passwords")
	}
}

func TestConfigRefusesMoreThanMaxTesters(t *testing.T) {
	p := filepath.Join(t.TempDir(), "net.toml")
	os.WriteFile(p, []byte("[[country]]\ncode = \"NL\"\n"+strings.Repeat("[[country.tester]]\nname = \"A.B\"\n", 4)), 0o600)
	_, _, err := Prepare(t.TempDir(), p)
	if err == nil || !strings.Contains(err.Error(), "at most 3") {
		t.Fatalf("four testers: %v", err)
	}
	os.WriteFile(p, []byte("bogus = 1\n"), 0o600)
	if _, err := LoadConfig(p); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Fatalf("unknown setting: %v", err)
	}
}
