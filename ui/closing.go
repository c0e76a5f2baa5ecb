package ui

import (
	"slices"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
)

// Closing the main window while mail is being sent (issue 14 point 9):
// nothing is lost. A Send/Receive is stopped (what it has not sent stays
// in the Outbox, what it has not fetched stays on the server) and the
// window closes once it has stopped; a message a composer is sending is
// waited for, or the user keeps the window open; a send that fails keeps
// the window (and the composer with its text) open.

// requestClose is what the window's close button does.
func (m *MainWindow) requestClose() {
	if m.closing {
		return // already closing once the work ends
	}
	sending := m.sendingNow()
	switch {
	case sending == 0 && m.cancelWork == nil:
		m.win.Close()
	case sending == 0:
		m.closing = true
		m.cancelWork()
		m.setStatus(lang.L("closing.stopping"))
	default:
		dialog.ShowCustomConfirm(lang.L("closing.title"), lang.L("closing.whensent"), lang.L("closing.keepopen"),
			para(lang.N("closing.sending", sending, map[string]any{"N": sending})),
			func(wait bool) {
				if !wait {
					return
				}
				m.closing = true
				m.setStatus(lang.L("closing.waiting"))
				m.closeIfIdle()
			}, m.win)
	}
}

// sendingNow counts the composers of this window sending at the moment.
func (m *MainWindow) sendingNow() int {
	n := 0
	for _, c := range m.composers {
		if c.sending {
			n++
		}
	}
	return n
}

// track keeps a composer this window opened, forgetting the closed ones.
func (m *MainWindow) track(c *Composer) {
	open := m.fyneApp.Driver().AllWindows()
	m.composers = slices.DeleteFunc(m.composers, func(o *Composer) bool { return !o.sending && !slices.Contains(open, o.win) })
	m.composers = append(m.composers, c)
	c.onSendEnd = func(sent bool) {
		if m.closing && !sent {
			m.closing = false
			m.setStatus(lang.L("closing.notsent"))
			return
		}
		m.closeIfIdle()
	}
}

// closeIfIdle closes the window when it was asked to and nothing is sent.
func (m *MainWindow) closeIfIdle() {
	if m.closing && m.sendingNow() == 0 && m.cancelWork == nil {
		m.win.Close()
	}
}
