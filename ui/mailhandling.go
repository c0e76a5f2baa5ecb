package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/mailstore"
)

// searchDelay is how long typing in the search field pauses before the
// search runs: one search per pause, not one per key.
const searchDelay = 300 * time.Millisecond

// mailHandling is the main window's handling of the mail it lists: search
// as you type, read / unread, Restore and Empty Trash.
type mailHandling struct {
	// after runs f on the UI goroutine after d unless stop is called
	// first; tests replace it with a fake clock.
	after       func(d time.Duration, f func()) (stop func())
	stopSearch  func()
	bar         *fyne.Container
	unreadBtn   *widget.Button // "Mark unread" / "Mark read" for the selected message
	restoreBtn  *widget.Button // in Trash: back to the Inbox (or Sent)
	emptyBtn    *widget.Button // in Trash: Empty Trash…
	confirmEmpt func(yes func())
	movePrompt  *movePrompt // open while "Move to folder" asks where
}

// movePrompt asks to which folder the selected message goes.
type movePrompt struct {
	dialog       dialog.Dialog
	folder       *widget.Select
	folders      []string // the folders offered, in the Select's order
	move, cancel *widget.Button
}

// buildListBar makes the small bar above the message list.
func (m *MainWindow) buildListBar() fyne.CanvasObject {
	h := &m.mail
	if h.after == nil {
		h.after = func(d time.Duration, f func()) func() {
			t := time.AfterFunc(d, func() { m.do(f) })
			return func() { t.Stop() }
		}
	}
	h.unreadBtn = widget.NewButtonWithIcon(lang.L("mail.markunread"), theme.MailComposeIcon(), m.toggleSeen)
	h.restoreBtn = widget.NewButtonWithIcon(lang.L("mail.restore"), theme.ContentUndoIcon(), m.restoreCurrent)
	h.emptyBtn = widget.NewButtonWithIcon(lang.L("mail.emptytrash.button"), theme.DeleteIcon(), m.emptyTrash)
	h.confirmEmpt = func(yes func()) {
		dialog.ShowConfirm(lang.L("mail.emptytrash.title"), lang.L("mail.emptytrash.question"), func(ok bool) {
			if ok {
				yes()
			}
		}, m.win)
	}
	h.bar = container.NewHBox(h.unreadBtn, h.restoreBtn, h.emptyBtn)
	m.refreshListBar()
	return h.bar
}

// refreshListBar shows the bar's buttons that apply to the folder and the
// selected message.
func (m *MainWindow) refreshListBar() {
	h := &m.mail
	if h.bar == nil {
		return
	}
	selected := m.currentRow.ID != ""
	if selected && m.currentRow.Seen {
		h.unreadBtn.SetText(lang.L("mail.markunread"))
	} else if selected {
		h.unreadBtn.SetText(lang.L("mail.markread"))
	}
	enable(h.unreadBtn, selected)
	enable(h.restoreBtn, selected)
	inTrash := m.folder == mailstore.Trash && m.searching == ""
	for _, b := range []*widget.Button{h.restoreBtn, h.emptyBtn} {
		if inTrash {
			b.Show()
		} else {
			b.Hide()
		}
	}
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// searchTyped runs the search once typing pauses for searchDelay; an
// emptied field shows the folder again at once.
func (m *MainWindow) searchTyped(q string) {
	h := &m.mail
	if h.stopSearch != nil {
		h.stopSearch()
		h.stopSearch = nil
	}
	if strings.TrimSpace(q) == "" {
		if m.searching != "" {
			m.search("")
		}
		return
	}
	h.stopSearch = h.after(searchDelay, func() {
		h.stopSearch = nil
		if m.searchEntry.Text == q { // still what the field says
			m.search(q)
		}
	})
}

// showSeen changes a listed message's read state and its folder's count at
// once, before the store has it.
func (m *MainWindow) showSeen(r mailstore.Row, seen bool) {
	if !m.list.setSeen(r.ID, seen) {
		return
	}
	if m.currentRow.ID == r.ID {
		m.currentRow.Seen = seen
	}
	for i := range m.folderRows {
		if m.folderRows[i].Name == r.Folder || (r.Folder == "" && m.folderRows[i].Name == m.folder) {
			if seen && m.folderRows[i].Unseen > 0 {
				m.folderRows[i].Unseen--
			} else if !seen {
				m.folderRows[i].Unseen++
			}
		}
	}
	m.folders.Refresh()
	m.refreshListBar()
}

// toggleSeen marks the selected message unread (or read again).
func (m *MainWindow) toggleSeen() {
	r := m.currentRow
	if r.ID == "" {
		return
	}
	seen := !r.Seen
	m.showSeen(r, seen)
	go func() {
		err := m.core.SetSeen(m.ctx, r.ID, seen)
		m.do(func() {
			if err != nil {
				m.setStatus(explain(err))
				m.reload()
			}
		})
	}()
}

// restoreCurrent takes the selected message out of Trash.
func (m *MainWindow) restoreCurrent() {
	id := m.currentRow.ID
	if id == "" {
		return
	}
	go func() {
		to, err := m.core.Restore(m.ctx, []string{id})
		m.do(func() {
			if err != nil {
				m.setStatus(explain(err))
				return
			}
			m.setStatus(lang.L("mail.restored", map[string]any{"Folder": folderLabel(to[0])}))
			m.Refresh()
		})
	}()
}

// moveCurrent asks to which folder the selected message goes (any folder
// but the one it is in and the Outbox), then moves it there.
func (m *MainWindow) moveCurrent() {
	r := m.currentRow
	if r.ID == "" || m.mail.movePrompt != nil {
		return
	}
	p := &movePrompt{}
	var labels []string
	for _, f := range m.folderRows {
		if f.Name == r.Folder || f.Name == mailstore.Outbox {
			continue
		}
		p.folders = append(p.folders, f.Name)
		labels = append(labels, folderLabel(f.Name))
	}
	if len(p.folders) == 0 {
		return
	}
	finish := func() { p.dialog.Hide(); m.mail.movePrompt = nil }
	p.folder = widget.NewSelect(labels, nil)
	p.folder.SetSelectedIndex(0)
	p.move = widget.NewButton(lang.L("mail.move.button"), func() {
		to := p.folders[p.folder.SelectedIndex()]
		finish()
		m.moveTo(r.ID, to)
	})
	p.move.Importance = widget.HighImportance
	p.cancel = widget.NewButton(lang.L("Cancel"), finish)
	p.dialog = dialog.NewCustomWithoutButtons(lang.L("mail.move.title"),
		container.NewVBox(p.folder, container.NewHBox(p.move, p.cancel)), m.win)
	m.mail.movePrompt = p
	p.dialog.Show()
}

// moveTo moves message id to folder and says where it went.
func (m *MainWindow) moveTo(id, folder string) {
	go func() {
		err := m.core.Move(m.ctx, []string{id}, folder)
		m.do(func() {
			if err != nil {
				m.setStatus(explain(err))
				return
			}
			m.setStatus(lang.L("mail.moved", map[string]any{"Folder": folderLabel(folder)}))
			m.Refresh()
		})
	}()
}

// emptyTrash removes Trash's messages for good, after a confirmation.
func (m *MainWindow) emptyTrash() {
	m.mail.confirmEmpt(func() {
		go func() {
			err := m.core.EmptyTrash(m.ctx)
			m.do(func() {
				if err != nil {
					m.setStatus(explain(err))
					return
				}
				m.setStatus(lang.L("mail.trashempty"))
				m.Refresh()
			})
		}()
	})
}
