package e2e

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/internal/mailheader"
	"securemail/smime"
	"securemail/smime/identity"
	"securemail/smtpclient"
	"securemail/testnet"
	"securemail/testnet/mailbox"
	"securemail/tests/testenv"
)

// eve is the third tester: she holds a Digital ID of the test network and tries to pass her mail off as Alain's.
const eve = "Eve.Kask@tcn.b.eu-admin.net"

// threeTesters is the acceptance test's network with Eve beside Alain in Belgium.
func threeTesters() string {
	return strings.Replace(testenv.TwoTesters, "name = \"Alain.Dupont\"\n", "name = \"Alain.Dupont\"\n[[country.tester]]\nname = \"Eve.Kask\"\n", 1)
}

// submitAs signs nothing: it hands raw bytes to the tester's national server over submission (STARTTLS, AUTH).
func submitAs(t *testing.T, handout, from string, to []string, msg []byte) error {
	t.Helper()
	var acc testnet.Account
	b, err := os.ReadFile(filepath.Join(handout, "account.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &acc); err != nil {
		t.Fatal(err)
	}
	ca, err := os.ReadFile(filepath.Join(handout, acc.ServerCA))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	mode, err := smtpclient.ParseTLSMode(acc.SMTPTLS)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := smtpclient.Dial(ctx, smtpclient.Options{Address: acc.SMTP, TLS: mode, RootCAs: pool, ServerName: "localhost"})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Auth(ctx, acc.Username, acc.Password); err != nil {
		return err
	}
	if _, err := c.Send(ctx, smtpclient.Envelope{From: from, To: to}, strings.NewReader(string(msg))); err != nil {
		return err
	}
	return c.Quit(ctx)
}

// handoutIdentity reads a tester's Mail.pfx with the password of the handout.
func handoutIdentity(t *testing.T, handout string) *identity.Identity {
	t.Helper()
	pfx, err := os.ReadFile(filepath.Join(handout, "Mail.pfx"))
	if err != nil {
		t.Fatal(err)
	}
	pw, err := os.ReadFile(filepath.Join(handout, "password.txt"))
	if err != nil {
		t.Fatal(err)
	}
	id, err := identity.ParsePFX(pfx, strings.TrimSpace(string(pw)))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestHostileSenderOnTheNetwork: Eve signs, with her own Digital ID, messages presented as coming from Alain —
// every class of docs/SECURITY.md, "Who sent it" — and sends them to Marie through the bundled network (the ones with a bare
// CR, which the network refuses, and the UTF-8 one, which needs SMTPUTF8, are put in Marie's mailbox directly, as a
// server that lets them through would).
// After Marie's fetch, neither the store's list (`messages list --json`) nor the reader's view (`messages show
// --json`, whose From is the store's, the one the window's reader shows) presents any of them as a valid message
// from Alain or shows Alain's address as the sender. Controls: honest signed mail from Alain and from Eve, and a
// whole message Eve signed with `openssl smime -sign`, are valid and shown as from their signers.
func TestHostileSenderOnTheNetwork(t *testing.T) {
	needKeyring(t)
	n := startNetworkWith(t, threeTesters())
	profiles := t.TempDir()
	pa, pm := filepath.Join(profiles, "alain"), filepath.Join(profiles, "marie")
	mustRun(t, pa, "", "account", "setup", "--from-handout", n.handout(alain), "--trust-root")
	mustRun(t, pm, "", "account", "setup", "--from-handout", n.handout(marie), "--trust-root")
	eveID := handoutIdentity(t, n.handout(eve))
	now := time.Now()

	hostile := []struct{ subject, header string }{
		{"h1 no From, Sender Alain", "Sender: Alain Dupont <" + alain + ">\r\nReply-To: " + alain},
		{"h2 empty From", "From: <>\r\nSender: " + alain},
		{"h3 two mailboxes", "From: " + alain + ", " + eve},
		{"h4 group", "From: Belgium: " + alain + ", " + eve + ";"},
		{"h5 duplicate From", "From: " + eve + "\r\nFrom: Alain Dupont <" + alain + ">"},
		{"h6 display name is Alain's address", `From: "` + alain + `" <` + eve + `>`},
		{"h7 encoded word hides Alain's address", "From: =?utf-8?q?" + strings.ReplaceAll(alain, "@", "=40") + "?= <" + eve + ">"},
		{"h8 Kelvin sign", "From: Eve.\u212Aask@tcn.b.eu-admin.net"},
		{"h9 Alain's address", "From: Alain Dupont <" + alain + ">"},
		{"h10 bare CR hides a From", "X-Note: x\rFrom: Alain Dupont <" + alain + ">\r\nFrom: " + eve},
		{"h11 bare CR in From", "From: Alain Dupont <" + alain + ">\rX-Eve: " + eve},
	}
	boxes, err := mailbox.Open(filepath.Join(n.dir, "nodes", "f-server", "mail"))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hostile {
		msg := []byte(h.header + "\r\nTo: " + marie + "\r\nSubject: " + h.subject + "\r\nDate: " + now.Format(time.RFC1123Z) +
			"\r\nMessage-ID: <" + strings.ReplaceAll(h.subject, " ", ".") + "@eve>\r\nMIME-Version: 1.0\r\n\r\nPlease send me the card file.\r\n")
		signed, err := smime.SignMessage(msg, eveID, smime.SignOptions{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(h.subject, "bare CR") {
			if err := submitAs(t, n.handout(eve), eve, []string{marie}, signed); err == nil || !strings.Contains(err.Error(), "bare CR or LF") {
				t.Fatalf("%s: the network accepted a bare CR (%v)", h.subject, err)
			}
			if _, err := boxes.Deliver(strings.ToLower(marie), "", strings.NewReader(string(signed))); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := submitAs(t, n.handout(eve), eve, []string{marie}, signed); strings.Contains(h.subject, "Kelvin") && err != nil {
			// A UTF-8 header needs SMTPUTF8, which the network does not offer: another server might.
			if _, err := boxes.Deliver(strings.ToLower(marie), "", strings.NewReader(string(signed))); err != nil {
				t.Fatal(err)
			}
		} else if err != nil {
			t.Fatalf("%s: %v", h.subject, err)
		}
	}

	// Controls: Alain's and Eve's honest signed mail, and a whole message Eve signed with OpenSSL.
	mustRun(t, pa, "Bonjour Marie", "send", "--to", marie, "--subject", "c1 honest Alain", "--sign", "--no-encrypt")
	honestEve := []byte("From: Eve Kask <" + eve + ">\r\nTo: " + marie + "\r\nSubject: c2 honest Eve\r\nDate: " + now.Format(time.RFC1123Z) +
		"\r\nMIME-Version: 1.0\r\n\r\nHello from Eve.\r\n")
	signed, err := smime.SignMessage(honestEve, eveID, smime.SignOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := submitAs(t, n.handout(eve), eve, []string{marie}, signed); err != nil {
		t.Fatal(err)
	}
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.eml")
	if err := os.WriteFile(whole, []byte("From: Eve Kask <"+eve+">\r\nTo: "+marie+"\r\nSubject: c3 openssl whole message\r\nContent-Type: text/plain\r\n\r\nSigned by openssl.\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keyPEM, certPEM, chainPEM := filepath.Join(dir, "eve.key"), filepath.Join(dir, "eve.crt"), filepath.Join(dir, "chain.crt")
	writeIdentityPEM(t, eveID, keyPEM, certPEM, chainPEM)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := testenv.Run(ctx, nil, openssl, "smime", "-sign", "-in", whole, "-signer", certPEM, "-inkey", keyPEM, "-certfile", chainPEM, "-md", "sha256")
	if err != nil {
		t.Fatal(err)
	}
	// openssl writes no To or Subject outside: the envelope carries it, and the outer header is what openssl made.
	if err := submitAs(t, n.handout(eve), eve, []string{marie}, out); err != nil {
		t.Fatal(err)
	}

	rows := fetchAll(t, pm, len(hostile)+3)
	for _, r := range rows {
		var v struct {
			showReport
			FromProblem string `json:"from_problem"`
			Reason      string `json:"reason"`
		}
		jsonOutCode(t, pm, &v, "messages", "show", r.ID)
		lower := strings.ToLower(r.From + " " + v.From)
		switch {
		case r.Subject == "c1 honest Alain":
			if r.Signature != "valid" || v.Signer != strings.ToLower(alain) || !strings.Contains(lower, strings.ToLower(alain)) {
				t.Errorf("control %q: %s from %q signer %q", r.Subject, r.Signature, r.From, v.Signer)
			}
		case r.Subject == "c2 honest Eve" || strings.Contains(v.Text, "Signed by openssl."):
			if r.Signature != "valid" || v.Signature != "valid" || !strings.Contains(lower, strings.ToLower(eve)) || strings.Contains(r.From, mailheader.FlagOtherAddress) {
				t.Errorf("control %q: %s / %s from %q (%s)", r.Subject, r.Signature, v.Signature, r.From, v.Reason)
			}
		default:
			if strings.Contains(lower, strings.ToLower(alain)) {
				t.Errorf("%q: shown as from %q / %q (%s)", r.Subject, r.From, v.From, r.Signature)
			}
			if (r.Signature == "valid" || v.Signature == "valid") && (v.Signer != strings.ToLower(eve) || !strings.HasPrefix(r.From, "Eve Kask <"+strings.ToLower(eve)+">")) {
				t.Errorf("%q: valid, signer %q, shown as %q", r.Subject, v.Signer, r.From)
			}
			if (strings.Contains(r.Subject, "display name") || strings.Contains(r.Subject, "encoded word")) && !strings.Contains(r.From, mailheader.FlagOtherAddress) {
				t.Errorf("%q: shown as %q: the flag is missing", r.Subject, r.From)
			}
			if r.Signature != v.Signature {
				t.Errorf("%q: the list says %s, the reader %s", r.Subject, r.Signature, v.Signature)
			}
			t.Logf("%-40s %-16s %-18s %s", r.Subject, v.Signature, v.FromProblem, r.From)
		}
	}
}

// writeIdentityPEM writes a Digital ID's key, certificate and authority chain as PEM files for openssl.
func writeIdentityPEM(t *testing.T, id *identity.Identity, keyFile, certFile, chainFile string) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(id.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	var chain []byte
	for _, c := range id.Chain {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	for file, data := range map[string][]byte{
		keyFile:   pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		certFile:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: id.Certificate.Raw}),
		chainFile: chain,
	} {
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
