package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/compose"
	"securemail/internal/displaytext"
	"securemail/mailstore"
	"securemail/ui/i18n"
)

// MainWindow is the classic three-pane window of docs/UX.md §6.
type MainWindow struct {
	fyneApp fyne.App
	win     fyne.Window
	core    Core
	net     Network
	ctx     context.Context
	stop    context.CancelFunc

	newBtn, replyBtn, replyAllBtn, forwardBtn, deleteBtn *widget.Button
	sendReceiveBtn, bookBtn, linkBtn, settingsBtn        *widget.Button
	searchEntry                                          *keyEntry

	folders     *keyList
	folderRows  []mailstore.Folder
	folder      string
	list        *messageList
	reader      *Reader
	status      *widget.Label
	progress    *widget.ProgressBar
	cancelBtn   *widget.Button
	split       *container.Split
	readerSplit *container.Split

	current     *app.MessageView
	currentRow  mailstore.Row
	cancelWork  context.CancelFunc
	lastChecked time.Time
	// do runs a function on the UI goroutine (fyne.Do; tests serialise).
	do    func(func())
	trace *traceState
	keys  *keymap // the window's keyboard commands (mainkeys.go)
	// composers are those opened here; closing waits for their sending (closing.go).
	composers []*Composer
	closing   bool         // the window closes once the mail being sent has gone
	mail      mailHandling // search as you type, read state, Trash (mailhandling.go)
	searching string       // the query whose results are listed ("" for none)
}

// SetTrace reports the window's timing events to t (call before Show).
func (m *MainWindow) SetTrace(t Trace) {
	m.trace = &traceState{out: t}
	m.list.onUpdate = m.trace.row
	m.list.onLoaded = func() { m.trace.loaded(m.list.length()) }
}

// NewMainWindow builds the main window on a (test or real) fyne.App.
func NewMainWindow(a fyne.App, core Core, net Network) *MainWindow {
	ctx, stop := context.WithCancel(context.Background())
	m := &MainWindow{fyneApp: a, win: a.NewWindow("SecureMail"), core: core, net: net, ctx: ctx, stop: stop, folder: mailstore.Inbox}
	m.do = fyne.Do
	m.keys = newKeymap()
	m.win.SetIcon(appIcon())
	m.reader = newReader(m.win)
	m.reader.OnDetails = func(v *app.MessageView) { ShowProperties(m.win, core, v) }
	m.reader.OnShowMessage = func(id string) { m.open(mailstore.Row{ID: id, Seen: true}) }
	m.list = newMessageList(ctx, core, m.open)
	m.list.do = func(f func()) { m.do(f) }
	m.list.list.keys = m.keys
	m.build()
	m.win.SetOnClosed(m.close)
	m.win.SetCloseIntercept(m.requestClose)
	a.Lifecycle().SetOnStopped(m.close) // Quit (or SIGTERM) without closing the window
	return m
}

func (m *MainWindow) build() {
	m.newBtn = widget.NewButtonWithIcon(lang.L("main.new"), theme.ContentAddIcon(), m.newMessage)
	m.replyBtn = widget.NewButtonWithIcon(lang.L("main.reply"), theme.MailReplyIcon(), func() { m.reply(false) })
	m.replyAllBtn = widget.NewButtonWithIcon(lang.L("main.replyall"), theme.MailReplyAllIcon(), func() { m.reply(true) })
	m.forwardBtn = widget.NewButtonWithIcon(lang.L("main.forward"), theme.MailForwardIcon(), m.forward)
	m.deleteBtn = widget.NewButtonWithIcon(lang.L("main.delete"), theme.DeleteIcon(), m.deleteCurrent)
	m.sendReceiveBtn = widget.NewButtonWithIcon(lang.L("main.sendreceive"), theme.ViewRefreshIcon(), m.sendReceive)
	m.bookBtn = widget.NewButtonWithIcon(lang.L("book.title"), theme.AccountIcon(), m.openBook)
	m.linkBtn = widget.NewButtonWithIcon(lang.L("link.title"), theme.MailSendIcon(), m.openLink)
	m.settingsBtn = widget.NewButtonWithIcon("", theme.SettingsIcon(), m.openSettings)
	m.searchEntry = newKeyEntry(m.keys)
	m.searchEntry.SetPlaceHolder(lang.L("main.search"))
	m.searchEntry.OnSubmitted = m.search
	m.searchEntry.OnChanged = m.searchTyped
	for _, b := range []*widget.Button{m.replyBtn, m.replyAllBtn, m.forwardBtn, m.deleteBtn} {
		b.Disable()
	}
	bar := container.NewHBox(m.newBtn, m.replyBtn, m.replyAllBtn, m.forwardBtn, m.deleteBtn, widget.NewSeparator(),
		m.sendReceiveBtn, widget.NewSeparator(), m.bookBtn, m.linkBtn)
	toolbar := container.NewBorder(nil, nil, bar, m.settingsBtn)

	m.folders = newKeyList(func() int { return len(m.folderRows) },
		func() fyne.CanvasObject {
			return widget.NewLabel(lang.L("main.folder.unseen", map[string]any{"Folder": folderLabel(mailstore.Drafts), "N": "000"}))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			f := m.folderRows[id]
			l := o.(*widget.Label)
			l.TextStyle.Bold = f.Unseen > 0
			if f.Unseen > 0 {
				l.SetText(lang.L("main.folder.unseen", map[string]any{"Folder": folderLabel(f.Name), "N": f.Unseen}))
			} else {
				l.SetText(folderLabel(f.Name))
			}
		})
	m.folders.keys = m.keys
	m.folders.OnSelected = func(id widget.ListItemID) {
		if id < len(m.folderRows) && m.folderRows[id].Name != m.folder {
			m.ShowFolder(m.folderRows[id].Name)
		}
	}
	left := fyne.CanvasObject(m.folders)
	if m.net != nil {
		left = container.NewBorder(nil, widget.NewButtonWithIcon(lang.L("main.network"), theme.ComputerIcon(), m.openNetwork), nil, nil, m.folders)
	}

	m.status = widget.NewLabel(m.statusText())
	m.progress = widget.NewProgressBar()
	m.progress.Hide()
	m.cancelBtn = widget.NewButton(lang.L("Cancel"), func() {
		if m.cancelWork != nil {
			m.cancelWork()
		}
	})
	m.cancelBtn.Hide()
	status := container.NewBorder(nil, nil, nil, container.NewHBox(m.progress, m.cancelBtn), m.status)

	l := m.loadLayout()
	m.list.applyLayout(l)
	listBar := container.NewBorder(nil, nil, m.buildListBar(), searchBox(m.searchEntry))
	m.readerSplit = container.NewVSplit(container.NewBorder(container.NewVBox(listBar, m.list.header.row), nil, nil, nil, m.list.list), m.reader.content)
	m.readerSplit.SetOffset(l.SplitReader)
	m.split = container.NewHSplit(left, m.readerSplit)
	m.split.SetOffset(l.SplitFolders)
	m.win.SetContent(container.NewBorder(toolbar, status, nil, nil, m.split))
	m.win.Resize(fyne.NewSize(float32(l.Width), float32(l.Height)))
	m.shortcuts()
}

// searchBox holds the search field above the message list (where
// Thunderbird has its quick filter), as wide as its placeholder needs
// ("Rechercher (Ctrl+F)") and never less than searchWidth: in the toolbar
// the longer French and German button words squeezed it to a sliver.
func searchBox(e *keyEntry) fyne.CanvasObject {
	need := fyne.MeasureText(e.PlaceHolder, theme.TextSize(), e.TextStyle).Width + 2*theme.InnerPadding()
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(max(need, searchWidth), 0))
	return container.NewStack(room, e)
}

// searchWidth is the search field's width with room for a query.
const searchWidth = 240

// Show opens the window and loads the Inbox; with checking on, mail is
// fetched every CheckEvery.
func (m *MainWindow) Show() {
	m.win.Show()
	if m.trace != nil {
		m.trace.shown = time.Now()
		m.trace.event("window shown")
	}
	m.Refresh()
	if s, err := m.core.Settings(); err == nil && s.CheckEvery > 0 {
		go m.checkLoop(time.Duration(s.CheckEvery))
	}
}

// Refresh reloads the folders and the current folder.
func (m *MainWindow) Refresh() {
	m.reloadFolders()
	m.ShowFolder(m.folder)
}

// reload refreshes the folders and the list but keeps the open message.
func (m *MainWindow) reload() {
	m.reloadFolders()
	m.list.setFolder(m.folder, nil)
}

func (m *MainWindow) reloadFolders() {
	go func() {
		fs, err := m.core.Folders(m.ctx)
		m.do(func() {
			if err != nil {
				m.setStatus(explain(err))
				return
			}
			m.folderRows = fs
			m.folders.Refresh()
			for i, f := range fs {
				if f.Name == m.folder {
					m.folders.Select(i)
				}
			}
		})
	}()
}

// ShowFolder lists a folder.
func (m *MainWindow) ShowFolder(name string) {
	m.folder = name
	m.refreshListBar()
	m.reader.Clear()
	m.setSelected(false)
	m.list.setFolder(name, func(n int, err error) {
		if err != nil {
			m.setStatus(explain(err))
		}
	})
}

func (m *MainWindow) search(q string) {
	q = strings.TrimSpace(q)
	m.searching = q
	if q == "" {
		m.ShowFolder(m.folder)
		m.setStatus(m.statusText())
		return
	}
	go func() {
		rows, err := m.core.Search(m.ctx, q)
		m.do(func() {
			if m.searching != q {
				return // the user has typed on: the status is about the current query
			}
			if err != nil {
				m.setStatus(explain(err))
				return
			}
			m.list.showSearch(rows)
			m.setStatus(lang.L("main.search.found", map[string]any{"N": len(rows), "Query": displaytext.Line(q)}))
		})
	}()
}

// open reads, decrypts and verifies a message in the background.
func (m *MainWindow) open(r mailstore.Row) {
	if r.Folder == mailstore.Drafts {
		m.openDraft(r)
		return
	}
	m.currentRow = r
	m.setSelected(true)
	if !r.Seen {
		m.showSeen(r, true) // at once, not after decrypting
	}
	go func() {
		v, err := m.core.OpenMessage(m.ctx, r.ID)
		if err == nil && !r.Seen {
			_ = m.core.MarkSeen(m.ctx, r.ID)
		}
		m.do(func() {
			if m.currentRow.ID != r.ID {
				return
			}
			if v != nil && (err == nil || v.Report != nil) {
				m.current = v
				m.reader.Show(v)
				return
			}
			m.current = nil
			m.reader.ShowError(err)
		})
	}()
}

func (m *MainWindow) setSelected(on bool) {
	for _, b := range []*widget.Button{m.replyBtn, m.replyAllBtn, m.forwardBtn, m.deleteBtn} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if !on {
		m.current, m.currentRow = nil, mailstore.Row{}
	}
	m.refreshListBar()
}

func (m *MainWindow) newMessage() { m.compose(&compose.Draft{}) }

// openDraft opens a draft in the composer, editable, instead of the reader.
func (m *MainWindow) openDraft(r mailstore.Row) {
	go func() {
		d, opts, err := m.core.OpenDraft(m.ctx, r.ID)
		m.do(func() {
			if err != nil {
				m.setStatus(explain(err))
				return
			}
			m.list.list.UnselectAll() // selecting it again opens it again
			m.compose(d).Resume(r.ID, opts)
		})
	}()
}

func (m *MainWindow) compose(d *compose.Draft) *Composer {
	c := NewComposer(m.fyneApp, m.core, d)
	c.do = m.do
	c.OnDraftSaved = func() {
		if m.folder == mailstore.Drafts {
			m.reload()
		}
		m.reloadFolders()
	}
	m.track(c)
	c.OnSent = func(res *app.SendResult) {
		if res.Queued {
			m.setStatus(lang.L("main.queued"))
		} else {
			m.setStatus(lang.L("main.sent"))
		}
		m.reloadFolders()
	}
	c.Show()
	return c
}

func (m *MainWindow) reply(all bool) {
	if m.current == nil || m.current.Message == nil {
		return
	}
	m.compose(compose.Reply(m.current.Original(), all, m.selfAddress()))
}

func (m *MainWindow) forward() {
	if m.current == nil || m.current.Message == nil {
		return
	}
	m.compose(compose.Forward(m.current.Original(), i18n.Say))
}

func (m *MainWindow) selfAddress() string {
	if s, err := m.core.Settings(); err == nil {
		return s.Account.Address
	}
	return ""
}

func (m *MainWindow) deleteCurrent() {
	if m.currentRow.ID == "" {
		return
	}
	id := m.currentRow.ID
	go func() {
		err := m.core.Delete(m.ctx, []string{id})
		m.do(func() {
			if err != nil {
				m.setStatus(explain(err))
				return
			}
			m.setStatus(lang.L("main.trashed"))
			m.Refresh()
		})
	}()
}

// sendReceive sends what waits in the Outbox, then fetches new mail, with
// progress and Cancel in the status bar.
func (m *MainWindow) sendReceive() {
	if m.cancelWork != nil {
		return // already running
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancelWork = cancel
	m.sendReceiveBtn.Disable()
	m.progress.SetValue(0)
	m.progress.Show()
	m.cancelBtn.Show()
	m.setStatus(lang.L("main.sendingwaiting"))
	go func() {
		_, ferr := m.core.FlushOutbox(ctx)
		m.do(func() { m.setStatus(lang.L("main.checking")) })
		res, err := m.core.Fetch(ctx, func(done, total int) {
			m.do(func() {
				if total > 0 {
					m.progress.SetValue(float64(done) / float64(total))
				}
				m.setStatus(lang.L("main.receiving", map[string]any{"Done": done, "Total": total}))
			})
		})
		m.do(func() {
			cancelled := ctx.Err() != nil
			m.cancelWork = nil
			cancel()
			m.sendReceiveBtn.Enable()
			m.progress.Hide()
			m.cancelBtn.Hide()
			m.lastChecked = time.Now()
			switch {
			case cancelled:
				m.setStatus(lang.L("main.cancelled"))
			case err != nil:
				m.setStatus(explain(err))
			case ferr != nil:
				m.setStatus(explain(ferr))
			default:
				m.setStatus(m.statusText())
				if res != nil && res.New > 0 {
					m.fyneApp.SendNotification(fyne.NewNotification("SecureMail", newMailText(res.New)))
				}
			}
			m.reload()
			m.closeIfIdle()
		})
	}()
}

func newMailText(n int) string {
	return lang.N("main.newmail", n, map[string]any{"N": n})
}

// folderLabel names a folder: the standard ones in the window's language,
// the user's own as they were named.
func folderLabel(name string) string {
	switch name {
	case mailstore.Inbox, mailstore.Outbox, mailstore.Sent, mailstore.Drafts, mailstore.Trash:
		return lang.L("folder." + strings.ToLower(name))
	}
	return displaytext.Line(name)
}

func (m *MainWindow) checkLoop(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-t.C:
			m.do(m.sendReceive)
		}
	}
}

func (m *MainWindow) statusText() string {
	if m.net != nil && m.lastChecked.IsZero() {
		return lang.L("main.status.network")
	}
	if m.net != nil {
		return lang.L("main.status.network.checked", map[string]any{"Time": m.lastChecked.Format("15:04")})
	}
	if m.lastChecked.IsZero() {
		return lang.L("main.status.servers")
	}
	return lang.L("main.status.servers.checked", map[string]any{"Time": m.lastChecked.Format("15:04")})
}

func (m *MainWindow) setStatus(s string) { m.status.SetText(s) }

func (m *MainWindow) openBook()     { NewAddressBookWindow(m.fyneApp, m.core).Show() }
func (m *MainWindow) openLink()     { NewSecureLinkWindow(m.fyneApp, m.core).Show() }
func (m *MainWindow) openSettings() { NewSettingsWindow(m.fyneApp, m.core).Show() }
func (m *MainWindow) openNetwork() {
	if m.net != nil {
		NewNetworkWindow(m.fyneApp, m.net).Show()
	}
}

// close remembers the window's sizes and stops background work.
func (m *MainWindow) close() {
	if m.ctx.Err() != nil {
		return // already closed
	}
	m.saveLayout()
	m.trace.summary()
	m.stop()
}

func errDialog(err error, w fyne.Window) {
	dialog.ShowError(fmt.Errorf("%s", explain(err)), w)
}
