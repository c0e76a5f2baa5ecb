package ui

import (
	"context"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/compose"
	"securemail/app/digitalid"
	"securemail/app/profile"
	"securemail/app/revocation"
	"securemail/mailstore"
	"securemail/smime/crl"
	"securemail/tests/testenv"
)

// fakeCore is an in-memory Core: rows, opened views and contacts are
// given by the test; calls are recorded.
type fakeCore struct {
	mu       sync.Mutex
	settings profile.Settings
	account  bool
	rows     map[string][]mailstore.Row
	views    map[string]*app.MessageView
	openErr  map[string]error
	contacts []app.ContactView
	links    []app.LinkRow
	myIDs    []digitalid.MyID
	roots    []*x509.Certificate
	now      time.Time

	sent      []sentCall
	sendErr   error
	requested [][]string
	replied   []string
	tested    []app.Setup
	connSteps []app.ConnStep
	// testedAccount counts Settings' Test connection runs.
	testedAccount int
	connBlock     bool
	setups        []app.Setup
	handouts      []string
	setupErr      error
	saved         []profile.Settings
	removed       []string
	defaults      []string
	fetches       int
	fetchErr      error // what Fetch returns while set (an outage)
	passwords     [][2]string
	listCalls     int
}

type sentCall struct {
	Draft *compose.Draft
	Opts  app.SendOptions
}

func newFakeCore() *fakeCore {
	s := profile.DefaultSettings()
	s.Account.Address = "Jan.Novak@tcn.cz.eu-admin.net"
	s.CheckEvery = 0
	return &fakeCore{settings: s, account: true, rows: map[string][]mailstore.Row{}, views: map[string]*app.MessageView{},
		openErr: map[string]error{}, now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
}

func (f *fakeCore) HasAccount() bool { return f.account }
func (f *fakeCore) Folders(context.Context) ([]mailstore.Folder, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []mailstore.Folder
	for _, n := range []string{mailstore.Inbox, mailstore.Outbox, mailstore.Sent, mailstore.Drafts, mailstore.Trash} {
		unseen := 0
		for _, r := range f.rows[n] {
			if !r.Seen {
				unseen++
			}
		}
		out = append(out, mailstore.Folder{Name: n, Standard: true, Total: len(f.rows[n]), Unseen: unseen})
	}
	return out, nil
}
func (f *fakeCore) Count(_ context.Context, folder string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.rows[folder]), nil
}
func (f *fakeCore) List(_ context.Context, folder string, order mailstore.Sort, offset, limit int) ([]mailstore.Row, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listCalls++
	rows := sortedRows(f.rows[folder], order)
	if offset >= len(rows) {
		return nil, nil
	}
	end := min(offset+limit, len(rows))
	return append([]mailstore.Row(nil), rows[offset:end]...), nil
}
func (f *fakeCore) Search(_ context.Context, q string) ([]mailstore.Row, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []mailstore.Row
	for _, r := range f.rows[mailstore.Inbox] {
		if strings.Contains(strings.ToLower(r.Subject), strings.ToLower(q)) {
			out = append(out, r)
		}
	}
	return out, nil
}
func (f *fakeCore) OpenMessage(_ context.Context, id string) (*app.MessageView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.views[id], f.openErr[id]
}
func (f *fakeCore) Delete(_ context.Context, ids []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		for i, r := range f.rows[mailstore.Inbox] {
			if r.ID == id {
				f.rows[mailstore.Inbox] = append(f.rows[mailstore.Inbox][:i], f.rows[mailstore.Inbox][i+1:]...)
				r.Folder = mailstore.Trash
				f.rows[mailstore.Trash] = append(f.rows[mailstore.Trash], r)
				break
			}
		}
	}
	return nil
}
func (f *fakeCore) MarkSeen(context.Context, string) error { return nil }
func (f *fakeCore) Fetch(_ context.Context, progress app.Progress) (*app.FetchResult, error) {
	f.mu.Lock()
	f.fetches++
	err := f.fetchErr
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	progress(1, 2)
	progress(2, 2)
	return &app.FetchResult{New: 2}, nil
}
func (f *fakeCore) FlushOutbox(context.Context) (int, error) { return 0, nil }
func (f *fakeCore) AddDigitalIDFromMessage(_ context.Context, id string) ([]string, error) {
	v := f.views[id]
	return []string{v.Report.Signer}, nil
}
func (f *fakeCore) Settings() (profile.Settings, error) {
	if !f.account {
		return profile.Settings{}, profile.ErrNoAccount
	}
	return f.settings, nil
}
func (f *fakeCore) SaveSettings(s profile.Settings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settings = s
	f.saved = append(f.saved, s)
	return nil
}
func (f *fakeCore) Contacts() ([]app.ContactView, error) { return f.contacts, nil }
func (f *fakeCore) Send(_ context.Context, d *compose.Draft, o app.SendOptions) (*app.SendResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, sentCall{d, o})
	if f.sendErr != nil {
		return nil, f.sendErr
	}
	return &app.SendResult{ID: "sent1", Accepted: d.Recipients()}, nil
}
func (f *fakeCore) RequestSecureLink(_ context.Context, addrs []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requested = append(f.requested, addrs)
	return nil
}
func (f *fakeCore) ReplySecureLink(_ context.Context, addr string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replied = append(f.replied, addr)
	return nil
}
func (f *fakeCore) SecureLinkStatus() ([]app.LinkRow, error) { return f.links, nil }
func (f *fakeCore) ImportDigitalID([]byte) ([]string, error) {
	return nil, fmt.Errorf("ui: not in this test")
}
func (f *fakeCore) RemoveDigitalID(addr, fp string) error {
	f.removed = append(f.removed, addr+" "+fp)
	return nil
}
func (f *fakeCore) SetDefaultDigitalID(addr, fp string) error {
	f.defaults = append(f.defaults, addr+" "+fp)
	return nil
}
func (f *fakeCore) SaveContact(c *addressbook.Contact) error {
	f.contacts = append(f.contacts, app.ContactView{Contact: c, Verdict: addressbook.ContactVerdict{Status: addressbook.None}})
	return nil
}
func (f *fakeCore) RemoveContact(string) error { return nil }
func (f *fakeCore) SetupAccount(_ context.Context, s app.Setup) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setups = append(f.setups, s)
	if f.setupErr != nil {
		return f.setupErr
	}
	f.account = true
	f.settings.Account.Address = s.Address
	return nil
}
func (f *fakeCore) SetupFromHandout(_ context.Context, dir string, trust bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handouts = append(f.handouts, dir)
	if f.setupErr != nil {
		return f.setupErr
	}
	f.account = true
	return nil
}

// TestConnection reports connSteps in order and returns the first failure;
// with connBlock it then waits for ctx to end. The setups are recorded.
func (f *fakeCore) TestConnection(ctx context.Context, s app.Setup, report func(app.ConnStep)) error {
	f.mu.Lock()
	f.tested = append(f.tested, s)
	steps, block := f.connSteps, f.connBlock
	f.mu.Unlock()
	var first error
	for _, st := range steps {
		report(st)
		if first == nil {
			first = st.Err
		}
	}
	if block {
		<-ctx.Done()
		return ctx.Err()
	}
	return first
}
func (f *fakeCore) MyIDs() ([]digitalid.MyID, error) { return f.myIDs, nil }
func (f *fakeCore) ExportP7B() ([]byte, error)       { return []byte("p7b"), nil }
func (f *fakeCore) ImportPFX([]byte, string) (*digitalid.MyID, error) {
	return nil, fmt.Errorf("ui: not in this test")
}
func (f *fakeCore) Roots() ([]*x509.Certificate, error)  { return f.roots, nil }
func (f *fakeCore) RemoveRoot(c *x509.Certificate) error { return nil }
func (f *fakeCore) TrustRoot(a *digitalid.Authority) error {
	f.roots = append(f.roots, a.Certificate)
	return nil
}
func (f *fakeCore) Now() time.Time { return f.now }

// TestAccount reports connSteps as TestConnection does, for the saved
// account (counted in testedAccount).
func (f *fakeCore) TestAccount(ctx context.Context, report func(app.ConnStep)) error {
	f.mu.Lock()
	f.testedAccount++
	f.mu.Unlock()
	return f.TestConnection(ctx, app.Setup{}, report)
}
func (f *fakeCore) SetPasswords(pop3, smtp string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.passwords = append(f.passwords, [2]string{pop3, smtp})
	return nil
}

// serial stands in for the UI goroutine in tests: the test driver runs
// fyne.Do on the calling goroutine, so views' background results and the
// test's own actions are serialised by this lock instead.
type serial struct{ mu sync.Mutex }

func (s *serial) do(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// eventually waits until cond holds under the UI lock (guard: 30 s).
func eventually(t *testing.T, s *serial, what string, cond func() bool) {
	t.Helper()
	eventuallyFor(t, s, 30*time.Second, what, cond)
}

// eventuallyFor waits until cond holds under the UI lock; d is the guard.
func eventuallyFor(t *testing.T, s *serial, d time.Duration, what string, cond func() bool) {
	t.Helper()
	testenv.Eventually(t, d, func() error {
		ok := false
		s.do(func() { ok = cond() })
		if !ok {
			return fmt.Errorf("waiting for %s", what)
		}
		return nil
	})
}

type fyneContainer = fyne.Container

type x509Certificate = x509.Certificate

type composeDraft = compose.Draft

// ImportCRL keeps nothing: it checks the list against the fake's roots, as
// the real store does, so that the window's sentences can be tested.
func (f *fakeCore) ImportCRL(data []byte) (revocation.Kept, error) {
	l, err := crl.Parse(data)
	if err != nil {
		return revocation.Kept{}, err
	}
	a, err := crl.Verify(l, f.roots)
	if err != nil {
		return revocation.Kept{}, err
	}
	return revocation.Kept{List: l, Authority: a}, nil
}

// sortedRows is rows in order, as the store lists them.
func sortedRows(rows []mailstore.Row, order mailstore.Sort) []mailstore.Row {
	out := slices.Clone(rows)
	if order == mailstore.ByDateAsc { // the tests give rows newest first
		slices.Reverse(out)
		return out
	}
	slices.SortStableFunc(out, func(a, b mailstore.Row) int {
		switch order {
		case mailstore.ByFrom:
			return strings.Compare(strings.ToLower(a.From), strings.ToLower(b.From))
		case mailstore.BySubject:
			return strings.Compare(strings.ToLower(a.Subject), strings.ToLower(b.Subject))
		}
		return 0 // the order the test gave, newest first
	})
	return out
}
