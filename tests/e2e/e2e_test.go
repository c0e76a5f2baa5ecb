package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/smime/identity"
	"securemail/testnet/testca"
)

// showReport is `messages show --json`: the open report plus headers.
type showReport struct {
	ID                string   `json:"id"`
	From              string   `json:"from"`
	To                string   `json:"to"`
	Subject           string   `json:"subject"`
	Date              string   `json:"date"`
	Layers            []string `json:"layers"`
	Encrypted         bool     `json:"encrypted"`
	Encryption        string   `json:"encryption"`
	Signed            bool     `json:"signed"`
	Signature         string   `json:"signature"`
	Signer            string   `json:"signer"`
	SignerMatchesFrom bool     `json:"signer_matches_from"`
	Text              string   `json:"text"`
	Error             string   `json:"error"`
	Attachments       []struct {
		Name string `json:"name"`
		Size int    `json:"size"`
	} `json:"attachments"`
}

type contactJSON struct {
	Address    string `json:"address"`
	Status     string `json:"status"`
	Reason     string `json:"reason"`
	DigitalIDs []struct {
		Fingerprint string `json:"fingerprint_sha256"`
		Status      string `json:"status"`
		Reason      string `json:"reason"`
		NotAfter    string `json:"not_after"`
		Default     bool   `json:"default"`
	} `json:"digital_ids"`
}

type linkJSON struct {
	Address string `json:"address"`
	State   string `json:"state"`
}

func linkState(t *testing.T, profile, addr string) string {
	t.Helper()
	var rows []linkJSON
	jsonOut(t, profile, &rows, "securelink", "status")
	for _, r := range rows {
		if strings.EqualFold(r.Address, addr) {
			return r.State
		}
	}
	return "none"
}

func contact(t *testing.T, profile, addr string) contactJSON {
	t.Helper()
	var cs []contactJSON
	jsonOut(t, profile, &cs, "contacts", "list")
	for _, c := range cs {
		if strings.EqualFold(c.Address, addr) {
			return c
		}
	}
	t.Fatalf("%s is not in the address book of %s", addr, profile)
	return contactJSON{}
}

func TestTwoTestersOnTheBundledNetwork(t *testing.T) {
	needKeyring(t)
	n := startNetwork(t)
	profiles := t.TempDir()
	pa, pm := filepath.Join(profiles, "alain"), filepath.Join(profiles, "marie")

	// 1. Set-up from the handouts. The root is trusted only when asked.
	r := run(t, pa, "", "account", "setup", "--from-handout", n.handout(alain))
	if r.code != 2 || !strings.Contains(r.stderr, "trust") {
		t.Fatalf("set-up without --trust-root: exit %d, stderr %q; want a refusal about trusting the Root CA", r.code, r.stderr)
	}
	mustRun(t, pa, "", "account", "setup", "--from-handout", n.handout(alain), "--trust-root")
	mustRun(t, pm, "", "account", "setup", "--from-handout", n.handout(marie), "--trust-root")
	if out := mustRun(t, pa, "", "account", "show"); !strings.Contains(out, alain) {
		t.Fatalf("account show does not name the address:\n%s", out)
	}

	// 2. Encryption to someone without a Digital ID is refused before
	// anything leaves, naming her.
	r = run(t, pa, "Bonjour Marie", "send", "--to", marie, "--subject", "Too early")
	if r.code != 1 || !strings.Contains(r.stderr, marie) || !strings.Contains(r.stderr, "no Digital ID") {
		t.Fatalf("encrypted send without her Digital ID: exit %d, stderr %q; want exit 1 naming %s", r.code, r.stderr, marie)
	}
	var sent []listRow
	jsonOut(t, pa, &sent, "messages", "list", "--folder", "Outbox")
	if len(sent) != 0 {
		t.Fatalf("the refused message is in the Outbox: %+v", sent)
	}

	// 3. Secure link both ways: a signed request, a signed reply.
	mustRun(t, pa, "", "securelink", "request", "--to", marie)
	if s := linkState(t, pa, marie); s != "requested" {
		t.Fatalf("Alain's link to Marie after the request: %q, want requested", s)
	}
	req := fetchUntil(t, pm, "Secure link request from Alain Dupont")
	if !req.Signed || req.Signature != "valid" {
		t.Fatalf("the request arrived as %+v; want signed and valid", req)
	}
	if s := linkState(t, pm, alain); s != "received" {
		t.Fatalf("Marie's link to Alain after the request: %q, want received", s)
	}
	mustRun(t, pm, "", "securelink", "reply", "--to", alain)
	if s := linkState(t, pm, alain); s != "established" {
		t.Fatalf("Marie's link to Alain after her reply: %q, want established", s)
	}
	fetchUntil(t, pa, "Re: Secure link request")
	if s := linkState(t, pa, marie); s != "established" {
		t.Fatalf("Alain's link to Marie after her reply: %q, want established", s)
	}

	// 4. Signed and encrypted mail with attachments, both ways.
	dir := t.TempDir()
	markers := map[string]string{}
	for _, tc := range []struct{ from, to, fromAddr, toAddr string }{{pa, pm, alain, marie}, {pm, pa, marie, alain}} {
		marker := "CONFIDENTIALMARKER" + randHex(8)
		markers[tc.fromAddr] = marker
		bin := make([]byte, 195_000)
		rand.Read(bin)
		binFile := filepath.Join(dir, "card-"+randHex(3)+".bin")
		pdfFile := filepath.Join(dir, "note.txt")
		os.WriteFile(binFile, bin, 0o600)
		os.WriteFile(pdfFile, []byte("a small note\n"), 0o600)
		subject := "Dossier 42 from " + tc.fromAddr
		body := "Dear colleague,\n\nThe card number is " + marker + ".\n\nRegards\n"
		mustRun(t, tc.from, body, "send", "--to", tc.toAddr, "--subject", subject, "--attach", binFile, "--attach", pdfFile)
		var outbox []listRow
		jsonOut(t, tc.from, &outbox, "messages", "list", "--folder", "Outbox")
		if len(outbox) != 0 {
			t.Fatalf("the accepted message stayed in the Outbox: %+v", outbox)
		}
		row := fetchUntil(t, tc.to, subject)
		if !row.Encrypted {
			t.Fatalf("the message arrived unencrypted in the listing: %+v", row)
		}
		var rep showReport
		jsonOut(t, tc.to, &rep, "messages", "show", row.ID)
		if rep.Signature != "valid" || !rep.Encrypted || !rep.Signed || !strings.EqualFold(rep.Signer, tc.fromAddr) || !rep.SignerMatchesFrom {
			t.Fatalf("report of the message from %s: %+v; want signed, valid, encrypted, signer %s", tc.fromAddr, rep, tc.fromAddr)
		}
		if !strings.Contains(rep.Text, marker) || rep.Error != "" {
			t.Fatalf("decrypted text %q (error %q) lacks the marker", rep.Text, rep.Error)
		}
		if len(rep.Attachments) != 2 || rep.Attachments[0].Name != filepath.Base(binFile) || rep.Attachments[0].Size != len(bin) ||
			rep.Attachments[1].Name != "note.txt" || rep.Attachments[1].Size != len("a small note\n") {
			t.Fatalf("attachments %+v; want %s (%d bytes) and note.txt (13 bytes)", rep.Attachments, filepath.Base(binFile), len(bin))
		}
		// The sender's Sent copy is encrypted to self too: it still opens.
		var sentRows []listRow
		jsonOut(t, tc.from, &sentRows, "messages", "list", "--folder", "Sent")
		var own showReport
		for _, s := range sentRows {
			if s.Subject == subject {
				jsonOut(t, tc.from, &own, "messages", "show", s.ID)
			}
		}
		if !own.Encrypted || !strings.Contains(own.Text, marker) {
			t.Fatalf("the Sent copy does not open for its sender: %+v", own)
		}
	}

	// 5. Contacts show V for each other.
	if c := contact(t, pa, marie); c.Status != "valid" || len(c.DigitalIDs) != 1 || !c.DigitalIDs[0].Default {
		t.Fatalf("Marie in Alain's address book: %+v; want valid with one default Digital ID", c)
	}
	if c := contact(t, pm, alain); c.Status != "valid" {
		t.Fatalf("Alain in Marie's address book: %+v; want valid", c)
	}

	// 6. An expired Digital ID shows a red X with the reason, and mail to
	// its holder cannot be encrypted.
	const jan = "Jan.Peeters@tcn.b.eu-admin.net"
	old := shortLived(t, n.ca, jan)
	p7b, err := identity.EncodeP7B(append([]*x509.Certificate{old}, n.ca.Intermediate, n.ca.Root))
	if err != nil {
		t.Fatal(err)
	}
	p7bFile := filepath.Join(dir, "jan.p7b")
	os.WriteFile(p7bFile, p7b, 0o600)
	mustRun(t, pm, "", "contacts", "import", p7bFile)
	c := contact(t, pm, jan)
	if c.Status != "invalid" || !strings.Contains(c.Reason, "expired") || len(c.DigitalIDs) != 1 || c.DigitalIDs[0].Status != "expired" {
		t.Fatalf("Jan with an expired Digital ID: %+v; want invalid (red X) with an 'expired' reason", c)
	}
	r = run(t, pm, "hello", "send", "--to", jan, "--subject", "x")
	if r.code != 1 || !strings.Contains(r.stderr, jan) || !strings.Contains(r.stderr, "expired") {
		t.Fatalf("encrypting to an expired Digital ID: exit %d, stderr %q", r.code, r.stderr)
	}

	// 7. Nothing secret in clear in either profile folder.
	for _, p := range []struct{ profile, addr string }{{pa, alain}, {pm, marie}} {
		secrets := map[string][]byte{}
		pw, _ := os.ReadFile(filepath.Join(n.handout(p.addr), "password.txt"))
		password := strings.TrimSpace(string(pw))
		secrets["the POP3 password"] = []byte(password)
		pfx, _ := os.ReadFile(filepath.Join(n.handout(p.addr), "Mail.pfx"))
		id, err := identity.ParsePFX(pfx, password)
		if err != nil {
			t.Fatal(err)
		}
		pkcs8, _ := x509.MarshalPKCS8PrivateKey(id.PrivateKey)
		secrets["the private key (PKCS#8)"] = pkcs8
		if k, ok := id.PrivateKey.(*rsa.PrivateKey); ok {
			secrets["the private key (PKCS#1)"] = x509.MarshalPKCS1PrivateKey(k)
			secrets["the private exponent"] = k.D.Bytes()
		}
		secrets["a PEM private key"] = []byte("PRIVATE KEY")
		for who, m := range markers {
			secrets["the encrypted text sent by "+who] = []byte(m)
		}
		scanNoSecrets(t, p.profile, secrets)
	}
}

// shortLived issues addr a Digital ID under the network's EC CA that was
// valid for 49 minutes and expired a minute ago. (testca issues whole days,
// and the network's CA itself is only an hour old, so an expired
// certificate that chains must be this short.)
func shortLived(t *testing.T, ca *testca.CA, addr string) *x509.Certificate {
	t.Helper()
	is, err := ca.Issue(testca.IssueOptions{Email: addr})
	if err != nil {
		t.Fatal(err)
	}
	tmpl := *is.Certificate
	tmpl.NotBefore = time.Now().Add(-50 * time.Minute)
	tmpl.NotAfter = time.Now().Add(-time.Minute)
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, ca.Intermediate, is.PrivateKey.Public(), ca.InterKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// scanNoSecrets fails when any file under dir holds one of the secrets.
func scanNoSecrets(t *testing.T, dir string, secrets map[string][]byte) {
	t.Helper()
	files := 0
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		for what, s := range secrets {
			if len(s) > 0 && bytes.Contains(b, s) {
				t.Errorf("%s holds %s in clear", p, what)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("only %d files in %s: the scan looked at the wrong folder", files, dir)
	}
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}
