package sign

import (
	"errors"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse and then Verify on whatever
// parsed: neither may panic, and every error must be one of the sentinels.
// Seeds: Thunderbird's NSS-made signatures here, OpenSSL-made ones (BER,
// RSA-PSS, ECDSA with a key identifier, no attributes) in testdata/fuzz.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"alice.mime.dsig.SHA1", "alice.mime.dsig.SHA256", "alice.textplain.sig.SHA384"} {
		f.Add(readCorpus(f, name))
	}
	sentinels := []error{ErrDigestMismatch, ErrBadSignature, ErrContentTypeMismatch, ErrSignerNotFound, ErrUnsupportedAlgorithm, ErrMalformed}
	known := func(err error) bool {
		for _, s := range sentinels {
			if errors.Is(err, s) {
				return true
			}
		}
		return false
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sd, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse error without ErrMalformed: %v", err)
			}
			return
		}
		content := sd.Content
		if content == nil {
			content = []byte("detached content")
		}
		for _, s := range sd.Signers {
			if err := s.Verify(content, sd.Certificates); err != nil && !known(err) {
				t.Fatalf("Verify error without a sentinel: %v", err)
			}
		}
	})
}
