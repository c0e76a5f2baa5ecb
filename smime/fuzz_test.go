package smime

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzOpen feeds arbitrary bytes to the MIME layer walker: it must never
// panic, and whatever it returns must be a usable report.
func FuzzOpen(f *testing.F) {
	for _, name := range []string{
		"smime/alice.dsig.SHA256.multipart.eml",
		"smime/alice.sig.SHA256.opaque.eml",
		"smime/alice.env.eml",
		"smime-manual/alice.env.mixed.dsig.SHA256.multipart.eml",
	} {
		if data, err := os.ReadFile(filepath.Join(corpusDir, name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/signed; boundary=x; protocol=\"application/pkcs7-signature\"\r\n\r\n--x\r\n\r\nhi\r\n--x\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\nMAA=\r\n--x--\r\n"))
	// RFC 9788 header protection: the signed part carries the header, the outer Subject differs.
	f.Add([]byte("From: a@b\r\nSubject: y\r\nContent-Type: multipart/signed; boundary=x; protocol=\"application/pkcs7-signature\"\r\n\r\n--x\r\nContent-Type: text/plain; hp=\"cipher\"\r\nFrom: a@b\r\nSubject: x\r\nHP-Outer: Subject: [...]\r\n\r\nhi\r\n--x\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\nMAA=\r\n--x--\r\n"))
	f.Add([]byte("Subject: x\n\nContent-Type: multipart/mixed; boundary=\"\"\n\n--\n--"))
	f.Add([]byte("Content-Type: application/pkcs7-mime\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAx"))
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, msg []byte) {
		r, err := Open(msg, OpenOptions{Now: now})
		if r == nil {
			t.Fatalf("nil report (error %v)", err)
		}
		if err != nil && r.Error == "" {
			t.Fatalf("error %v without a sentence in the report", err)
		}
		if r.Signature == StatusValid {
			t.Fatal("a signature was valid without any trusted root")
		}
		if r.Layers == nil || r.Certificates == nil {
			t.Fatal("report lists are nil (JSON would say null)")
		}
	})
}
