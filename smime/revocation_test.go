package smime

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"securemail/smime/crl"
	"securemail/testnet/testca"
)

// TestOpenRevokedSigner: a message signed with a Digital ID revoked for a
// key compromise reads INVALID with the date and the reason, even when the
// revocation is dated after the judged moment; with no CRL, or with a
// superseded revocation after that moment, it stays valid.
func TestOpenRevokedSigner(t *testing.T) {
	w := newWorld(t)
	const jan = "Jan.Peeters@tcn.b.eu-admin.net"
	p := w.issue(t, testca.IssueOptions{Email: jan, Key: testca.P256})
	now := time.Now()
	msg := strings.Replace(string(sampleMessage(jan)), "Mon, 02 Mar 2026 10:02:00 +0000", now.Format(time.RFC1123Z), 1)
	signed, err := SignMessage([]byte(msg), p.id, SignOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	list := func(reason crl.Reason, at time.Time) *x509.RevocationList {
		t.Helper()
		der, err := w.ca.NewCRL([]testca.Revocation{{Serial: p.id.Certificate.SerialNumber.Text(16), At: at, Reason: reason}}, 1, now)
		if err != nil {
			t.Fatal(err)
		}
		l, err := crl.Parse(der)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	later := now.Add(48 * time.Hour).Truncate(time.Second)
	for _, c := range []struct {
		name   string
		crls   []*x509.RevocationList
		status string
		reason string
	}{
		{"no CRL", nil, StatusValid, "— valid."},
		{"superseded after the judged moment", []*x509.RevocationList{list(crl.Superseded, later)}, StatusValid, "— valid."},
		{"superseded before", []*x509.RevocationList{list(crl.Superseded, now.Add(-time.Hour).Truncate(time.Second))}, StatusInvalid,
			"Signature INVALID: " + strings.ToLower(jan) + "'s Digital ID was revoked on " + now.Add(-time.Hour).Truncate(time.Second).UTC().Format("2 January 2006 15:04 MST") + " (it was replaced by a new one)."},
		{"key compromise after the judged moment", []*x509.RevocationList{list(crl.KeyCompromise, later)}, StatusInvalid,
			"Signature INVALID: " + strings.ToLower(jan) + "'s Digital ID was revoked on " + later.UTC().Format("2 January 2006 15:04 MST") + " (its key was compromised)."},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Open(signed, OpenOptions{Roots: []*x509.Certificate{w.ca.Root}, Now: now, CRLs: c.crls})
			if err != nil {
				t.Fatal(err)
			}
			if r.Signature != c.status || !strings.Contains(r.Reason, c.reason) {
				t.Fatalf("got %q: %q; want %q: %q", r.Signature, r.Reason, c.status, c.reason)
			}
		})
	}
}
