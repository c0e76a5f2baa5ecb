package smime

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"securemail/smime/envelope"
	"securemail/smime/identity"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// party is a test user: a Digital ID and its files on disk for peers.
type party struct {
	id       *identity.Identity
	email    string
	certPEM  string // certificate
	keyPEM   string // private key (PKCS #8)
	chainPEM string // intermediate (no root)
}

// world is a CA with its root on disk.
type world struct {
	ca      *testca.CA
	dir     string
	rootPEM string
}

func newWorld(t testing.TB) *world {
	t.Helper()
	// The CA predates every test certificate, as a real one does.
	ca, err := testca.New(testca.WithCAValidity(time.Now().AddDate(-1, 0, 0), 3650))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	w := &world{ca: ca, dir: dir, rootPEM: filepath.Join(dir, "root.pem")}
	writePEM(t, w.rootPEM, "CERTIFICATE", ca.Root.Raw)
	return w
}

func (w *world) issue(t testing.TB, o testca.IssueOptions) *party {
	t.Helper()
	is, err := w.ca.Issue(o)
	if err != nil {
		t.Fatal(err)
	}
	p := &party{
		id:    &identity.Identity{PrivateKey: is.PrivateKey, Certificate: is.Certificate, Chain: is.Chain},
		email: o.Email,
	}
	base := filepath.Join(w.dir, o.Email+string(o.Key))
	p.certPEM, p.keyPEM, p.chainPEM = base+".crt", base+".key", base+".chain"
	writePEM(t, p.certPEM, "CERTIFICATE", is.Certificate.Raw)
	der, err := x509.MarshalPKCS8PrivateKey(is.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, p.keyPEM, "PRIVATE KEY", der)
	writePEM(t, p.chainPEM, "CERTIFICATE", is.Chain[0].Raw)
	return p
}

func (p *party) key() envelope.Key {
	return envelope.Key{Certificate: p.id.Certificate, PrivateKey: p.id.PrivateKey}
}

func writePEM(t testing.TB, path, typ string, blocks ...[]byte) {
	t.Helper()
	var b bytes.Buffer
	for _, der := range blocks {
		_ = pem.Encode(&b, &pem.Block{Type: typ, Bytes: der})
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// run runs a peer program with a deadline and fails the test on error.
func run(t testing.TB, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := testenv.Run(ctx, stdin, name, args...)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return out
}

// sampleMessage is a message with 8-bit text, trailing white space, a
// "From " line and a binary attachment: everything a relay likes to break.
func sampleMessage(from string) []byte {
	return []byte("From: " + from + "\r\nTo: Jan.Novak@tcn.cz.eu-admin.net\r\nSubject: Dossier 42\r\n" +
		"Date: Mon, 02 Mar 2026 10:02:00 +0000\r\nMessage-ID: <42@tcn.f.eu-admin.net>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n" +
		"--outer\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		"Grüße aus Paris — the card file is attached. \r\nFrom the registry.\r\n" +
		"--outer\r\nContent-Type: application/octet-stream; name=\"card.bin\"\r\nContent-Disposition: attachment; filename=\"card.bin\"\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
		"\x00\x01\x02\xfe\xff card\r\n--outer--\r\n")
}

const sampleText = "Grüße aus Paris — the card file is attached. \r\nFrom the registry."

// signedContent is what SignMessage signs for msg: its canonical entity.
func signedContent(t testing.TB, msg []byte) []byte {
	t.Helper()
	_, inner := splitMessage(toCRLF(msg))
	c, err := canonicalEntity(inner, 0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// innerEntity is what EncryptMessage encrypts for msg.
func innerEntity(msg []byte) []byte {
	_, inner := splitMessage(toCRLF(msg))
	return inner
}

// x509Cert shortens certificate slices in the test tables.
type x509Cert = x509.Certificate

func sha1Sum(b []byte) [20]byte { return sha1.Sum(b) }

// asn1OID shortens capability lists in tests.
type asn1OID = asn1.ObjectIdentifier

// splitMessage cuts a whole message (CRLF) into the header fields that stay
// outside any S/MIME layer (From, To, Subject, Date, Message-ID, …) and the
// MIME entity (its Content-* fields and the body) that the layer protects.
// It copies the body; splitParts, which the package uses, does not.
func splitMessage(msg []byte) (outer []byte, inner []byte) {
	outer, head, body := splitParts(msg)
	return outer, append(head, body...)
}

// pkcs7MimeEntity writes the outer header, then an application/pkcs7-mime
// entity of the given smime-type carrying der in base64.
func pkcs7MimeEntity(outer []byte, smimeType, description string, der []byte) []byte {
	body := base64Lines(der)
	head := pkcs7MimeHeader(outer, smimeType, description)
	return append(append(make([]byte, 0, len(head)+len(body)), head...), body...)
}
