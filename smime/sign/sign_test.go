package sign

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"securemail/smime/cms"
	"securemail/testnet/testca"
)

// TestSignWritesWhatRecipientsNeed checks the shape of our SignedData: DER,
// both identities' certificates with the chain, the attributes and the
// capabilities RFC 8551 asks for, and a signature that verifies.
func TestSignWritesWhatRecipientsNeed(t *testing.T) {
	f := newFixture(t)
	content := testContent(2000)
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, tc := range []struct {
		is        *testca.Issued
		digest    crypto.Hash
		algorithm string
	}{
		{f.rsa, 0, "RSA PKCS#1 v1.5 with SHA-256"},
		{f.ec, crypto.SHA384, "ECDSA with SHA-384"},
	} {
		t.Run(tc.algorithm, func(t *testing.T) {
			der, err := Sign(content, tc.is.PrivateKey, tc.is.Certificate,
				Options{Digest: tc.digest, SigningTime: when, Chain: tc.is.Chain[:1]})
			if err != nil {
				t.Fatal(err)
			}
			if norm, err := cms.ToDER(der); err != nil || !bytes.Equal(norm, der) {
				t.Fatalf("Sign's output is not DER (%v)", err)
			}
			sd, err := Parse(der)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sd.Content, content) || !sd.ContentType.Equal(cms.OIDData) {
				t.Fatal("the encapsulated content is not the signed content")
			}
			if len(sd.Certificates) != 2 || !slices.ContainsFunc(sd.Certificates, tc.is.Certificate.Equal) ||
				!slices.ContainsFunc(sd.Certificates, f.ca.Intermediate.Equal) {
				t.Fatalf("certificates: %d, want the signer's and the intermediate", len(sd.Certificates))
			}
			s := sd.Signers[0]
			wantDigest := tc.digest
			if wantDigest == 0 {
				wantDigest = crypto.SHA256
			}
			if s.Digest != wantDigest || s.Algorithm != tc.algorithm || !s.SigningTime.Equal(when) {
				t.Errorf("got %v, %q, %v", s.Digest, s.Algorithm, s.SigningTime)
			}
			want := []asn1.ObjectIdentifier{cms.OIDAES256GCM, cms.OIDAES128GCM, cms.OIDAES256CBC, cms.OIDAES128CBC}
			if !slices.EqualFunc(s.Capabilities, want, asn1.ObjectIdentifier.Equal) {
				t.Errorf("capabilities %v, want %v", s.Capabilities, want)
			}
			if s.serial == nil || s.keyID != nil {
				t.Error("the signer is not identified by issuer and serial number")
			}
			if !sortedSet(s.signedAttrs) {
				t.Error("the signed attributes are not in DER order")
			}
			if err := s.Verify(sd.Content, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// sortedSet reports whether the elements of a DER SET are in ascending order.
func sortedSet(der []byte) bool {
	in := cryptobyte.String(der)
	var set cryptobyte.String
	if !in.ReadASN1(&set, cbasn1.SET) {
		return false
	}
	var prev []byte
	for !set.Empty() {
		var el cryptobyte.String
		var tag cbasn1.Tag
		if !set.ReadAnyASN1Element(&el, &tag) || bytes.Compare(prev, el) > 0 {
			return false
		}
		prev = el
	}
	return true
}

// TestSigningTimeEncoding: UTCTime until 2049, GeneralizedTime from 2050
// (RFC 5652 §11.3), and both read back.
func TestSigningTimeEncoding(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		when time.Time
		tag  byte
	}{
		{time.Date(2049, 12, 31, 23, 59, 59, 0, time.UTC), byte(cbasn1.UTCTime)},
		{time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC), byte(cbasn1.GeneralizedTime)},
	} {
		der, err := Sign([]byte("x"), f.ec.PrivateKey, f.ec.Certificate, Options{SigningTime: tc.when, Detached: true})
		if err != nil {
			t.Fatal(err)
		}
		sd, err := Parse(der)
		if err != nil {
			t.Fatal(err)
		}
		s := sd.Signers[0]
		i := bytes.Index(s.signedAttrs, mustOID(cms.OIDAttrSigningTime))
		if i < 0 || s.signedAttrs[i+11+2] != tc.tag {
			t.Errorf("%v: not encoded with tag %d", tc.when, tc.tag)
		}
		if !s.SigningTime.Equal(tc.when) {
			t.Errorf("signing time read back as %v, want %v", s.SigningTime, tc.when)
		}
	}
}

// TestVerifyRejects: each way a signed message can be damaged gives its
// sentinel error, never a panic and never success.
func TestVerifyRejects(t *testing.T) {
	f := newFixture(t)
	content := testContent(1500)
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	good, err := Sign(content, f.rsa.PrivateKey, f.rsa.Certificate, Options{Detached: true, SigningTime: when})
	if err != nil {
		t.Fatal(err)
	}
	edit := func(fn func(der []byte) []byte) []byte { return fn(bytes.Clone(good)) }
	cases := []struct {
		name    string
		der     []byte
		content []byte
		extra   []*x509.Certificate
		want    error
	}{
		{name: "content altered", der: good, content: append(bytes.Clone(content), '\n'), want: ErrDigestMismatch},
		{name: "signing time altered", der: edit(func(d []byte) []byte {
			i := bytes.Index(d, []byte("260304050607Z"))
			d[i+11] = '8'
			return d
		}), content: content, want: ErrBadSignature},
		{name: "signature altered", der: edit(func(d []byte) []byte { d[len(d)-1] ^= 0x40; return d }), content: content, want: ErrBadSignature},
		{name: "signer certificate missing", der: stripCertificates(t, good), content: content, want: ErrSignerNotFound},
		{name: "signer certificate missing, another in the address book", der: stripCertificates(t, good), content: content,
			extra: []*x509.Certificate{f.ec.Certificate, f.ca.Intermediate}, want: ErrSignerNotFound},
		{name: "unsupported digest (SHA-224)", der: edit(func(d []byte) []byte {
			sha224 := mustOID(asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4})
			return bytes.ReplaceAll(d, mustOID(cms.OIDSHA256), sha224)
		}), content: content, want: ErrUnsupportedAlgorithm},
		{name: "unsupported signature algorithm", der: edit(func(d []byte) []byte {
			// rsaEncryption → id-RSAES-OAEP, an encryption algorithm, in the SignerInfo only.
			i := bytes.LastIndex(d, mustOID(cms.OIDRSAEncryption))
			copy(d[i:], mustOID(cms.OIDRSAOAEP))
			return d
		}), content: content, want: ErrUnsupportedAlgorithm},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sd, err := Parse(tc.der)
			if err != nil {
				t.Fatal(err)
			}
			if err := sd.Signers[0].Verify(tc.content, tc.extra); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("signer certificate from the address book", func(t *testing.T) {
		sd, err := Parse(stripCertificates(t, good))
		if err != nil {
			t.Fatal(err)
		}
		if err := sd.Signers[0].Verify(content, []*x509.Certificate{f.rsa.Certificate}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		for n := 0; n < len(good); n += 7 {
			if _, err := Parse(good[:n]); !errors.Is(err, ErrMalformed) {
				t.Fatalf("%d of %d bytes: got %v, want ErrMalformed", n, len(good), err)
			}
		}
	})
	t.Run("not signed data", func(t *testing.T) {
		if _, err := Parse([]byte{0x30, 0x03, 0x06, 0x01, 0x00}); !errors.Is(err, ErrMalformed) ||
			!strings.Contains(err.Error(), "not signed data") {
			t.Fatalf("got %v", err)
		}
	})
}

// TestSignRefuses: Sign will not make signatures a recipient would reject.
func TestSignRefuses(t *testing.T) {
	f := newFixture(t)
	if _, err := Sign([]byte("x"), f.rsa.PrivateKey, f.rsa.Certificate, Options{Digest: crypto.SHA1}); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Errorf("SHA-1: got %v", err)
	}
	if _, err := Sign([]byte("x"), f.ec.PrivateKey, f.rsa.Certificate, Options{}); err == nil ||
		!strings.Contains(err.Error(), "does not belong") {
		t.Errorf("another identity's key: got %v", err)
	}
}

// stripCertificates rebuilds SignedData without its certificates field, as
// a client that sends no certificates would.
func stripCertificates(t *testing.T, der []byte) []byte {
	t.Helper()
	in := cryptobyte.String(der)
	var ci, wrapper, sd cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&oid) ||
		!ci.ReadASN1(&wrapper, tagC0) || !wrapper.ReadASN1(&sd, cbasn1.SEQUENCE) {
		t.Fatal("not SignedData")
	}
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		b.AddASN1(tagC0, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for !sd.Empty() {
					var el cryptobyte.String
					var tag cbasn1.Tag
					sd.ReadAnyASN1Element(&el, &tag)
					if tag != tagC0 {
						b.AddBytes(el)
					}
				}
			})
		})
	})
	return b.BytesOrPanic()
}
