package e2e

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/smime/crl"
	"securemail/smime/identity"
	"securemail/testnet/testca"
)

// TestRevokedTesterOnTheBundledNetwork: Alain's Digital ID is revoked with
// `testca revoke`; the network's CRL server then lists it; a message he
// signs is fetched by Marie as not valid, with the revocation's date and
// reason; her address book shows him with a red X, and encrypting to him is
// refused.
func TestRevokedTesterOnTheBundledNetwork(t *testing.T) {
	needKeyring(t)
	n := startNetwork(t)
	profiles := t.TempDir()
	pa, pm := filepath.Join(profiles, "alain"), filepath.Join(profiles, "marie")
	mustRun(t, pa, "", "account", "setup", "--from-handout", n.handout(alain), "--trust-root")
	mustRun(t, pm, "", "account", "setup", "--from-handout", n.handout(marie), "--trust-root")

	// Marie holds Alain's Digital ID (as after a secure link): green V.
	hd := n.handout(alain)
	p7b := filepath.Join(t.TempDir(), "alain.p7b")
	der := mustRun(t, pa, "", "smime", "export-p7b", "--pfx", filepath.Join(hd, testca.MailPFXFile),
		"--password-file", filepath.Join(hd, testca.PasswordFile))
	if err := os.WriteFile(p7b, []byte(der), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, pm, "", "contacts", "import", p7b)
	if c := contact(t, pm, alain); c.Status != "valid" {
		t.Fatalf("before the revocation Alain is %q (%s), want valid", c.Status, c.Reason)
	}

	// The authority revokes him; its CRL server publishes it.
	out := mustRun(t, pm, "", "testca", "revoke", "--ca", filepath.Join(n.dir, "ca"), "--email", alain, "--reason", "keyCompromise")
	if !strings.Contains(out, "Revoked "+alain) {
		t.Fatalf("testca revoke said:\n%s", out)
	}
	cert := handoutCertificate(t, hd)
	if len(cert.CRLDistributionPoints) != 1 {
		t.Fatalf("Alain's Digital ID has distribution points %q, want the network's", cert.CRLDistributionPoints)
	}
	served := get(t, cert.CRLDistributionPoints[0])
	l, err := crl.Parse(served)
	if err != nil {
		t.Fatal(err)
	}
	if e, listed := crl.Lookup(l, cert); !listed || e.Reason != crl.KeyCompromise {
		t.Fatalf("the network's CRL at %s does not list Alain for keyCompromise", cert.CRLDistributionPoints[0])
	}

	// A message he signs afterwards is not valid for Marie.
	mustRun(t, pa, "Signed with a revoked Digital ID", "send", "--to", marie, "--subject", "After revocation", "--sign", "--no-encrypt")
	row := fetchUntil(t, pm, "After revocation")
	if !row.Signed || row.Signature != "invalid" {
		t.Fatalf("the message is listed as %+v; want signed and invalid", row)
	}
	var rep struct {
		showReport
		Problem string   `json:"problem"`
		Reason  string   `json:"reason"`
		Notes   []string `json:"notes"`
	}
	shown := run(t, pm, "", "messages", "show", row.ID, "--json")
	if shown.code != 1 { // the negative verdict's exit status
		t.Fatalf("messages show: exit %d, want 1 for an invalid signature\n%s", shown.code, shown.stderr)
	}
	if err := json.Unmarshal([]byte(shown.stdout), &rep); err != nil {
		t.Fatalf("messages show --json: %v\n%s", err, shown.stdout)
	}
	if rep.Signature != "invalid" || rep.Problem != "revoked" || !strings.Contains(rep.Reason, "Digital ID was revoked on") ||
		!strings.Contains(rep.Reason, "its key was compromised") || len(rep.Notes) != 0 {
		t.Fatalf("messages show: signature %q, problem %q, reason %q, notes %q; want invalid, revoked, the date and the reason",
			rep.Signature, rep.Problem, rep.Reason, rep.Notes)
	}

	// The address book: red X with the reason; no encryption to him.
	c := contact(t, pm, alain)
	if c.Status != "invalid" || !strings.Contains(c.Reason, "revoked") || len(c.DigitalIDs) != 1 || c.DigitalIDs[0].Status != "revoked" {
		t.Fatalf("Alain in Marie's address book: %+v; want invalid (red X) with a revoked Digital ID", c)
	}
	if list := mustRun(t, pm, "", "contacts", "list"); !strings.Contains(list, "X  "+strings.ToLower(alain)) && !strings.Contains(list, "X  "+alain) {
		t.Fatalf("contacts list does not mark Alain with X:\n%s", list)
	}
	r := run(t, pm, "Bonjour", "send", "--to", alain, "--subject", "To a revoked ID")
	if r.code != 1 || !strings.Contains(r.stderr, "revoked") {
		t.Fatalf("encrypting to Alain: exit %d, stderr %q; want a refusal saying his Digital ID was revoked", r.code, r.stderr)
	}
	if list := mustRun(t, pm, "", "crl", "list"); !strings.Contains(list, "TESTA Test EC CA") {
		t.Fatalf("crl list does not show the fetched list:\n%s", list)
	}
}

func handoutCertificate(t *testing.T, dir string) *x509.Certificate {
	t.Helper()
	pfx, err := os.ReadFile(filepath.Join(dir, testca.MailPFXFile))
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := os.ReadFile(filepath.Join(dir, testca.PasswordFile))
	id, err := identity.ParsePFX(pfx, strings.TrimSpace(string(pw)))
	if err != nil {
		t.Fatal(err)
	}
	return id.Certificate
}

func get(t *testing.T, url string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s, %v", url, resp.Status, err)
	}
	return b
}
