package revocation

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"securemail/smime/crl"
	"securemail/testnet/testca"
)

const jan = "Jan.Peeters@tcn.b.eu-admin.net"

// world is a test CA in a folder whose Digital IDs name a local CRL
// server, which counts its requests.
type world struct {
	ca    *testca.CA
	cert  *x509.Certificate
	hits  atomic.Int32
	srv   *httptest.Server
	auths []*x509.Certificate
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ca, err := testca.Open(filepath.Join(t.TempDir(), "ca"))
	if err != nil {
		t.Fatal(err)
	}
	w := &world{ca: ca, auths: []*x509.Certificate{ca.Root, ca.Intermediate}}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.hits.Add(1)
		der, err := ca.CurrentCRL(time.Now())
		if err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		rw.Write(der)
	}))
	t.Cleanup(w.srv.Close)
	if err := ca.SetCRLURL(w.srv.URL + "/EC_CA.crl"); err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: jan, Key: testca.P256})
	if err != nil {
		t.Fatal(err)
	}
	w.cert = is.Certificate
	return w
}

// TestRefreshCaches: the first Refresh fetches the list from the
// distribution point and keeps it; later ones use it until its nextUpdate,
// then fetch a new one that shows a revocation made meanwhile.
func TestRefreshCaches(t *testing.T) {
	w := newWorld(t)
	now := time.Now()
	clock := func() time.Time { return now }
	s := Open(filepath.Join(t.TempDir(), "crls"), clock, nil)
	ctx := context.Background()

	changed, notes := s.Refresh(ctx, []*x509.Certificate{w.cert, w.ca.Intermediate}, w.auths)
	if !changed || len(notes) != 0 || w.hits.Load() != 1 {
		t.Fatalf("first refresh: changed %v, notes %q, %d fetches; want a new list from one fetch", changed, notes, w.hits.Load())
	}
	if _, err := w.ca.Revoke(testca.Select{Email: jan}, crl.Superseded, now); err != nil {
		t.Fatal(err)
	}
	changed, notes = s.Refresh(ctx, []*x509.Certificate{w.cert}, w.auths)
	if changed || len(notes) != 0 || w.hits.Load() != 1 {
		t.Fatalf("second refresh: changed %v, notes %q, %d fetches; want the kept list, no fetch", changed, notes, w.hits.Load())
	}
	lists, err := s.RevocationLists(w.auths)
	if err != nil || len(lists) != 1 {
		t.Fatalf("lists %v, %v", lists, err)
	}
	if _, listed := crl.Lookup(lists[0], w.cert); listed {
		t.Fatal("the cached list already shows the later revocation")
	}

	now = now.Add(testca.CRLValidity + time.Minute) // past nextUpdate
	changed, notes = s.Refresh(ctx, []*x509.Certificate{w.cert}, w.auths)
	if !changed || len(notes) != 0 || w.hits.Load() != 2 {
		t.Fatalf("after nextUpdate: changed %v, notes %q, %d fetches", changed, notes, w.hits.Load())
	}
	lists, _ = s.RevocationLists(w.auths)
	if len(lists) != 1 {
		t.Fatalf("%d lists kept, want the newer one only", len(lists))
	}
	if e, listed := crl.Lookup(lists[0], w.cert); !listed || e.Reason != crl.Superseded {
		t.Fatal("the new list does not show the revocation")
	}
}

// TestRefreshUnreachable: a distribution point that does not answer is not
// an error: a note says revocation was not checked, and the last list kept
// is still used.
func TestRefreshUnreachable(t *testing.T) {
	w := newWorld(t)
	s := Open(filepath.Join(t.TempDir(), "crls"), nil, nil)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String() + "/EC_CA.crl"
	l.Close()
	if err := w.ca.SetCRLURL(dead); err != nil {
		t.Fatal(err)
	}
	is, err := w.ca.Issue(testca.IssueOptions{Email: jan, Key: testca.P256})
	if err != nil {
		t.Fatal(err)
	}
	changed, notes := s.Refresh(context.Background(), []*x509.Certificate{is.Certificate}, w.auths)
	if changed || len(notes) != 1 || !strings.HasPrefix(notes[0], "revocation not checked: ") || !strings.Contains(notes[0], jan) {
		t.Fatalf("changed %v, notes %q; want one note about %s", changed, notes, jan)
	}
}

// TestImport: a CRL file imported by hand is kept when an authority the
// profile knows signed it; a list from an unknown authority, an older list
// and a file that is no CRL are refused with typed errors.
func TestImport(t *testing.T) {
	w := newWorld(t)
	other := newWorld(t)
	s := Open(filepath.Join(t.TempDir(), "crls"), nil, nil)
	now := time.Now()
	first, err := w.ca.NewCRL(nil, 5, now)
	if err != nil {
		t.Fatal(err)
	}
	older, _ := w.ca.NewCRL(nil, 4, now)
	if k, err := s.Import(first, w.auths); err != nil || !k.Authority.Equal(w.ca.Intermediate) {
		t.Fatalf("import: %v", err)
	}
	if _, err := s.Import(first, w.auths); err != nil {
		t.Fatalf("importing the same list again: %v", err)
	}
	if _, err := s.Import(older, w.auths); !errors.Is(err, ErrOlder) {
		t.Fatalf("older list: %v, want ErrOlder", err)
	}
	theirs, _ := other.ca.NewCRL(nil, 9, now)
	if _, err := s.Import(theirs, w.auths); !errors.Is(err, crl.ErrUnknownIssuer) && !errors.Is(err, crl.ErrBadSignature) {
		t.Fatalf("another CA's list: %v", err)
	}
	if _, err := s.Import([]byte("hello"), w.auths); !errors.Is(err, crl.ErrNotCRL) {
		t.Fatalf("not a CRL: %v", err)
	}
	lists, err := s.RevocationLists(w.auths)
	if err != nil || len(lists) != 1 || lists[0].Number.Int64() != 5 {
		t.Fatalf("kept %v, %v; want list 5 only", lists, err)
	}
	// Once the authority is no longer known, its list is not used.
	if lists, _ := s.RevocationLists(other.auths); len(lists) != 0 {
		t.Fatal("a list of an authority no longer known is still used")
	}
}
