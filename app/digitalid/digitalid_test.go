package digitalid

import (
	"errors"
	"strings"
	"testing"
	"time"

	"securemail/app/keystore"
	"securemail/app/profile"
	"securemail/smime/identity"
	"securemail/testnet/testca"
)

const marie = "Marie.Curie@tcn.f.eu-admin.net"

type fixture struct {
	w   *Wallet
	ca  *testca.CA
	pfx []byte
}

func newFixture(t *testing.T, email string) *fixture {
	t.Helper()
	p, err := profile.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := keystore.NewSealedFiles(p.Path("sealed"), []byte("test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	ca, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: email})
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := identity.EncodePFX(&identity.Identity{PrivateKey: is.PrivateKey, Certificate: is.Certificate,
		Chain: is.Chain[:1]}, "pw", false)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{w: Open(p, keys), ca: ca, pfx: pfx}
}

func (f *fixture) trustAll(t *testing.T) {
	t.Helper()
	root, err := InspectAuthority(f.ca.Root.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.w.TrustRoot(root, time.Now()); err != nil {
		t.Fatal(err)
	}
	inter, err := InspectAuthority(f.ca.Intermediate.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.w.AddAuthority(inter, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func TestWizardStepsHappyPath(t *testing.T) {
	f := newFixture(t, marie)
	f.trustAll(t)
	id, err := f.w.ImportPFX(f.pfx, "pw", "marie.curie@TCN.F.eu-admin.net", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !id.Current || id.Address != marie {
		t.Fatalf("imported %+v", id)
	}
	cur, err := f.w.Current()
	if err != nil || cur.PrivateKey == nil {
		t.Fatalf("Current: %v", err)
	}
	keys, err := f.w.DecryptionKeys()
	if err != nil || len(keys) != 1 {
		t.Fatalf("DecryptionKeys: %d, %v", len(keys), err)
	}
	p7b, err := f.w.ExportP7B()
	if err != nil {
		t.Fatal(err)
	}
	certs, err := identity.ParseCertificates(p7b)
	if err != nil || len(certs) != 3 {
		t.Fatalf(".p7b holds %d certificates (%v), want leaf, EC CA and root", len(certs), err)
	}
}

func TestIntermediateFirstIsRefused(t *testing.T) {
	f := newFixture(t, marie)
	inter, _ := InspectAuthority(f.ca.Intermediate.Raw)
	var ae *AuthorityError
	if err := f.w.TrustRoot(inter, time.Now()); !errors.As(err, &ae) || ae.Kind != NotRoot {
		t.Fatalf("EC CA accepted as root: %v", err)
	}
	if err := f.w.AddAuthority(inter, time.Now()); !errors.Is(err, ErrNoRootTrusted) {
		t.Fatalf("EC CA without root: %v", err)
	}
}

func TestForeignECCAIsRefused(t *testing.T) {
	f := newFixture(t, marie)
	f.trustAll(t)
	other, _ := testca.New()
	inter, _ := InspectAuthority(other.Intermediate.Raw)
	if err := f.w.AddAuthority(inter, time.Now()); err == nil || !strings.Contains(err.Error(), "not issued by an authority you trust") {
		t.Fatalf("foreign EC CA: %v", err)
	}
}

func TestMailPFXRefusals(t *testing.T) {
	f := newFixture(t, marie)
	// Before the root is trusted the chain cannot be checked.
	if _, err := f.w.ImportPFX(f.pfx, "pw", marie, time.Now()); err == nil {
		t.Fatal("imported a Digital ID from an untrusted authority")
	}
	f.trustAll(t)
	if _, err := f.w.ImportPFX(f.pfx, "wrong", marie, time.Now()); !errors.Is(err, identity.ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	_, err := f.w.ImportPFX(f.pfx, "pw", "Alain.Dupont@tcn.b.eu-admin.net", time.Now())
	if err == nil || !strings.Contains(err.Error(), "is for "+marie) {
		t.Fatalf("address mismatch: %v", err)
	}
	if _, err := f.w.Current(); !errors.Is(err, ErrNoDigitalID) {
		t.Fatalf("a refused import left a Digital ID: %v", err)
	}
}

func TestNewPFXKeepsOldKeys(t *testing.T) {
	f := newFixture(t, marie)
	f.trustAll(t)
	if _, err := f.w.ImportPFX(f.pfx, "pw", marie, time.Now()); err != nil {
		t.Fatal(err)
	}
	is, _ := f.ca.Issue(testca.IssueOptions{Email: marie, NotBefore: time.Now().Add(-time.Minute)})
	pfx2, _ := identity.EncodePFX(&identity.Identity{PrivateKey: is.PrivateKey, Certificate: is.Certificate}, "pw2", false)
	if _, err := f.w.ImportPFX(pfx2, "pw2", marie, time.Now()); err != nil {
		t.Fatal(err)
	}
	ids, _ := f.w.MyIDs()
	keys, _ := f.w.DecryptionKeys()
	if len(ids) != 2 || len(keys) != 2 || !ids[0].Certificate.Equal(is.Certificate) {
		t.Fatalf("after a second import: %d IDs, %d keys", len(ids), len(keys))
	}
}
