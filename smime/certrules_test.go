package smime

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"strings"
	"testing"
	"time"

	"securemail/smime/sign"
	"securemail/smime/trust"
	"securemail/testnet/testca"
)

// TestOpenCertificateRules: a signer's Digital ID that is an authority's
// certificate, has an RSA key under 2048 bits or a key on another curve
// than P-256/384/521, and a signature over content that is not id-data,
// are never valid, each with its own problem and sentence; the controls
// next to them are valid.
func TestOpenCertificateRules(t *testing.T) {
	w := newWorld(t)
	const addr = "Marie.Curie@tcn.f.eu-admin.net"
	roots := []*x509.Certificate{w.ca.Root}
	msg := sampleMessage(addr)
	key := func(k crypto.Signer, err error) crypto.Signer {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	signWith := func(t *testing.T, o testca.IssueOptions) []byte {
		t.Helper()
		o.Email = addr
		p := w.issue(t, o)
		out, err := SignMessage(msg, p.id, SignOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// An opaque signature by a sound Digital ID over the MIME entity, but
	// labelled as another content type (id-ct-TSTInfo, a time-stamp token).
	otherType := func(t *testing.T) []byte {
		t.Helper()
		p := w.issue(t, testca.IssueOptions{Email: addr, Key: testca.P256})
		der, err := sign.Sign(signedContent(t, msg), p.id.PrivateKey.(crypto.Signer), p.id.Certificate,
			sign.Options{Chain: p.id.Chain, ContentType: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}})
		if err != nil {
			t.Fatal(err)
		}
		outer, _ := splitMessage(toCRLF(msg))
		return pkcs7MimeEntity(outer, "signed-data", "S/MIME Signed Message", der)
	}
	cases := []struct {
		name     string
		msg      func(t *testing.T) []byte
		status   string
		problem  string
		sentence string
	}{
		{"control RSA-2048", func(t *testing.T) []byte { return signWith(t, testca.IssueOptions{Key: testca.RSA2048}) },
			StatusValid, "", "— valid."},
		{"control P-384", func(t *testing.T) []byte { return signWith(t, testca.IssueOptions{Key: testca.P384}) },
			StatusValid, "", "— valid."},
		{"leaf is an authority", func(t *testing.T) []byte { return signWith(t, testca.IssueOptions{Key: testca.P256, CA: true}) },
			StatusUntrusted, string(trust.NotEndEntity), "with the Digital ID of an authority (CA), not of a person"},
		{"RSA-1024", func(t *testing.T) []byte {
			return signWith(t, testca.IssueOptions{PrivateKey: key(rsa.GenerateKey(rand.Reader, 1024))})
		}, StatusWeakAlgorithm, string(trust.WeakKey), "with a 1024-bit RSA key, too weak to prove who sent it"},
		{"P-224", func(t *testing.T) []byte {
			return signWith(t, testca.IssueOptions{PrivateKey: key(ecdsa.GenerateKey(elliptic.P224(), rand.Reader))})
		}, StatusWeakAlgorithm, string(trust.UnsupportedCurve), "only RSA and the curves P-256, P-384 and P-521"},
		{"content that is not id-data", otherType,
			StatusInvalid, ProblemContentType, "what was signed is not an e-mail message (content type 1.2.840.113549.1.9.16.1.4)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Open(c.msg(t), OpenOptions{Roots: roots})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if r.Signature != c.status || r.Problem != c.problem || !strings.Contains(r.Reason, c.sentence) {
				t.Fatalf("signature %q problem %q reason %q; want %q %q with %q", r.Signature, r.Problem, r.Reason, c.status, c.problem, c.sentence)
			}
		})
	}
}

// TestOpenJudgedAtArrival: a signature is judged when the message reached
// us, not at the signing time it claims. Mail valid on arrival stays valid
// after the Digital ID expires; mail signed with an ID that had expired
// when it arrived is expired, with the dates, even when it claims to have
// been signed while the ID was valid.
func TestOpenJudgedAtArrival(t *testing.T) {
	w := newWorld(t)
	const addr = "Marie.Curie@tcn.f.eu-admin.net"
	roots := []*x509.Certificate{w.ca.Root}
	now := time.Now().UTC().Truncate(time.Second)
	// A Digital ID valid from 40 days ago until 10 days ago.
	p := w.issue(t, testca.IssueOptions{Email: addr, Key: testca.P256, NotBefore: now.AddDate(0, 0, -40), Days: 30})
	signedAt := now.AddDate(0, 0, -20) // while it was valid
	msg, err := SignMessage(withDate(sampleMessage(addr), signedAt), p.id, SignOptions{Now: signedAt})
	if err != nil {
		t.Fatal(err)
	}
	day := func(t time.Time) string { return t.UTC().Format("2 January 2006") }
	expiredOn := day(p.id.Certificate.NotAfter)

	t.Run("arrived while valid, read after expiry", func(t *testing.T) {
		arrived := signedAt.Add(time.Minute)
		r, _ := Open(msg, OpenOptions{Roots: roots, Now: now, Arrived: arrived})
		if r.Signature != StatusValid || !strings.Contains(r.Reason, "valid when the message reached us on "+day(arrived)) ||
			!strings.Contains(r.Reason, "expired since, on "+expiredOn) {
			t.Fatalf("%s: %s", r.Signature, r.Reason)
		}
		if r.ClaimedSigningTime != signedAt.Format(time.RFC3339) || r.JudgedAt != arrived.Format(time.RFC3339) {
			t.Errorf("signing_time %q judged_at %q", r.ClaimedSigningTime, r.JudgedAt)
		}
	})
	t.Run("arrived after expiry, claiming an earlier signing time", func(t *testing.T) {
		arrived := now.AddDate(0, 0, -5)
		r, _ := Open(msg, OpenOptions{Roots: roots, Now: now, Arrived: arrived})
		want := "whose Digital ID expired on " + expiredOn + ", before the message reached us on " + day(arrived) + "."
		if r.Signature != StatusExpired || r.Problem != string(trust.Expired) || !strings.Contains(r.Reason, want) ||
			!strings.Contains(r.Reason, "claims to have been made on "+day(signedAt)) {
			t.Fatalf("%s %s: %s", r.Signature, r.Problem, r.Reason)
		}
	})
	t.Run("no arrival time: judged now, whatever it claims", func(t *testing.T) {
		r, _ := Open(msg, OpenOptions{Roots: roots, Now: now})
		if r.Signature != StatusExpired || !strings.Contains(r.Reason, "expired on "+expiredOn+" (judged on "+day(now)+")") {
			t.Fatalf("%s: %s", r.Signature, r.Reason)
		}
		if r.JudgedAt != now.Format(time.RFC3339) {
			t.Errorf("judged_at %q", r.JudgedAt)
		}
	})
	t.Run("signed after it arrived", func(t *testing.T) {
		arrived := signedAt.Add(-time.Hour)
		r, _ := Open(msg, OpenOptions{Roots: roots, Now: now, Arrived: arrived})
		if r.Signature != StatusInvalid || r.Problem != ProblemFutureSigningTime || !strings.Contains(r.Reason, "after the message reached us") {
			t.Fatalf("%s %s: %s", r.Signature, r.Problem, r.Reason)
		}
	})
}
