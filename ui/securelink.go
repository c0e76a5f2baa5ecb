package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/internal/displaytext"
)

// LinkStateText is a secure-link state in the words of docs/UX.md §6.
func LinkStateText(s addressbook.LinkState) string {
	switch s {
	case addressbook.LinkRequested:
		return lang.L("link.state.requested")
	case addressbook.LinkReceived:
		return lang.L("link.state.received")
	case addressbook.LinkEstablished:
		return lang.L("link.state.linked")
	}
	return lang.L("link.state.none")
}

// linkAction is the one action a row offers: "Send request", "Reply signed" or "".
func linkAction(s addressbook.LinkState) string {
	switch s {
	case addressbook.LinkReceived:
		return lang.L("link.action.reply")
	case addressbook.LinkRequested, addressbook.LinkEstablished:
		return ""
	}
	return lang.L("link.action.request")
}

// SecureLinkWindow is the table of contacts with their secure-link state and
// one action per row.
type SecureLinkWindow struct {
	win     fyne.Window
	core    Linker
	ctx     context.Context // cancelled when the window closes: ends the requests sent
	rows    []app.LinkRow
	table   *keyTable
	message *widget.Label
	close   *widget.Button // Esc does the same
	do      func(func())
}

// NewSecureLinkWindow builds the secure-link view.
func NewSecureLinkWindow(a fyne.App, core Linker) *SecureLinkWindow {
	w := &SecureLinkWindow{win: a.NewWindow(lang.L("link.title")), core: core, message: widget.NewLabel(""), do: fyne.Do}
	w.ctx, _ = screenContext(w.win)
	w.message.Wrapping = fyne.TextWrapWord
	w.table = newKeyTable(func() (int, int) { return len(w.rows), 3 },
		func() fyne.CanvasObject {
			return container.NewStack(widget.NewLabel("Firstname.Surname@tcn.xx.eu-admin.net"), widget.NewButton(lang.L("link.action.request"), nil))
		},
		w.updateCell)
	w.table.keys = escCloses(w.win, w.win.Close)
	w.close = widget.NewButton(lang.L("Close"), w.win.Close)
	w.table.SetColumnWidth(0, 360)
	w.table.SetColumnWidth(1, 160)
	w.table.SetColumnWidth(2, 160)
	w.table.ShowHeaderRow = true
	w.table.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("") }
	w.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText([]string{lang.L("link.col.contact"), lang.L("link.col.state"), lang.L("link.col.action")}[id.Col])
	}
	intro := widget.NewLabel(lang.L("link.intro"))
	intro.Wrapping = fyne.TextWrapWord
	w.win.SetContent(container.NewBorder(intro, container.NewBorder(nil, nil, nil, w.close, w.message), nil, nil, w.table))
	w.win.Resize(fyne.NewSize(720, 420))
	w.Reload()
	return w
}

// Show opens the window.
func (w *SecureLinkWindow) Show() { w.win.Show() }

// Reload reads the states again.
func (w *SecureLinkWindow) Reload() {
	rows, err := w.core.SecureLinkStatus()
	if err != nil {
		w.message.SetText(explain(err))
	}
	w.rows = rows
	w.table.Refresh()
}

func (w *SecureLinkWindow) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	st := o.(*fyne.Container)
	l, b := st.Objects[0].(*widget.Label), st.Objects[1].(*widget.Button)
	r := w.rows[id.Row]
	l.Show()
	l.Truncation = fyne.TextTruncateOff
	b.Hide()
	switch id.Col {
	case 0: // a long address ends in "…" (the Address Book shows it whole); the states' words never do
		l.Truncation = fyne.TextTruncateEllipsis
		l.SetText(displaytext.Line(r.Address))
	case 1:
		l.SetText(LinkStateText(r.State))
	case 2:
		act := linkAction(r.State)
		if act == "" {
			l.SetText("—")
			return
		}
		l.Hide()
		b.SetText(act)
		b.OnTapped = func() { w.Act(r) }
		b.Show()
	}
}

// Act carries out a row's action in the background.
func (w *SecureLinkWindow) Act(r app.LinkRow) {
	w.message.SetText(lang.L("link.sending"))
	go func() {
		var err error
		done := ""
		switch r.State {
		case addressbook.LinkRequested, addressbook.LinkEstablished:
		case addressbook.LinkReceived:
			err = w.core.ReplySecureLink(w.ctx, r.Address)
			done = lang.L("link.replied", map[string]any{"Address": r.Address})
		default:
			err = w.core.RequestSecureLink(w.ctx, []string{r.Address})
			done = lang.L("link.requested", map[string]any{"Address": r.Address})
		}

		w.do(func() {
			if err != nil {
				w.message.SetText(explain(err))
			} else {
				w.message.SetText(done)
			}
			w.Reload()
		})
	}()
}
