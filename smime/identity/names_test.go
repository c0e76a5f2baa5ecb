package identity_test

import (
	"strings"
	"testing"

	"securemail/smime/identity"
	"securemail/testnet/testca"
)

// TestNameTextReadsAsNames: a TESTA certificate's subject (CN plus PKCS #9
// emailAddress) reads "CN=…, Email=…", decoded, where pkix.Name.String
// writes the address as an object identifier with hex bytes.
func TestNameTextReadsAsNames(t *testing.T) {
	const addr = "Marie.Curie@tcn.f.eu-admin.net"
	is, _ := issue(t, addr, testca.P256)
	raw := is.Certificate.Subject.String()
	if !strings.Contains(raw, "1.2.840.113549.1.9.1=#") {
		t.Fatalf("the library's own text %q no longer shows the OID: this test lost its reason", raw)
	}
	got := identity.NameText(is.Certificate.Subject)
	if !strings.Contains(got, "Email="+addr) || strings.Contains(got, "1.2.840") || strings.Contains(got, "#") {
		t.Fatalf("subject reads %q; want Email=%s, no OID or hex", got, addr)
	}
	if cn := is.Certificate.Subject.CommonName; cn != "" && !strings.HasPrefix(got, "CN="+cn) {
		t.Fatalf("subject reads %q; want the common name first", got)
	}
	issuer := identity.NameText(is.Certificate.Issuer)
	if issuer == "" || strings.Contains(issuer, "1.2.840") || !strings.HasPrefix(issuer, "CN="+is.Certificate.Issuer.CommonName+", O=") {
		t.Fatalf("issuer reads %q", issuer)
	}
}
