// Package revocation keeps a profile's certificate revocation lists
// (docs/SECURITY.md, revocation): lists imported by hand and lists fetched
// from the distribution points written in Digital IDs, each checked against
// the authority that issued it and kept until its nextUpdate, when a newer
// one is fetched.
package revocation

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"securemail/internal/durable"
	"securemail/internal/phrase"
	"securemail/smime/crl"
)

// MaxSize is the largest revocation list file read (smime/crl's bound).
const MaxSize = crl.MaxSize

// FetchTimeout bounds one download from a distribution point: a CRL server
// that does not answer within it counts as unreachable.
const FetchTimeout = 5 * time.Second

// Errors of Import and Refresh, wrapped with the detail.
var (
	// ErrOlder: the list is not newer than the one already kept.
	ErrOlder = errors.New("revocation: a newer revocation list from this authority is already kept")
	// ErrUnreachable: no distribution point gave a usable list.
	ErrUnreachable = errors.New("revocation: the revocation list could not be fetched")
)

// Store is the profile folder's crls/: one DER file per issuing authority,
// named by the authority certificate's SHA-256 fingerprint.
type Store struct {
	dir    string
	now    func() time.Time
	client *http.Client
}

// Open returns the store kept in dir (created when first written). now is
// the clock; client fetches from distribution points (nil: one with
// FetchTimeout that follows no redirect to anything but http).
func Open(dir string, now func() time.Time, client *http.Client) *Store {
	if now == nil {
		now = time.Now
	}
	if client == nil {
		client = &http.Client{Timeout: FetchTimeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Scheme != "http" || len(via) > 3 {
				return fmt.Errorf("revocation: redirected to %s", req.URL.Redacted())
			}
			return nil
		}}
	}
	return &Store{dir: dir, now: now, client: client}
}

// Kept is one list of the store with the authority that signed it.
type Kept struct {
	List      *x509.RevocationList
	Authority *x509.Certificate
}

// Lists returns every list kept, current or not: an older list still says
// what it revoked. Files that no longer verify against authorities (an
// authority no longer trusted) are left out.
func (s *Store) Lists(authorities []*x509.Certificate) ([]Kept, error) {
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("revocation: cannot read the revocation lists: %w", err)
	}
	var out []Kept
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".crl") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(s.dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("revocation: %w", err)
		}
		l, err := crl.Parse(b)
		if err != nil {
			continue // damaged: the next fetch or import replaces it
		}
		if a, err := crl.Verify(l, authorities); err == nil {
			out = append(out, Kept{List: l, Authority: a})
		}
	}
	return out, nil
}

// RevocationLists returns the lists Lists keeps, for smime and trust.
func (s *Store) RevocationLists(authorities []*x509.Certificate) ([]*x509.RevocationList, error) {
	kept, err := s.Lists(authorities)
	out := make([]*x509.RevocationList, 0, len(kept))
	for _, k := range kept {
		out = append(out, k.List)
	}
	return out, err
}

// Import reads a CRL file (DER or PEM), checks that one of authorities
// signed it and keeps it, unless the store already has a newer list from
// that authority (ErrOlder).
func (s *Store) Import(data []byte, authorities []*x509.Certificate) (Kept, error) {
	l, err := crl.Parse(data)
	if err != nil {
		return Kept{}, err
	}
	a, err := crl.Verify(l, authorities)
	if err != nil {
		return Kept{}, err
	}
	path := filepath.Join(s.dir, fileName(a))
	if b, err := os.ReadFile(path); err == nil {
		if old, err := crl.Parse(b); err == nil && old.CheckSignatureFrom(a) == nil && !crl.Newer(l, old) {
			if old.Number != nil && l.Number != nil && old.Number.Cmp(l.Number) == 0 {
				return Kept{List: old, Authority: a}, nil // the same list again
			}
			return Kept{List: old, Authority: a}, fmt.Errorf("%w (kept: issued %s)", ErrOlder, old.ThisUpdate.UTC().Format("2 January 2006 15:04 MST"))
		}
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return Kept{}, fmt.Errorf("revocation: %w", err)
	}
	if err := durable.WriteFile(path, l.Raw, 0o600); err != nil {
		return Kept{}, fmt.Errorf("revocation: cannot keep the revocation list: %w", err)
	}
	return Kept{List: l, Authority: a}, nil
}

// fileName names an authority's list: its certificate's fingerprint.
func fileName(a *x509.Certificate) string {
	sum := sha256.Sum256(a.Raw)
	return hex.EncodeToString(sum[:16]) + ".crl"
}

// Refresh makes sure a current list is kept for each of certs that names
// distribution points: when the list kept from its issuer is missing or
// past its nextUpdate, it is fetched (http only, at most crl.MaxSize,
// FetchTimeout each, within ctx) and checked against authorities. It
// reports whether a new list was kept, and for every certificate whose
// revocation could not be checked against a current list a note "revocation
// not checked: …". An unreachable distribution point is not an error.
func (s *Store) Refresh(ctx context.Context, certs, authorities []*x509.Certificate) (changed bool, notes []string) {
	kept, err := s.Lists(authorities)
	if err != nil {
		return false, []string{"revocation not checked: " + sentence(err)}
	}
	now := s.now()
	seen := map[string]bool{}
	for _, c := range certs {
		if c == nil || len(c.CRLDistributionPoints) == 0 || c.IsCA && isSelfSigned(c) {
			continue
		}
		key := string(c.RawIssuer) + "\x00" + strings.Join(c.CRLDistributionPoints, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		var have *x509.RevocationList
		for _, k := range kept {
			if string(k.List.RawIssuer) == string(c.RawIssuer) && (have == nil || crl.Newer(k.List, have)) {
				have = k.List
			}
		}
		if have != nil && now.Before(have.NextUpdate) {
			continue
		}
		got, err := s.fetchAny(ctx, c.CRLDistributionPoints, authorities)
		if err == nil {
			changed = true
			kept = append(kept, got)
			continue
		}
		name := c.Subject.CommonName
		if len(c.EmailAddresses) > 0 {
			name = c.EmailAddresses[0]
		}
		note := fmt.Sprintf("revocation not checked: the revocation list for %s could not be fetched (%s)", name, sentence(err))
		if have != nil {
			note += fmt.Sprintf("; the last one kept, issued %s, was used", have.ThisUpdate.UTC().Format("2 January 2006"))
		}
		notes = append(notes, note+".")
	}
	return changed, notes
}

// fetchAny tries each http distribution point in turn and keeps the first
// list that verifies.
func (s *Store) fetchAny(ctx context.Context, points []string, authorities []*x509.Certificate) (Kept, error) {
	err := fmt.Errorf("%w: no distribution point uses http", ErrUnreachable)
	for _, p := range points {
		u, perr := url.Parse(p)
		if perr != nil || u.Scheme != "http" {
			continue
		}
		data, ferr := s.fetch(ctx, u)
		if ferr != nil {
			err = ferr
			continue
		}
		k, ierr := s.Import(data, authorities)
		if ierr == nil || errors.Is(ierr, ErrOlder) {
			return k, nil
		}
		err = fmt.Errorf("%w: %s gave an unusable list: %w", ErrUnreachable, u.Redacted(), ierr)
	}
	return Kept{}, err
}

// fetch downloads one list.
func (s *Store) fetch(ctx context.Context, u *url.URL) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, FetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s did not answer", ErrUnreachable, u.Redacted())
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %s", ErrUnreachable, u.Redacted(), resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, crl.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s broke off", ErrUnreachable, u.Redacted())
	}
	if len(data) > crl.MaxSize {
		return nil, fmt.Errorf("%w: %s sent more than %d bytes", ErrUnreachable, u.Redacted(), crl.MaxSize)
	}
	return data, nil
}

func isSelfSigned(c *x509.Certificate) bool { return string(c.RawIssuer) == string(c.RawSubject) }

// sentence is an error as a note says it: without package prefixes.
func sentence(err error) string {
	s := err.Error()
	for _, p := range []string{"revocation: ", "crl: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}

// Sentence says, for a person, why a revocation list was not imported:
// one sentence per typed error of this package and of smime/crl; ok is
// false for any other error. It is SentencePhrase in English.
func Sentence(err error) (s string, ok bool) {
	p, ok := SentencePhrase(err)
	return p.String(), ok
}

// SentencePhrase is Sentence as a phrase, for the window's language
// (docs/ARCHITECTURE.md §7).
func SentencePhrase(err error) (p phrase.Phrase, ok bool) {
	switch {
	case errors.Is(err, crl.ErrNotCRL), errors.Is(err, crl.ErrTooLarge):
		return phrase.New("revocation.notcrl", "This file is not a certificate revocation list (.crl, DER or PEM); nothing was imported.", nil), true
	case errors.Is(err, crl.ErrUnknownIssuer):
		return phrase.New("revocation.unknownissuer", "This revocation list was issued by an authority this profile does not know; trust its Root CA or install its chain first.", nil), true
	case errors.Is(err, crl.ErrBadSignature):
		return phrase.New("revocation.badsignature", "This revocation list names a known authority, but its signature does not verify: it may be forged; nothing was imported.", nil), true
	case errors.Is(err, ErrOlder):
		return phrase.New("revocation.older", "A newer revocation list from this authority is already kept; nothing was imported.", nil), true
	case errors.Is(err, ErrUnreachable):
		return phrase.New("revocation.unreachable", "The revocation list could not be fetched from its distribution point.", nil), true
	}
	return phrase.Phrase{}, false
}

// Summary describes a kept list in one English sentence: "Revocation list
// of TESTA Test EC CA imported: 1 Digital ID revoked; next update 11
// December 2026." It is SummaryPhrase in English.
func (k Kept) Summary() string { return k.SummaryPhrase().String() }

// SummaryPhrase is Summary as a phrase, for the window's language: one
// whole sentence for no, one and several Digital IDs revoked.
func (k Kept) SummaryPhrase() phrase.Phrase {
	args := phrase.Args{
		"Authority": k.Authority.Subject.CommonName,
		"Count":     len(k.List.RevokedCertificateEntries),
		"Date":      phrase.Date(k.List.NextUpdate),
	}
	switch len(k.List.RevokedCertificateEntries) {
	case 0:
		return phrase.New("revocation.summary.none", "Revocation list of {{.Authority}} imported: 0 Digital IDs revoked; next update {{.Date}}.", args)
	case 1:
		return phrase.New("revocation.summary.one", "Revocation list of {{.Authority}} imported: 1 Digital ID revoked; next update {{.Date}}.", args)
	}
	return phrase.New("revocation.summary.other", "Revocation list of {{.Authority}} imported: {{.Count}} Digital IDs revoked; next update {{.Date}}.", args)
}
