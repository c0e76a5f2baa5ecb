package addressbook

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"securemail/app/profile"
	"securemail/smime/identity"
	"securemail/smime/trust"
	"securemail/testnet/testca"
)

const marie = "Marie.Curie@tcn.f.eu-admin.net"

func setup(t *testing.T) (*Book, *testca.CA, Trust) {
	t.Helper()
	p, err := profile.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	// The CA predates the expired Digital IDs the tests issue.
	ca, err := testca.New(testca.WithCAValidity(time.Now().AddDate(-1, 0, 0), 3650))
	if err != nil {
		t.Fatal(err)
	}
	return b, ca, Trust{Roots: []*x509.Certificate{ca.Root}, Intermediates: []*x509.Certificate{ca.Intermediate}, Now: time.Now()}
}

func issue(t *testing.T, ca *testca.CA, o testca.IssueOptions) *testca.Issued {
	t.Helper()
	is, err := ca.Issue(o)
	if err != nil {
		t.Fatal(err)
	}
	return is
}

func weakRSA(t *testing.T) crypto.Signer {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func p224(t *testing.T) crypto.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestNoDigitalIDThenValid(t *testing.T) {
	b, ca, tr := setup(t)
	c, _ := b.GetOrNew(marie)
	if v := Evaluate(c, tr); v.Status != None || !strings.Contains(v.Reason, "has no Digital ID yet") {
		t.Fatalf("empty contact: %+v", v)
	}
	is := issue(t, ca, testca.IssueOptions{Email: marie})
	if _, err := b.AddDigitalID("", is.Certificate, is.Chain, nil); err != nil {
		t.Fatal(err)
	}
	c, err := b.Get("marie.curie@TCN.F.EU-ADMIN.NET")
	if err != nil {
		t.Fatal(err)
	}
	v := Evaluate(c, tr)
	if v.Status != Valid || v.Usable == nil {
		t.Fatalf("valid Digital ID: %+v", v)
	}
	// Adding the same Digital ID again does not duplicate it.
	b.AddDigitalID("", is.Certificate, is.Chain, nil)
	c, _ = b.Get(marie)
	if len(c.DigitalIDs) != 1 {
		t.Fatalf("%d Digital IDs after adding one twice", len(c.DigitalIDs))
	}
}

func TestRedXReasons(t *testing.T) {
	b, ca, tr := setup(t)
	other, _ := testca.New()
	for _, tc := range []struct {
		name    string
		issued  *testca.Issued
		problem trust.Problem
		says    string
	}{
		{"expired", issue(t, ca, testca.IssueOptions{Email: "Exp.Ired@tcn.b.eu-admin.net", NotBefore: time.Now().AddDate(0, -2, 0), Days: 30}), trust.Expired, "expired"},
		{"untrusted", issue(t, other, testca.IssueOptions{Email: "Un.Trusted@tcn.b.eu-admin.net"}), trust.Untrusted, "not trusted"},
		{"wrong usage", issue(t, ca, testca.IssueOptions{Email: "Sign.Only@tcn.b.eu-admin.net", KeyUsage: x509.KeyUsageDigitalSignature}), trust.WrongUsage, ""},
		{"an authority's certificate", issue(t, ca, testca.IssueOptions{Email: "Ca.Leaf@tcn.b.eu-admin.net", Key: testca.P256, CA: true}),
			trust.NotEndEntity, "an authority's certificate (ca)"},
		{"RSA-1024", issue(t, ca, testca.IssueOptions{Email: "Rsa.Short@tcn.b.eu-admin.net", PrivateKey: weakRSA(t)}),
			trust.WeakKey, "1024-bit rsa key"},
		{"P-224", issue(t, ca, testca.IssueOptions{Email: "Curve.Odd@tcn.b.eu-admin.net", PrivateKey: p224(t)}),
			trust.UnsupportedCurve, "curve p-224"},
	} {
		addr := tc.issued.Certificate.EmailAddresses[0]
		if _, err := b.AddDigitalID("", tc.issued.Certificate, tc.issued.Chain, nil); err != nil {
			t.Fatal(err)
		}
		c, _ := b.Get(addr)
		v := Evaluate(c, tr)
		if v.Status != Invalid || v.IDs[0].Problem != tc.problem {
			t.Errorf("%s: status %s problem %s (%s)", tc.name, v.Status, v.IDs[0].Problem, v.Reason)
		}
		if v.Reason == "" || (tc.says != "" && !strings.Contains(strings.ToLower(v.Reason), tc.says)) {
			t.Errorf("%s: reason %q does not say %q", tc.name, v.Reason, tc.says)
		}
	}
}

func TestDefaultAndRemove(t *testing.T) {
	b, ca, tr := setup(t)
	old := issue(t, ca, testca.IssueOptions{Email: marie, NotBefore: time.Now().AddDate(0, -2, 0), Days: 30})
	cur := issue(t, ca, testca.IssueOptions{Email: marie})
	b.AddDigitalID("", old.Certificate, old.Chain, nil)
	b.AddDigitalID("", cur.Certificate, cur.Chain, nil)
	c, _ := b.Get(marie)
	if len(c.DigitalIDs) != 2 || !c.Default().Certificate().Equal(cur.Certificate) {
		t.Fatal("the newest Digital ID is not the default")
	}
	// An expired default still leaves the contact usable through the valid one.
	if err := b.SetDefault(marie, identity.Fingerprint(old.Certificate)); err != nil {
		t.Fatal(err)
	}
	c, _ = b.Get(marie)
	if v := Evaluate(c, tr); v.Status != Valid || !v.Usable.Certificate().Equal(cur.Certificate) {
		t.Fatalf("with an expired default: %+v", v)
	}
	if err := b.RemoveDigitalID(marie, identity.Fingerprint(cur.Certificate)); err != nil {
		t.Fatal(err)
	}
	c, _ = b.Get(marie)
	if v := Evaluate(c, tr); v.Status != Invalid || !strings.Contains(v.Reason, "expired") {
		t.Fatalf("after removing the valid one: %+v", v)
	}
	if err := b.Remove(marie); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(marie); !errors.Is(err, ErrNoContact) {
		t.Fatalf("after Remove: %v", err)
	}
}

func TestImportExportP7B(t *testing.T) {
	b, ca, tr := setup(t)
	is := issue(t, ca, testca.IssueOptions{Email: marie, Key: testca.P256})
	p7b, err := identity.EncodeP7B(append([]*x509.Certificate{is.Certificate}, is.Chain...))
	if err != nil {
		t.Fatal(err)
	}
	added, err := b.Import(p7b)
	if err != nil || len(added) != 1 || !strings.EqualFold(added[0], marie) {
		t.Fatalf("Import: %v %v", added, err)
	}
	c, _ := b.Get(marie)
	if v := Evaluate(c, Trust{Roots: tr.Roots, Now: tr.Now}); v.Status != Valid {
		t.Fatalf("imported with its chain, without a stored EC CA: %+v", v)
	}
	out, err := b.Export(marie)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := identity.ParseCertificates(out)
	if err != nil || len(certs) < 2 || !certs[0].Equal(is.Certificate) {
		t.Fatalf("Export: %d certs, %v", len(certs), err)
	}
	if _, err := b.Import(ca.Root.Raw); err == nil {
		t.Error("importing a lone root added a contact")
	}
}

func TestExpiringSoon(t *testing.T) {
	_, ca, _ := setup(t)
	soon := issue(t, ca, testca.IssueOptions{Email: marie, NotBefore: time.Now().AddDate(0, 0, -25), Days: 30})
	later := issue(t, ca, testca.IssueOptions{Email: marie})
	if !ExpiringSoon(soon.Certificate, time.Now()) || ExpiringSoon(later.Certificate, time.Now()) {
		t.Fatal("ExpiringSoon is wrong")
	}
}

// TestOneSpellingWithNames: a Digital ID for jan.peeters@… and a message
// from "Jan Peeters <Jan.Peeters@…>" are one person in the address book,
// listed once, named, under the spelling people write (issue 14 point 6);
// a second add of the same Digital ID is not new.
func TestOneSpellingWithNames(t *testing.T) {
	b, ca, _ := setup(t)
	const lower, written = "jan.peeters@tcn.b.eu-admin.net", "Jan.Peeters@tcn.b.eu-admin.net"
	is := issue(t, ca, testca.IssueOptions{Email: lower, Name: "Jan Peeters"})
	f, err := b.AddDigitalID("", is.Certificate, is.Chain, nil)
	if err != nil || len(f.New) != 1 {
		t.Fatalf("first add: %+v, %v; want one new address", f, err)
	}
	if err := b.Learn(written, "Jan Peeters"); err != nil {
		t.Fatal(err)
	}
	if f, _ := b.AddDigitalID("", is.Certificate, is.Chain, nil); len(f.New) != 0 || len(f.Addresses) != 1 {
		t.Fatalf("second add of the same Digital ID: %+v; want it filed, not new", f)
	}
	cs, err := b.List()
	if err != nil || len(cs) != 1 {
		t.Fatalf("%d contacts (%v) for one person", len(cs), err)
	}
	if cs[0].Address != written || cs[0].Name != "Jan Peeters" {
		t.Fatalf("listed as %q named %q; want %q named Jan Peeters", cs[0].Address, cs[0].Name, written)
	}
	// A message from someone not in the address book adds no one.
	if err := b.Learn("Someone.Else@tcn.b.eu-admin.net", "Someone"); err != nil {
		t.Fatal(err)
	}
	if cs, _ := b.List(); len(cs) != 1 {
		t.Fatalf("%d contacts after a stranger's message", len(cs))
	}
	// A certificate whose common name is the address gives no name.
	other := issue(t, ca, testca.IssueOptions{Email: marie})
	b.AddDigitalID("", other.Certificate, other.Chain, nil)
	if c, _ := b.Get(marie); c.Name != "" {
		t.Fatalf("name %q taken from a common name that is the address", c.Name)
	}
	if got := Spelling(written, "Marie.Curie@tcn.f.eu-admin.net"); got != written {
		t.Fatalf("Spelling of two different addresses gave %q", got)
	}
}

// TestWatchSeesNewDigitalIDs: a watcher hears of a Digital ID added (by a
// fetch or an import) and of a contact removed, and no more once stopped —
// what lets an open composer learn at once that a key arrived (issue 14
// point 1).
func TestWatchSeesNewDigitalIDs(t *testing.T) {
	b, ca, _ := setup(t)
	var heard int
	stop := b.Watch(func() { heard++ })
	is := issue(t, ca, testca.IssueOptions{Email: marie})
	if _, err := b.AddDigitalID("", is.Certificate, is.Chain, nil); err != nil {
		t.Fatal(err)
	}
	if heard == 0 {
		t.Fatal("adding a Digital ID told no watcher")
	}
	heard = 0
	if _, err := b.Import(is.Certificate.Raw); err != nil {
		t.Fatal(err)
	}
	if err := b.Remove(marie); err != nil {
		t.Fatal(err)
	}
	if heard < 2 {
		t.Fatalf("an import and a removal told the watcher %d times", heard)
	}
	stop()
	heard = 0
	b.AddDigitalID("", is.Certificate, is.Chain, nil)
	if heard != 0 {
		t.Fatal("a stopped watcher was still told")
	}
}
