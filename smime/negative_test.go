package smime

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"securemail/smime/envelope"
	"securemail/testnet/testca"
)

// withDate sets the message's Date field, as the composer does when it
// signs.
func withDate(msg []byte, t time.Time) []byte {
	i := bytes.Index(msg, []byte("Date: "))
	j := i + bytes.Index(msg[i:], []byte("\r\n"))
	return append(append(append([]byte{}, msg[:i]...), "Date: "+t.Format(time.RFC1123Z)...), msg[j:]...)
}

// TestOpenNegative: every way a message can be wrong gets its status and a
// reason a person understands, never a panic. (A SHA-1 signature, made by
// OpenSSL, is TestOpenSHA1SignatureIsWeak.)
func TestOpenNegative(t *testing.T) {
	w := newWorld(t)
	now := time.Now().Truncate(time.Second)
	const addr = "Marie.Curie@tcn.f.eu-admin.net"
	good := w.issue(t, testca.IssueOptions{Email: addr, Key: testca.P256})
	other := w.issue(t, testca.IssueOptions{Email: "Jan.Novak@tcn.cz.eu-admin.net"})
	roots := []*x509.Certificate{w.ca.Root}
	msg := withDate(sampleMessage(addr), now)

	sign := func(t *testing.T, p *party, m []byte, o SignOptions) []byte {
		t.Helper()
		if o.Now.IsZero() {
			o.Now = now
		}
		out, err := SignMessage(m, p.id, o)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	type result struct {
		status string
		reason string // a phrase the reason must contain
	}
	cases := []struct {
		name string
		msg  func(t *testing.T) ([]byte, OpenOptions)
		want result
	}{
		{"valid", func(t *testing.T) ([]byte, OpenOptions) {
			return sign(t, good, msg, SignOptions{}), OpenOptions{Roots: roots}
		}, result{StatusValid, "— valid."}},
		{"body altered", func(t *testing.T) ([]byte, OpenOptions) {
			s := sign(t, good, msg, SignOptions{})
			return bytes.Replace(s, []byte("Paris"), []byte("Praha"), 1), OpenOptions{Roots: roots}
		}, result{StatusInvalid, "changed after it was signed"}},
		{"signed attribute altered", func(t *testing.T) ([]byte, OpenOptions) {
			s := sign(t, good, msg, SignOptions{Opaque: true})
			e := parseEntity(s)
			der, _ := decodeBody(e.body, "base64")
			stamp := []byte(now.UTC().Format("060102150405Z"))
			i := bytes.Index(der, stamp)
			if i < 0 {
				t.Fatal("signing time not found in the signature")
			}
			der[i+9] ^= 1 // one second off: still a valid time, no longer signed
			return append(append([]byte{}, s[:len(s)-len(e.body)]...), base64Lines(der)...), OpenOptions{Roots: roots}
		}, result{StatusInvalid, "changed after it was signed"}},
		{"expired", func(t *testing.T) ([]byte, OpenOptions) {
			p := w.issue(t, testca.IssueOptions{Email: addr, NotBefore: now.AddDate(0, 0, -40), Days: 30})
			return sign(t, p, msg, SignOptions{}), OpenOptions{Roots: roots}
		}, result{StatusExpired, "expired on"}},
		{"not yet valid", func(t *testing.T) ([]byte, OpenOptions) {
			p := w.issue(t, testca.IssueOptions{Email: addr, NotBefore: now.AddDate(0, 0, 2), Days: 30})
			return sign(t, p, msg, SignOptions{}), OpenOptions{Roots: roots}
		}, result{StatusExpired, "not valid before"}},
		{"untrusted root", func(t *testing.T) ([]byte, OpenOptions) {
			stranger := newWorld(t)
			return sign(t, good, msg, SignOptions{}), OpenOptions{Roots: []*x509.Certificate{stranger.ca.Root}}
		}, result{StatusUntrusted, "authority you have not trusted"}},
		{"wrong EKU", func(t *testing.T) ([]byte, OpenOptions) {
			p := w.issue(t, testca.IssueOptions{Email: addr, EKU: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
			return sign(t, p, msg, SignOptions{}), OpenOptions{Roots: roots}
		}, result{StatusUntrusted, "not meant for signing e-mail"}},
		{"address mismatch", func(t *testing.T) ([]byte, OpenOptions) {
			return sign(t, other, msg, SignOptions{}), OpenOptions{Roots: roots}
		}, result{StatusAddressMismatch, "but the message says it is from " + addr}},
		{"signing time in the future", func(t *testing.T) ([]byte, OpenOptions) {
			later := now.Add(2 * time.Hour)
			return sign(t, good, withDate(msg, later), SignOptions{Now: later}), OpenOptions{Roots: roots}
		}, result{StatusInvalid, "in the future"}},
		{"signing time far from the Date field does not matter", func(t *testing.T) ([]byte, OpenOptions) {
			return sign(t, good, withDate(msg, now.Add(-6*time.Hour)), SignOptions{}), OpenOptions{Roots: roots}
		}, result{StatusValid, "valid"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, opts := c.msg(t)
			r, err := Open(m, opts)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if r.Signature != c.want.status || !strings.Contains(r.Reason, c.want.reason) {
				t.Fatalf("signature %q, reason %q; want %q with %q", r.Signature, r.Reason, c.want.status, c.want.reason)
			}
			if !r.Signed || r.Signer == "" {
				t.Fatalf("signed %v, signer %q", r.Signed, r.Signer)
			}
		})
	}
}

// TestOpenDecryptionFailures: a message that cannot be decrypted still gives
// a usable report with the sentence to show.
func TestOpenDecryptionFailures(t *testing.T) {
	w := newWorld(t)
	alice := w.issue(t, testca.IssueOptions{Email: "Alice.Martin@tcn.f.eu-admin.net"})
	bob := w.issue(t, testca.IssueOptions{Email: "Bob.Smit@tcn.nl.eu-admin.net", Key: testca.P256})
	enc, err := EncryptMessage(sampleMessage("Bob.Smit@tcn.nl.eu-admin.net"), []*x509.Certificate{alice.id.Certificate}, EncryptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("not a recipient", func(t *testing.T) {
		r, err := Open(enc, OpenOptions{Keys: []envelope.Key{bob.key()}})
		if !errors.Is(err, envelope.ErrNotRecipient) {
			t.Fatalf("error %v, want ErrNotRecipient", err)
		}
		if r == nil || !r.Encrypted || r.Error != "This message is encrypted but none of your Digital IDs can open it." {
			t.Fatalf("report %+v", r)
		}
	})
	t.Run("truncated ciphertext", func(t *testing.T) {
		e := parseEntity(enc)
		cut := enc[:len(enc)-len(e.body)/2]
		r, err := Open(cut, OpenOptions{Keys: []envelope.Key{alice.key()}})
		if err == nil || r == nil || r.Error == "" || r.Text != "" {
			t.Fatalf("truncated message opened: err %v, report %+v", err, r)
		}
	})
	t.Run("not a message", func(t *testing.T) {
		r, err := Open(nil, OpenOptions{})
		if !errors.Is(err, ErrNotMessage) || r.Error == "" {
			t.Fatalf("err %v, report error %q", err, r.Error)
		}
	})
	t.Run("GCM chosen from capabilities", func(t *testing.T) {
		signed, err := SignMessage(sampleMessage(alice.email), alice.id, SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := Open(signed, OpenOptions{Roots: []*x509.Certificate{w.ca.Root}})
		if err != nil {
			t.Fatal(err)
		}
		out, err := EncryptMessage(sampleMessage(bob.email), []*x509.Certificate{alice.id.Certificate}, EncryptOptions{Auto: true, Capabilities: [][]asn1OID{r.Capabilities}})
		if err != nil {
			t.Fatal(err)
		}
		r, err = Open(out, OpenOptions{Keys: []envelope.Key{alice.key()}})
		if err != nil || r.Encryption != string(envelope.AES256GCM) || r.Layers[0] != LayerAuthEnveloped {
			t.Fatalf("err %v, encryption %q layers %v", err, r.Encryption, r.Layers)
		}
		if r.Reason != "Encrypted for you (AES-256-GCM)." || r.Text != sampleText {
			t.Fatalf("reason %q text %q", r.Reason, r.Text)
		}
	})
}
