package testca

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"securemail/smime/crl"
)

// TestRevokePublishesCRL: revoking a tester by address records it in the
// CA folder and writes a CRL, signed by the EC CA, that lists exactly that
// Digital ID with its reason and date; the Digital IDs carry the
// distribution point; a second revocation makes a higher-numbered CRL.
func TestRevokePublishesCRL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	ca, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	const url = "http://127.0.0.1:24000/EC_CA.crl"
	if err := ca.SetCRLURL(url); err != nil {
		t.Fatal(err)
	}
	issue := func(addr string) *x509.Certificate {
		t.Helper()
		is, err := ca.Issue(IssueOptions{Email: addr, Key: P256})
		if err != nil {
			t.Fatal(err)
		}
		return is.Certificate
	}
	jan := issue("Jan.Peeters@tcn.b.eu-admin.net")
	marie := issue("Marie.Curie@tcn.f.eu-admin.net")
	if len(jan.CRLDistributionPoints) != 1 || jan.CRLDistributionPoints[0] != url {
		t.Fatalf("distribution points = %q, want [%s]", jan.CRLDistributionPoints, url)
	}
	// A later `testca issue` on the folder writes the same point.
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.CRLURL != url {
		t.Fatalf("reopened CA: CRL URL %q, want %q", again.CRLURL, url)
	}

	now := time.Now().Truncate(time.Second)
	revs, err := again.Revoke(Select{Email: "jan.peeters@TCN.B.EU-ADMIN.NET"}, crl.KeyCompromise, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 1 || revs[0].Serial != serialHex(jan.SerialNumber) {
		t.Fatalf("revoked %+v, want Jan's Digital ID only", revs)
	}
	l := readCRLFile(t, dir)
	if _, err := crl.Verify(l, []*x509.Certificate{ca.Root, ca.Intermediate}); err != nil {
		t.Fatalf("the CRL does not verify against the EC CA: %v", err)
	}
	e, listed := crl.Lookup(l, jan)
	if !listed || e.Reason != crl.KeyCompromise || !e.At.Equal(now) {
		t.Fatalf("Jan's entry = %+v (listed %v), want keyCompromise at %v", e, listed, now)
	}
	if _, listed := crl.Lookup(l, marie); listed {
		t.Fatal("Marie is listed, but only Jan was revoked")
	}
	if l.Number.Int64() != 1 || !l.NextUpdate.Equal(now.Add(CRLValidity)) {
		t.Fatalf("CRL number %v, nextUpdate %v; want 1 and %v", l.Number, l.NextUpdate, now.Add(CRLValidity))
	}

	if _, err := again.Revoke(Select{Serial: marie.SerialNumber}, crl.Superseded, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	l = readCRLFile(t, dir)
	if l.Number.Int64() != 2 || len(l.RevokedCertificateEntries) != 2 {
		t.Fatalf("second CRL: number %v with %d entries, want 2 and 2", l.Number, len(l.RevokedCertificateEntries))
	}
	if e, _ := crl.Lookup(l, marie); e.Reason != crl.Superseded {
		t.Fatalf("Marie's reason = %v, want superseded", e.Reason)
	}
	// Revoking again keeps the first record (date and reason).
	revs, err = again.Revoke(Select{Email: "Jan.Peeters@tcn.b.eu-admin.net"}, crl.Superseded, now.Add(time.Hour))
	if err != nil || len(revs) != 0 {
		t.Fatalf("revoking twice: %+v, %v; want nothing new", revs, err)
	}
	if e, _ := crl.Lookup(readCRLFile(t, dir), jan); e.Reason != crl.KeyCompromise || !e.At.Equal(now) {
		t.Fatalf("Jan's entry changed to %+v", e)
	}
	if _, err := again.Revoke(Select{Email: "Nobody.Here@tcn.b.eu-admin.net"}, crl.Unspecified, now); !errors.Is(err, ErrNotIssued) {
		t.Fatalf("unknown address: %v, want ErrNotIssued", err)
	}
}

// TestCurrentCRLRenews: the CRL the network publishes is renewed a day
// before its nextUpdate, still listing what was revoked.
func TestCurrentCRLRenews(t *testing.T) {
	ca, err := Open(filepath.Join(t.TempDir(), "ca"))
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(IssueOptions{Email: "Jan.Peeters@tcn.b.eu-admin.net", Key: P256})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := ca.Revoke(Select{Email: "Jan.Peeters@tcn.b.eu-admin.net"}, crl.Unspecified, now); err != nil {
		t.Fatal(err)
	}
	same, err := ca.CurrentCRL(now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	l, err := crl.Parse(same)
	if err != nil || l.Number.Int64() != 1 {
		t.Fatalf("an hour later: CRL %v, %v; want the first one", l, err)
	}
	renewed, err := ca.CurrentCRL(now.Add(CRLValidity - time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	l, err = crl.Parse(renewed)
	if err != nil || l.Number.Int64() != 2 {
		t.Fatalf("near nextUpdate: CRL %v, %v; want number 2", l, err)
	}
	if _, listed := crl.Lookup(l, is.Certificate); !listed {
		t.Fatal("the renewed CRL forgot the revocation")
	}
}

// TestMemoryCARevoke: a CA without a folder keeps no records to revoke.
func TestMemoryCARevoke(t *testing.T) {
	ca, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.Revoke(Select{Email: "a@b"}, crl.Unspecified, time.Now()); !errors.Is(err, ErrNoFolder) {
		t.Fatalf("got %v, want ErrNoFolder", err)
	}
}

func readCRLFile(t *testing.T, dir string) *x509.RevocationList {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, CRLFile))
	if err != nil {
		t.Fatal(err)
	}
	l, err := crl.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
