package sign

import (
	"bytes"
	"crypto"
	"errors"
	"testing"
	"time"
)

// TestSignToMatchesSign: the streamed DER over a header and a body given
// apart is byte for byte what Sign returns over them joined (RSA PKCS #1
// v1.5 is deterministic), detached and opaque, and it verifies.
func TestSignToMatchesSign(t *testing.T) {
	f := newFixture(t)
	key := f.rsa.PrivateKey
	head := []byte("Content-Type: text/plain\r\n\r\n")
	body := bytes.Repeat([]byte("Dossier 42: card 12345 reported stolen.\r\n"), 5000)
	joined := append(append([]byte(nil), head...), body...)
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, detached := range []bool{true, false} {
		opts := Options{Detached: detached, SigningTime: at, Chain: f.chain}
		want, err := Sign(joined, key, f.rsa.Certificate, opts)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := SignTo(&got, [][]byte{head, {}, body}, key, f.rsa.Certificate, opts); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("detached=%v: SignTo wrote %d bytes that differ from Sign's %d", detached, got.Len(), len(want))
		}
		sd, err := Parse(got.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		content := joined
		if !detached {
			content = sd.Content
			if !bytes.Equal(content, joined) {
				t.Fatal("opaque SignTo: the encapsulated content is not the parts joined")
			}
		}
		if err := sd.Signers[0].Verify(content, nil); err != nil {
			t.Fatalf("detached=%v: %v", detached, err)
		}
	}
}

// TestSignToWritesNothingOnError: a refused key leaves the writer empty,
// so a command line never prints half a message.
func TestSignToWritesNothingOnError(t *testing.T) {
	f := newFixture(t)
	var out bytes.Buffer
	err := SignTo(&out, [][]byte{[]byte("x")}, f.ec.PrivateKey, f.rsa.Certificate, Options{})
	if err == nil || out.Len() != 0 {
		t.Fatalf("SignTo with another person's key: err %v, %d bytes written", err, out.Len())
	}
	err = SignTo(&out, [][]byte{[]byte("x")}, f.rsa.PrivateKey, f.rsa.Certificate, Options{Digest: crypto.SHA1})
	if !errors.Is(err, ErrUnsupportedAlgorithm) || out.Len() != 0 {
		t.Fatalf("SignTo with SHA-1: err %v, %d bytes written", err, out.Len())
	}
}
