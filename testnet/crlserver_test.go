package testnet

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"securemail/smime/crl"
	"securemail/testnet/testca"
)

// TestCRLServer: the testers' Digital IDs name the network's CRL server as
// their distribution point, on 127.0.0.1; it serves the EC CA's CRL, and
// after `testca revoke` (another process, the same CA folder) the new CRL
// listing the tester.
func TestCRLServer(t *testing.T) {
	dir := t.TempDir()
	cfg, ca, err := Prepare(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CRLPort == 0 {
		t.Fatal("Prepare gave the CRL server no port")
	}
	n, err := Start(Options{Dir: dir, Config: cfg, CA: ca, ControlInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })

	co := cfg.Countries[0]
	mail := co.Address(co.Testers[0])
	hd := HandoutDir(dir, mail)
	pw, _ := os.ReadFile(filepath.Join(hd, testca.PasswordFile))
	pfx, _ := os.ReadFile(filepath.Join(hd, testca.MailPFXFile))
	_, cert, _, err := pkcs12.DecodeChain(pfx, strings.TrimSpace(string(pw)))
	if err != nil {
		t.Fatal(err)
	}
	if len(cert.CRLDistributionPoints) != 1 || !strings.HasPrefix(cert.CRLDistributionPoints[0], "http://127.0.0.1:") {
		t.Fatalf("distribution points %q, want one on http://127.0.0.1", cert.CRLDistributionPoints)
	}
	get := func() []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, cert.CRLDistributionPoints[0], nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pkix-crl" {
			t.Fatalf("GET %s: %s %q, %v", cert.CRLDistributionPoints[0], resp.Status, resp.Header.Get("Content-Type"), err)
		}
		return b
	}
	l, err := crl.Parse(get())
	if err != nil {
		t.Fatal(err)
	}
	if _, listed := crl.Lookup(l, cert); listed {
		t.Fatal("the tester is listed before being revoked")
	}
	other, err := testca.OpenExisting(filepath.Join(dir, "ca"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Revoke(testca.Select{Email: mail}, crl.KeyCompromise, time.Now()); err != nil {
		t.Fatal(err)
	}
	l, err = crl.Parse(get())
	if err != nil {
		t.Fatal(err)
	}
	if e, listed := crl.Lookup(l, cert); !listed || e.Reason != crl.KeyCompromise {
		t.Fatalf("after testca revoke: listed %v, %+v", listed, e)
	}
}
