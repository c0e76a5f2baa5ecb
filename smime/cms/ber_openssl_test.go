//go:build !windows

// OpenSSL's asn1parse is a Linux peer: not part of the Windows build of the tests.

package cms

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestToDERMatchesOpenSSL converts the BER PKCS#12 files that NSS exports and
// checks that OpenSSL, an independent parser, reads the same structure.
func TestToDERMatchesOpenSSL(t *testing.T) {
	files, _ := filepath.Glob("../testdata/thunderbird/smime/*.p12")
	if len(files) == 0 {
		t.Fatal("corpus .p12 files missing")
	}
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("openssl is required in CI")
		}
		t.Skip("openssl not installed")
	}
	for _, f := range files {
		in, _ := os.ReadFile(f)
		der, err := ToDER(in)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		dump := func(b []byte) string {
			cmd := exec.Command(openssl, "asn1parse", "-inform", "DER", "-i")
			cmd.Stdin = bytes.NewReader(b)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: openssl asn1parse: %v", f, err)
			}
			return string(out)
		}
		if !bytes.Contains([]byte(dump(der)), []byte("pkcs7-data")) {
			t.Errorf("%s: converted file lost its structure", f)
		}
		if bytes.Contains([]byte(dump(der)), []byte("l=inf")) {
			t.Errorf("%s: converted file still has indefinite lengths", f)
		}
	}
}
