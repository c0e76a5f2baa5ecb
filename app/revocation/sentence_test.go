package revocation

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"

	"securemail/smime/crl"
)

// TestSentencesAreTheirPhrases: the sentences the command line prints for
// a refused list are unchanged, and each is its phrase in English (the
// window renders the phrase in its language).
func TestSentencesAreTheirPhrases(t *testing.T) {
	for _, c := range []struct {
		err       error
		key, want string
	}{
		{crl.ErrNotCRL, "revocation.notcrl", "This file is not a certificate revocation list (.crl, DER or PEM); nothing was imported."},
		{crl.ErrTooLarge, "revocation.notcrl", "This file is not a certificate revocation list (.crl, DER or PEM); nothing was imported."},
		{crl.ErrUnknownIssuer, "revocation.unknownissuer", "This revocation list was issued by an authority this profile does not know; trust its Root CA or install its chain first."},
		{crl.ErrBadSignature, "revocation.badsignature", "This revocation list names a known authority, but its signature does not verify: it may be forged; nothing was imported."},
		{fmt.Errorf("%w (kept: issued 1 May 2026 10:00 UTC)", ErrOlder), "revocation.older", "A newer revocation list from this authority is already kept; nothing was imported."},
		{fmt.Errorf("%w: http://crl.invalid/ did not answer", ErrUnreachable), "revocation.unreachable", "The revocation list could not be fetched from its distribution point."},
	} {
		s, ok := Sentence(c.err)
		p, pok := SentencePhrase(c.err)
		if !ok || !pok || s != c.want || p.Key != c.key || p.String() != s {
			t.Errorf("%v: %q (%v), phrase %+v; want %q", c.err, s, ok, p, c.want)
		}
	}
	if _, ok := SentencePhrase(errors.New("disk full")); ok {
		t.Error("an error of another package has a revocation sentence")
	}
}

// TestSummaryIsItsPhrase: the summary of an imported list reads as before
// for none, one and several Digital IDs revoked, and is its phrase.
func TestSummaryIsItsPhrase(t *testing.T) {
	next := time.Date(2026, 12, 11, 9, 30, 0, 0, time.UTC)
	for n, want := range map[int]string{
		0: "Revocation list of TESTA Test EC CA imported: 0 Digital IDs revoked; next update 11 December 2026.",
		1: "Revocation list of TESTA Test EC CA imported: 1 Digital ID revoked; next update 11 December 2026.",
		3: "Revocation list of TESTA Test EC CA imported: 3 Digital IDs revoked; next update 11 December 2026.",
	} {
		k := Kept{List: &x509.RevocationList{NextUpdate: next}, Authority: &x509.Certificate{Subject: pkix.Name{CommonName: "TESTA Test EC CA"}}}
		for i := range n {
			k.List.RevokedCertificateEntries = append(k.List.RevokedCertificateEntries, x509.RevocationListEntry{SerialNumber: big.NewInt(int64(i + 1))})
		}
		if got := k.Summary(); got != want || k.SummaryPhrase().String() != got {
			t.Errorf("%d revoked: %q, want %q", n, got, want)
		}
	}
}
