package sign

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// corpus is Thunderbird's S/MIME test data (MPL-2.0, see its LICENCE-NOTE.md).
const corpus = "../testdata/thunderbird/smime"

func readCorpus(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// signaturePart returns the decoded application/pkcs7-signature (or
// pkcs7-mime) part of a small MIME file: the base64 lines after the blank
// line that follows the "S/MIME Cryptographic Signature" header, up to the
// next boundary. It is a test helper, not a MIME parser.
func signaturePart(t testing.TB, mime []byte) []byte {
	t.Helper()
	mime = bytes.ReplaceAll(mime, []byte("\r\n"), []byte("\n"))
	i := bytes.Index(mime, []byte("Content-Description: S/MIME Cryptographic Signature\n"))
	if i < 0 {
		t.Fatal("no signature part")
	}
	body := mime[i:]
	body = body[bytes.Index(body, []byte("\n\n"))+2:]
	if end := bytes.Index(body, []byte("\n--")); end >= 0 {
		body = body[:end]
	}
	der, err := base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields(body), nil)))
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestThunderbirdCorpus verifies NSS-made signatures (BER, indefinite
// lengths) from Thunderbird's corpus at the CMS level.
func TestThunderbirdCorpus(t *testing.T) {
	signed := readCorpus(t, "alice.mime") // the multipart/signed first part, CRLF
	for _, tc := range []struct {
		file   string
		digest crypto.Hash
	}{
		{"alice.dsig.SHA1.multipart", crypto.SHA1},
		{"alice.dsig.SHA256.multipart", crypto.SHA256},
		{"alice.dsig.SHA384.multipart", crypto.SHA384},
		{"alice.dsig.SHA512.multipart", crypto.SHA512},
		{"alice.dsig.SHA256.multipart.eml", crypto.SHA256},
	} {
		t.Run(tc.file, func(t *testing.T) {
			sd, err := Parse(signaturePart(t, readCorpus(t, tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			if sd.Content != nil || len(sd.Signers) != 1 {
				t.Fatalf("want a detached signature with one signer, got %d bytes and %d signers", len(sd.Content), len(sd.Signers))
			}
			s := sd.Signers[0]
			if s.Digest != tc.digest {
				t.Errorf("digest %v, want %v", s.Digest, tc.digest)
			}
			if err := s.Verify(signed, nil); err != nil {
				t.Fatal(err)
			}
			if s.Certificate == nil || s.Certificate.Subject.CommonName != "Alice" {
				t.Errorf("signer %v, want Alice", s.Certificate)
			}
		})
	}
	t.Run("detached signature file", func(t *testing.T) {
		sd, err := Parse(readCorpus(t, "alice.mime.dsig.SHA256"))
		if err != nil {
			t.Fatal(err)
		}
		if err := sd.Signers[0].Verify(signed, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("opaque signature file", func(t *testing.T) {
		sd, err := Parse(readCorpus(t, "alice.textplain.sig.SHA512"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(sd.Content, []byte("Content-Type: text/plain\r\n\r\nThis is a test message")) {
			t.Fatalf("content %q", sd.Content)
		}
		if err := sd.Signers[0].Verify(sd.Content, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("eContent that is not the signed part", func(t *testing.T) {
		// The signature carries its own eContent; against the first MIME
		// part it must fail, as Thunderbird judges it.
		sd, err := Parse(signaturePart(t, readCorpus(t, "alice.dsig.SHA256.multipart.mismatch-econtent")))
		if err != nil {
			t.Fatal(err)
		}
		if sd.Content == nil {
			t.Fatal("the corpus file should carry eContent")
		}
		if err := sd.Signers[0].Verify(signed, nil); !errors.Is(err, ErrDigestMismatch) {
			t.Fatalf("got %v, want ErrDigestMismatch", err)
		}
	})
}
