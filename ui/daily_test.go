package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/bundled"
	"securemail/app/compose"
	"securemail/mailstore"
	"securemail/smime"
	"securemail/testnet/testca"
	"securemail/ui/i18n"
)

// rowPerson is what the message list shows in row id's person column.
func rowPerson(m *MainWindow, id int) string {
	o := newRowView()
	m.list.update(id, o)
	return o.(*fyneContainer).Objects[3].(*widget.Label).Text
}

// TestNamesPeopleCanRead (issue 14 point 6): a signer's Digital ID reads
// "CN=…, Email=…" in Details, never an object identifier with hex; the
// address book names a contact beside one spelling of the address; the
// Sent folder lists the recipients, not the user.
func TestNamesPeopleCanRead(t *testing.T) {
	const lower, written = "jan.peeters@tcn.b.eu-admin.net", "Jan.Peeters@tcn.b.eu-admin.net"
	ca, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: lower, Name: "Jan Peeters"})
	if err != nil {
		t.Fatal(err)
	}

	// Details of a message he signed.
	m := msg("m1", "Jan Peeters <"+written+">", "Dossier 7")
	p := NewProperties(newFakeCore(), &app.MessageView{Message: m, Report: &smime.Report{Signed: true, Signature: "valid",
		Signer: lower, SignerCertificate: is.Certificate, SignerMatchesFrom: true}}, time.Now())
	details := strings.Join(p.lines, "\n")
	if !strings.Contains(details, "Digital ID (certificate) of: CN=Jan Peeters, Email="+lower) || strings.Contains(details, "1.2.840") ||
		!strings.Contains(details, "Issued by: CN="+is.Certificate.Issuer.CommonName) {
		t.Fatalf("Details read:\n%s", details)
	}

	// The address book, on the real core: his Digital ID file, then a
	// message with his spelling of the address.
	core := realProfile(t)
	a := test.NewTempApp(t)
	if _, err := AppCore(core).ImportDigitalID(is.Certificate.Raw); err != nil {
		t.Fatal(err)
	}
	if err := core.Book.Learn(written, "Jan Peeters"); err != nil {
		t.Fatal(err)
	}
	ab := NewAddressBookWindow(a, AppCore(core))
	if ab.list.Length() != 1 {
		t.Fatalf("%d address book rows for one person", ab.list.Length())
	}
	row := newContactRow()
	ab.updateRow(0, row)
	grid := row.(*tapRow).content.(*fyneContainer).Objects[0].(*fyneContainer)
	if got := grid.Objects[0].(*widget.Label).Text; got != "Jan Peeters <"+written+">" {
		t.Fatalf("address book row %q; want his name beside his address", got)
	}

	// The Sent folder shows to whom.
	f := newFakeCore()
	sent := mailstore.Row{ID: "s1", Folder: mailstore.Sent, From: f.settings.Account.Address, To: "Jan Peeters <" + written + ">",
		Subject: "Dossier 7", Date: time.Now(), Seen: true}
	f.rows[mailstore.Sent] = []mailstore.Row{sent}
	w := NewMainWindow(a, f, nil)
	s := &serial{}
	w.do = s.do
	s.do(w.Show)
	s.do(func() { w.ShowFolder(mailstore.Sent) })
	eventually(t, s, "the Sent folder listed", func() bool { _, ok := w.list.row(0); return ok && w.list.folder == mailstore.Sent })
	var person string
	s.do(func() { person = rowPerson(w, 0) })
	if person != "To: Jan Peeters <"+written+">" {
		t.Fatalf("the Sent folder lists %q; want the recipient", person)
	}
}

// WatchContacts: the fake's address book never changes by itself.
func (f *fakeCore) WatchContacts(func()) func() { return func() {} }

// watchingCore is a fakeCore whose test says when the address book changed.
type watchingCore struct {
	*fakeCore
	fns []func()
}

func (w *watchingCore) WatchContacts(fn func()) func() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fns = append(w.fns, fn)
	return func() {}
}

// addContact adds a contact and tells the watchers, as the real address
// book does when a Digital ID arrives.
func (w *watchingCore) addContact(cv app.ContactView) {
	w.mu.Lock()
	w.contacts = append(append([]app.ContactView(nil), w.contacts...), cv)
	fns := w.fns
	w.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// chipTexts are the recipient marks' words under To and Cc.
func chipTexts(c *Composer) []string {
	var out []string
	for _, o := range c.chips.Objects {
		out = append(out, o.(*fyneContainer).Objects[1].(*widget.Label).Text)
	}
	return out
}

// TestComposerLearnsArrivingDigitalID (issue 14 point 1): Send refused for
// want of Ada's Digital ID; her Digital ID arrives while the composer is
// open (a secure-link reply fetched, a file imported): her mark and the
// refusal update at once, without reopening, and Send then encrypts.
func TestComposerLearnsArrivingDigitalID(t *testing.T) {
	const ada = "Ada.Lovelace@tcn.gb.eu-admin.net"
	w := &watchingCore{fakeCore: contactsCore()}
	w.settings.Security.SignAll, w.settings.Security.EncryptAll = true, true
	a := test.NewTempApp(t)
	c := NewComposer(a, w, &compose.Draft{})
	s := &serial{}
	c.do = s.do
	s.do(func() {
		test.Type(c.to, ada)
		test.Type(c.subject, "Dossier 9")
		test.Tap(c.sendBtn)
	})
	var refused bool
	s.do(func() { refused = c.refusal.Visible() && strings.Contains(c.refusalText.Text, ada) })
	if !refused || len(w.sent) != 0 {
		t.Fatalf("Send without Ada's Digital ID: refusal shown %v, %d sent", refused, len(w.sent))
	}
	// Her Digital ID arrives, filed under the certificate's spelling.
	w.addContact(app.ContactView{Contact: &addressbook.Contact{Address: strings.ToLower(ada), Name: "Ada Lovelace"},
		Verdict: addressbook.ContactVerdict{Status: addressbook.Valid, Reason: "Digital ID valid until 2 April 2026.", Usable: &addressbook.DigitalID{}}})
	eventually(t, s, "the refusal gone and Ada's key mark", func() bool {
		chips := chipTexts(c)
		return !c.refusal.Visible() && len(chips) == 1 && strings.Contains(chips[0], "(key: can be encrypted for)") &&
			strings.Contains(c.message.Text, "can be sent encrypted")
	})
	s.do(func() { test.Tap(c.sendBtn) })
	eventually(t, s, "sent", func() bool { w.mu.Lock(); defer w.mu.Unlock(); return len(w.sent) == 1 })
	if o := w.sent[0].Opts; !o.Encrypt {
		t.Fatalf("sent with %+v; want encrypted", o)
	}
}

// fakeDrafts is the fake core's Drafts store.
type fakeDrafts struct {
	saved     map[string]savedDraft
	discarded []string
	saves     int
}

type savedDraft struct {
	d    *compose.Draft
	opts compose.DraftOptions
}

// draftCore is a fakeCore with a Drafts store.
type draftCore struct {
	*fakeCore
	drafts fakeDrafts
}

func newDraftCore() *draftCore {
	return &draftCore{fakeCore: contactsCore(), drafts: fakeDrafts{saved: map[string]savedDraft{}}}
}

func (f *draftCore) SaveDraft(_ context.Context, replaces string, d *compose.Draft, o compose.DraftOptions) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drafts.saves++
	id := fmt.Sprintf("d%d", f.drafts.saves)
	f.drafts.saved[id] = savedDraft{d, o}
	delete(f.drafts.saved, replaces)
	return id, nil
}

func (f *draftCore) DiscardDraft(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drafts.discarded = append(f.drafts.discarded, id)
	delete(f.drafts.saved, id)
	return nil
}

func (f *draftCore) OpenDraft(_ context.Context, id string) (*compose.Draft, compose.DraftOptions, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.drafts.saved[id]
	if !ok {
		return nil, compose.DraftOptions{}, fmt.Errorf("no draft %s", id)
	}
	return s.d, s.opts, nil
}

func (f *draftCore) savedDrafts() map[string]savedDraft {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]savedDraft{}
	for k, v := range f.drafts.saved {
		out[k] = v
	}
	return out
}

// The plain fake keeps no drafts.
func (f *fakeCore) SaveDraft(context.Context, string, *compose.Draft, compose.DraftOptions) (string, error) {
	return "", errors.New("the fake keeps no drafts")
}
func (f *fakeCore) DiscardDraft(context.Context, string) error { return nil }
func (f *fakeCore) OpenDraft(context.Context, string) (*compose.Draft, compose.DraftOptions, error) {
	return nil, compose.DraftOptions{}, errors.New("the fake keeps no drafts")
}

// fakeClock stands in for the composer's autosave clock: the clock never
// ticks by itself, and tick does what a tick does (autosave on the UI
// goroutine, once an edit has started the clock) and returns when it is
// done — so no autosave of an earlier tick can land between two steps of
// a test (which made TestComposerDrafts fail now and then).
func fakeClock(c *Composer, s *serial) (tick func()) {
	c.tick = func(time.Duration) (<-chan time.Time, func()) { return nil, func() {} }
	return func() {
		s.do(func() {
			if c.autosaving {
				c.autosave()
			}
		})
	}
}

// TestComposerDrafts (issue 14 point 2): typing is saved as a draft at the
// autosave clock's tick (only when something changed), with the toggles
// (encrypted when the message will be); closing with unsaved text asks
// Save draft / Discard / Cancel; a draft opens again from Drafts in the
// composer, editable, and sending it tells the core to remove it.
func TestComposerDrafts(t *testing.T) {
	f := newDraftCore()
	f.settings.Security.SignAll, f.settings.Security.EncryptAll = true, true
	a := test.NewTempApp(t)
	s := &serial{}
	c := NewComposer(a, f, &compose.Draft{})
	c.do = s.do
	tick := fakeClock(c, s)
	s.do(func() {
		test.Type(c.to, "Marie.Curie@tcn.f.eu-admin.net")
		test.Type(c.subject, "Dossier 42")
		test.Type(c.body, "Card 42")
	})
	tick()
	eventually(t, s, "the first autosave", func() bool { return c.draftState.Text == "Draft saved." && len(f.savedDrafts()) == 1 })
	first := c.draftID
	if d := f.savedDrafts()[first]; d.d.Text != "Card 42" || !d.opts.Encrypt || !d.opts.Sign || d.d.Subject != "Dossier 42" {
		t.Fatalf("autosaved %+v with %+v", d.d, d.opts)
	}
	// Nothing changed: the next tick stores nothing.
	tick()
	s.do(func() {})
	if f.drafts.saves != 1 {
		t.Fatalf("%d saves without a change", f.drafts.saves)
	}
	// More typing replaces the draft.
	s.do(func() { test.Type(c.body, " is blocked.") })
	tick()
	eventually(t, s, "the second autosave", func() bool { return c.draftID != first && c.savedEdits == c.edits })
	if saved := f.savedDrafts(); len(saved) != 1 || saved[c.draftID].d.Text != "Card 42 is blocked." {
		t.Fatalf("drafts after the second save: %+v", saved)
	}

	// Closing with unsaved text asks; Cancel keeps the window.
	s.do(func() { test.Type(c.body, " Call me.") })
	s.do(c.requestClose)
	if c.closePrompt == nil {
		t.Fatal("closing with unsaved text asked nothing")
	}
	s.do(func() { test.Tap(c.closePrompt.cancel) })
	if c.closePrompt != nil || !c.win.Content().Visible() {
		t.Fatal("Cancel did not keep the composer open")
	}
	// Save draft stores what was typed and closes.
	s.do(c.requestClose)
	s.do(func() { test.Tap(c.closePrompt.save) })
	eventually(t, s, "saved on close", func() bool { return c.savedEdits == c.edits && !c.savingDraft })
	saved := f.savedDrafts()
	if len(saved) != 1 || saved[c.draftID].d.Text != "Card 42 is blocked. Call me." {
		t.Fatalf("drafts after Save draft: %+v", saved)
	}
	id := c.draftID

	// Discard on a new composer removes the draft it autosaved.
	c2 := NewComposer(a, f, &compose.Draft{})
	c2.do = s.do
	tick2 := fakeClock(c2, s)
	s.do(func() { test.Type(c2.body, "never mind") })
	tick2()
	eventually(t, s, "the other composer's autosave", func() bool { return c2.draftID != "" })
	s.do(func() { test.Type(c2.body, "!") })
	s.do(c2.requestClose)
	s.do(func() { test.Tap(c2.closePrompt.discard) })
	eventually(t, s, "the discarded draft removed", func() bool { return len(f.savedDrafts()) == 1 })

	// The draft opens again from Drafts, editable; Send removes it.
	f.mu.Lock()
	f.rows[mailstore.Drafts] = []mailstore.Row{{ID: id, Folder: mailstore.Drafts, To: "Marie.Curie@tcn.f.eu-admin.net", Subject: "Dossier 42", Seen: true}}
	f.mu.Unlock()
	m := NewMainWindow(a, f, nil)
	m.do = s.do
	s.do(m.Show)
	s.do(func() { m.ShowFolder(mailstore.Drafts) })
	eventually(t, s, "Drafts listed", func() bool { _, ok := m.list.row(0); return ok && m.list.folder == mailstore.Drafts })
	s.do(func() { m.list.list.Select(0) })
	var reopened *Composer
	eventually(t, s, "the draft in a composer", func() bool {
		if len(m.composers) > 0 {
			reopened = m.composers[len(m.composers)-1]
		}
		return reopened != nil
	})
	s.do(func() {
		if reopened.body.Text != "Card 42 is blocked. Call me." || reopened.draftID != id || !reopened.encrypt {
			t.Fatalf("reopened with %q, draft %q, encrypt %v", reopened.body.Text, reopened.draftID, reopened.encrypt)
		}
		test.Type(reopened.body, " Thanks.")
		test.Tap(reopened.sendBtn)
	})
	eventually(t, s, "sent", func() bool { f.mu.Lock(); defer f.mu.Unlock(); return len(f.sent) == 1 })
	if got := f.sent[0]; got.Opts.Draft != id || !strings.Contains(got.Draft.Text, "Thanks.") || !strings.Contains(got.Draft.Text, "Call me.") {
		t.Fatalf("sent %q with %+v; want the edited draft, removing draft %s", got.Draft.Text, got.Opts, id)
	}
}

// CheckAttachment: the fake's account sends at most 10 MB (its server said so).
func (f *fakeCore) CheckAttachment(d *compose.Draft, add compose.Attachment, opts app.SendOptions) error {
	return app.CheckSize(d, add, opts, app.SizeLimit{Octets: 10 << 20, Server: "127.0.0.1:2525"})
}

// TestAttachmentTooLargeSaidWhenAttaching (issue 14 point 5): a 6 MB file
// on an encrypted message against a 10 MB limit is refused when attached,
// not at Send, in MB, with the size the message would have as sent and
// why; the same file on a message that is only signed fits and is listed
// by name.
func TestAttachmentTooLargeSaidWhenAttaching(t *testing.T) {
	if _, err := i18n.Use("en"); err != nil { // the sizes' words, as the window loads them
		t.Fatal(err)
	}
	f := contactsCore()
	f.settings.Security.SignAll, f.settings.Security.EncryptAll = true, true
	c, s := newTestComposer(t, f)
	scan := make([]byte, 6<<20)
	s.do(func() {
		test.Type(c.to, "Marie.Curie@tcn.f.eu-admin.net")
		c.AddAttachment("scan.pdf", scan)
	})
	msg := c.message.Text
	for _, want := range []string{"scan.pdf (6.0 MB) was not attached", "as sent", "encryption about a third again", "127.0.0.1:2525 accepts messages of at most 10.0 MB"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("refusal %q does not say %q", msg, want)
		}
	}
	if len(c.attachments) != 0 || len(f.sent) != 0 {
		t.Fatal("the file was attached (or something sent) despite the refusal")
	}
	s.do(func() {
		test.Tap(c.encryptToggle) // signed only: base64 once
		c.AddAttachment("scan.pdf", scan)
	})
	if len(c.attachments) != 1 || !strings.Contains(fmt.Sprint(filesTexts(c)), "scan.pdf") {
		t.Fatalf("signed only, the file was not attached: %q, files %v", c.message.Text, filesTexts(c))
	}
}

// filesTexts are the labels of the composer's attachment list.
func filesTexts(c *Composer) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *fyne.Container:
			for _, x := range v.Objects {
				walk(x)
			}
		}
	}
	walk(c.files)
	return out
}

func (f *fakeCore) SetSeen(_ context.Context, id string, seen bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, rows := range f.rows {
		for i := range rows {
			if rows[i].ID == id {
				rows[i].Seen = seen
			}
		}
	}
	return nil
}

func (f *fakeCore) Restore(_ context.Context, ids []string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var to []string
	for _, id := range ids {
		for i, r := range f.rows[mailstore.Trash] {
			if r.ID == id {
				f.rows[mailstore.Trash] = append(f.rows[mailstore.Trash][:i], f.rows[mailstore.Trash][i+1:]...)
				r.Folder = mailstore.Inbox
				f.rows[mailstore.Inbox] = append(f.rows[mailstore.Inbox], r)
				to = append(to, mailstore.Inbox)
				break
			}
		}
	}
	return to, nil
}

func (f *fakeCore) Move(_ context.Context, ids []string, folder string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		var moved []mailstore.Row
		for from, rows := range f.rows {
			kept := rows[:0:0]
			for _, r := range rows {
				if r.ID == id {
					r.Folder = folder
					moved = append(moved, r)
				} else {
					kept = append(kept, r)
				}
			}
			f.rows[from] = kept
		}
		f.rows[folder] = append(f.rows[folder], moved...)
	}
	return nil
}

func (f *fakeCore) EmptyTrash(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows[mailstore.Trash] = nil
	return nil
}

// fakeTimers is the main window's fake clock for search as you type.
type fakeTimers struct {
	pending []*fakeTimer
}

type fakeTimer struct {
	f       func()
	stopped bool
}

func (c *fakeTimers) after(_ time.Duration, f func()) func() {
	t := &fakeTimer{f: f}
	c.pending = append(c.pending, t)
	return func() { t.stopped = true }
}

// fire runs the timers not stopped; it returns how many ran.
func (c *fakeTimers) fire() int {
	n := 0
	for _, t := range c.pending {
		if !t.stopped {
			t.f()
			n++
		}
	}
	c.pending = nil
	return n
}

// folderUnseen is the unread count the folder list shows for a folder.
func folderUnseen(m *MainWindow, name string) int {
	for _, f := range m.folderRows {
		if f.Name == name {
			return f.Unseen
		}
	}
	return -1
}

// TestMailHandling (issue 14 point 8): opening a message shows it read at
// once (the row and the folder's count); Mark unread undoes it; search runs
// once typing pauses (a fake clock), its status about the current query;
// in Trash, Restore brings a message back and Empty Trash asks first.
func TestMailHandling(t *testing.T) {
	f := readerCore()
	f.rows[mailstore.Trash] = []mailstore.Row{{ID: "t1", Folder: mailstore.Trash, From: "Marie.Curie@tcn.f.eu-admin.net", Subject: "Old", Seen: true}}
	a := test.NewTempApp(t)
	m := NewMainWindow(a, f, nil)
	s := &serial{}
	m.do = s.do
	clock := &fakeTimers{}
	m.mail.after = clock.after
	s.do(m.Show)
	eventually(t, s, "the Inbox listed with its count", func() bool {
		_, ok := m.list.row(2)
		return ok && folderUnseen(m, mailstore.Inbox) == 3
	})

	// Read at once.
	s.do(func() {
		m.list.list.Select(0)
		if r, _ := m.list.row(0); !r.Seen || folderUnseen(m, mailstore.Inbox) != 2 {
			t.Errorf("just opened: row read %v, Inbox count %d; want read and 2 at once", r.Seen, folderUnseen(m, mailstore.Inbox))
		}
		if m.mail.unreadBtn.Text != "Mark unread" || m.mail.unreadBtn.Disabled() {
			t.Errorf("the read/unread button says %q (disabled %v)", m.mail.unreadBtn.Text, m.mail.unreadBtn.Disabled())
		}
		test.Tap(m.mail.unreadBtn)
		if r, _ := m.list.row(0); r.Seen || folderUnseen(m, mailstore.Inbox) != 3 || m.mail.unreadBtn.Text != "Mark read" {
			t.Errorf("after Mark unread: row read %v, Inbox count %d, button %q", r.Seen, folderUnseen(m, mailstore.Inbox), m.mail.unreadBtn.Text)
		}
	})
	eventually(t, s, "the store told", func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return !f.rows[mailstore.Inbox][0].Seen
	})

	// Search as you type: one search when typing pauses.
	s.do(func() { test.Type(m.searchEntry, "dos") })
	if len(clock.pending) != 3 {
		t.Fatalf("%d timers for three keys", len(clock.pending))
	}
	var ran int
	s.do(func() { ran = clock.fire() })
	if ran != 1 {
		t.Fatalf("%d searches ran for one pause in typing", ran)
	}
	eventually(t, s, "the results", func() bool { return m.list.length() == 1 && m.status.Text == `1 messages match "dos".` })
	s.do(func() { test.Type(m.searchEntry, "x") })
	s.do(func() { clock.fire() })
	eventually(t, s, "the status about the new query", func() bool { return m.list.length() == 0 && strings.Contains(m.status.Text, `"dosx"`) })
	s.do(func() { m.searchEntry.SetText("") })
	eventually(t, s, "the folder back", func() bool { return m.searching == "" && m.list.length() == 3 })

	// Trash: Restore, then Empty Trash with a confirmation.
	s.do(func() { m.ShowFolder(mailstore.Trash) })
	eventually(t, s, "Trash listed", func() bool { _, ok := m.list.row(0); return ok && m.list.folder == mailstore.Trash })
	s.do(func() {
		if !m.mail.restoreBtn.Visible() || !m.mail.emptyBtn.Visible() {
			t.Error("Restore and Empty Trash are not shown in Trash")
		}
		m.list.list.Select(0)
	})
	s.do(func() { test.Tap(m.mail.restoreBtn) })
	eventually(t, s, "restored", func() bool { return strings.Contains(m.status.Text, "back in Inbox") })
	f.mu.Lock()
	if len(f.rows[mailstore.Trash]) != 0 || len(f.rows[mailstore.Inbox]) != 4 {
		t.Errorf("after Restore: %d in Trash, %d in Inbox", len(f.rows[mailstore.Trash]), len(f.rows[mailstore.Inbox]))
	}
	f.rows[mailstore.Trash] = []mailstore.Row{{ID: "t2", Folder: mailstore.Trash, Subject: "Gone", Seen: true}}
	f.mu.Unlock()
	var asked func()
	m.mail.confirmEmpt = func(yes func()) { asked = yes }
	s.do(func() { test.Tap(m.mail.emptyBtn) })
	if asked == nil {
		t.Fatal("Empty Trash did not ask first")
	}
	f.mu.Lock()
	n := len(f.rows[mailstore.Trash])
	f.mu.Unlock()
	if n != 1 {
		t.Fatal("Trash was emptied before the answer")
	}
	s.do(asked)
	eventually(t, s, "Trash emptied", func() bool { return m.status.Text == "Trash is empty." })
	s.do(func() {
		m.ShowFolder(mailstore.Inbox)
		if m.mail.restoreBtn.Visible() || m.mail.emptyBtn.Visible() {
			t.Error("Restore and Empty Trash shown outside Trash")
		}
	})
}

// growingNet is a network whose evidence log grows while the panel is open.
type growingNet struct {
	fakeNet
	mu    sync.Mutex
	lines []string
}

func (n *growingNet) Events(int) ([]string, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.lines...), nil
}

func (n *growingNet) add(k int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for range k {
		n.lines = append(n.lines, fmt.Sprintf("10:%02d:00 relay received <m%d@x> from f-server", len(n.lines)%60, len(n.lines)))
	}
}

// TestEvidenceLogFollowsNewest (issue 14 point 8): the evidence log opens
// at its newest entry and follows new ones at each tick of the panel's
// clock; once the user scrolls up to read, it stays where they are.
func TestEvidenceLogFollowsNewest(t *testing.T) {
	a := test.NewTempApp(t)
	n := &growingNet{}
	n.add(200)
	w := NewNetworkWindow(a, n)
	s := &serial{}
	w.do = s.do
	ticks := make(chan time.Time)
	w.tick = func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }
	w.tabs.SelectIndex(2)
	w.Reload()
	w.Show()
	s.do(func() {
		if w.logScroll.Offset.Y <= 0 || !w.logAtEnd() {
			t.Fatalf("the log opened at %v, not at its newest entry", w.logScroll.Offset)
		}
	})
	before := w.logScroll.Offset.Y
	n.add(50)
	ticks <- time.Now()
	eventually(t, s, "the log following its new entries", func() bool {
		return strings.Contains(w.log.Text, "<m249@x>") && w.logScroll.Offset.Y > before && w.logAtEnd()
	})
	// Scrolled up to read: new entries do not move the view.
	s.do(func() { w.logScroll.ScrollToTop() })
	n.add(10)
	ticks <- time.Now()
	eventually(t, s, "the new entries read", func() bool { return strings.Contains(w.log.Text, "<m259@x>") })
	s.do(func() {
		if w.logScroll.Offset.Y != 0 {
			t.Fatalf("a reader scrolled to the top was moved to %v", w.logScroll.Offset)
		}
	})
	w.win.Close()
}

// TestMoveToFolder (issue 14 point 8): Message → Move to folder… (also
// Ctrl+Shift+V) asks where, offers neither the message's own folder nor
// the Outbox, and moves the selected message there.
func TestMoveToFolder(t *testing.T) {
	m, f, s := readerWindow(t, nil)
	eventually(t, s, "the Inbox listed", func() bool { return len(m.list.pages) == 1 && len(m.folderRows) > 0 })
	var inMenu bool
	for _, menu := range m.win.MainMenu().Items {
		for _, it := range menu.Items {
			inMenu = inMenu || (it.Label == "Move to folder…" && it.Shortcut != nil)
		}
	}
	if !inMenu {
		t.Fatal("no Move to folder… menu item with its shortcut")
	}
	before := m.list.length()
	s.do(func() { m.list.list.Select(0) })
	eventually(t, s, "message open", func() bool { return m.current != nil })
	id := m.currentRow.ID
	s.do(func() { pressShortcut(m.win, ctrlShift(fyne.KeyV)) })
	p := m.mail.movePrompt
	if p == nil {
		t.Fatal("Ctrl+Shift+V asked nothing")
	}
	for _, o := range p.folder.Options {
		if o == "Inbox" || o == "Outbox" {
			t.Errorf("offered %q for a message in the Inbox", o)
		}
	}
	s.do(func() {
		p.folder.SetSelected("Sent")
		test.Tap(p.move)
	})
	eventually(t, s, "moved", func() bool { return m.list.length() == before-1 })
	f.mu.Lock()
	sent := f.rows[mailstore.Sent]
	f.mu.Unlock()
	if len(sent) == 0 || sent[len(sent)-1].ID != id || m.status.Text != "Message moved to Sent." || m.mail.movePrompt != nil {
		t.Errorf("Sent holds %+v, status %q", sent, m.status.Text)
	}
}

// TestNoRedHintOnAnUntouchedForm (issue 14 point 7): the composer, each
// step of the wizard, Settings and the contact form show no hint in red
// before the user has typed anything; the contact form's hint comes once an
// address is typed.
func TestNoRedHintOnAnUntouchedForm(t *testing.T) {
	c, _ := newTestComposer(t, contactsCore())
	if c.message.Visible() && c.message.Text != "" || len(chipTexts(c)) != 0 {
		t.Errorf("untouched composer says %q, marks %q", c.message.Text, chipTexts(c))
	}
	w, s := newTestWizard(t, newFakeCore(), nil)
	for _, step := range []int{StepWelcome, StepAddress, StepServers, StepRoot, StepChain, StepDigitalID} {
		s.do(func() { w.show(step) })
		if p := w.problem(); p != "" {
			t.Errorf("untouched wizard step %d says %q", step, p)
		}
	}
	sw := NewSettingsWindow(test.NewTempApp(t), newFakeCore())
	if sw.message.Text != "" {
		t.Errorf("untouched Settings say %q", sw.message.Text)
	}
	f := NewContactForm(newFakeCore(), nil)
	if f.check.Text != "" {
		t.Errorf("untouched contact form says %q", f.check.Text)
	}
	test.Type(f.address, "Dossier 43")
	if f.check.Text == "" || !f.saveBtn.Disabled() {
		t.Errorf("typed a bad address: hint %q, Save enabled %v", f.check.Text, !f.saveBtn.Disabled())
	}
}

// TestEvidenceLogHeadersInTheLanguage (issue 15 point 1): the evidence log's
// column headers are in the window's language and stand above their
// columns, whose widths the log's lines keep (bundled.LogColumns).
func TestEvidenceLogHeadersInTheLanguage(t *testing.T) {
	cols := bundled.LogColumns()
	for _, l := range []struct{ code, locale, time, node, event string }{
		{"de", "de_DE.UTF-8", "Zeitpunkt", "Knoten", "Ereignis"},
		{"fr", "fr_FR.UTF-8", "Heure", "Nœud", "Événement"},
	} {
		t.Run(l.code, func(t *testing.T) {
			inLanguage(t, l.code, l.locale)
			w := NewNetworkWindow(test.NewTempApp(t), &growingNet{})
			defer w.win.Close()
			header := []rune(w.logHeader.Text)
			for _, c := range []struct {
				word string
				at   int
			}{{l.time, 0}, {l.node, cols[0] + 1}, {l.event, cols[0] + cols[1] + 2}} {
				if !strings.HasPrefix(string(header[min(c.at, len(header)):]), c.word) {
					t.Errorf("%q is not at column %d of the header %q", c.word, c.at, string(header))
				}
			}
		})
	}
}
