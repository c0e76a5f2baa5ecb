//go:build !windows

// OpenSSL verifies our header-protected messages here: opensslVerify, like
// the rest of the interoperability matrix (interop_test.go), runs Linux peers
// and is not built for the Windows test run under Wine.

package smime

import (
	"strings"
	"testing"
	"time"

	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// TestHeaderProtectionOpenSSL: OpenSSL verifies and decrypts our protected
// messages and the content it vouches for holds the protected From and
// Subject.
func TestHeaderProtectionOpenSSL(t *testing.T) {
	testenv.RequireTool(t, "openssl", "openssl")
	w := newWorld(t)
	eve := w.issue(t, testca.IssueOptions{Email: eveAddr, Name: "Eve Kask"})
	now := time.Now().Truncate(time.Second)
	_, enc := sealProtected(t, eve, now)
	inner := run(t, enc, "openssl", "cms", "-decrypt", "-inform", "SMIME", "-recip", eve.certPEM, "-inkey", eve.keyPEM, "-binary")
	got := string(opensslVerify(t, w, inner))
	for _, want := range []string{"hp=cipher", "From: Eve Kask <" + eveAddr + ">", "Subject: Card file 7", "HP-Outer: Subject: [...]"} {
		if !strings.Contains(got, want) {
			t.Errorf("OpenSSL's verified content lacks %q:\n%s", want, got)
		}
	}
}
