package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"securemail/mailstore"
)

// The message list's header (issue 14 point 4): From, Subject and Date
// sort the list when tapped (Date again: oldest first); dragging From or
// Date sideways resizes the column. Both are remembered per profile with
// the window's layout (layout.go).

// sortNames are the orders as the profile's layout file names them.
var sortNames = map[string]mailstore.Sort{"date": mailstore.ByDateDesc, "oldest": mailstore.ByDateAsc,
	"from": mailstore.ByFrom, "subject": mailstore.BySubject}

// sortName is the layout file's name of an order ("date" for any other).
func sortName(o mailstore.Sort) string {
	for n, s := range sortNames {
		if s == o {
			return n
		}
	}
	return "date"
}

// Column widths a drag keeps within.
const minColumn, maxColumn = 60, 600

// listHeader is the row of column titles above the message list.
type listHeader struct {
	row                 *fyne.Container
	from, subject, date *columnHeader
	list                *messageList
}

func newListHeader(m *messageList) *listHeader {
	h := &listHeader{list: m}
	h.from = newColumnHeader(func() { h.sortBy(mailstore.ByFrom) }, h.resizer(colFrom))
	h.subject = newColumnHeader(func() { h.sortBy(mailstore.BySubject) }, nil)
	h.date = newColumnHeader(func() {
		if m.order == mailstore.ByDateDesc {
			h.sortBy(mailstore.ByDateAsc)
		} else {
			h.sortBy(mailstore.ByDateDesc)
		}
	}, h.resizer(colDate))
	h.row = container.New(rowLayout{m.cols}, layout.NewSpacer(), layout.NewSpacer(), layout.NewSpacer(), h.from, h.subject, h.date, layout.NewSpacer())
	h.refresh()
	return h
}

// sortBy lists the folder again in order o.
func (h *listHeader) sortBy(o mailstore.Sort) {
	h.list.order = o
	h.refresh()
	if h.list.search == nil {
		h.list.setFolder(h.list.folder, nil)
	}
}

// resizer changes column col's width by a drag.
func (h *listHeader) resizer(col int) func(dx float32) {
	return func(dx float32) {
		h.list.cols[col] = min(max(h.list.cols[col]+dx, minColumn), maxColumn)
		h.row.Refresh()
		h.list.list.Refresh()
	}
}

// refresh shows which column sorts, and how.
func (h *listHeader) refresh() {
	mark := func(on bool, s string) string {
		if on {
			return s + " ▲"
		}
		return s
	}
	o := h.list.order
	h.from.label.SetText(mark(o == mailstore.ByFrom, lang.L("mail.from")))
	h.subject.label.SetText(mark(o == mailstore.BySubject, lang.L("mail.subject")))
	switch o {
	case mailstore.ByDateDesc:
		h.date.label.SetText(lang.L("mail.date") + " ▼")
	case mailstore.ByDateAsc:
		h.date.label.SetText(lang.L("mail.date") + " ▲")
	default:
		h.date.label.SetText(lang.L("mail.date"))
	}
}

// columnHeader is a column's title: tapped it sorts, dragged it resizes
// (when resize is set).
type columnHeader struct {
	widget.BaseWidget
	label  *widget.Label
	onTap  func()
	resize func(dx float32)
}

func newColumnHeader(onTap func(), resize func(dx float32)) *columnHeader {
	c := &columnHeader{label: widget.NewLabel(""), onTap: onTap, resize: resize}
	c.label.TextStyle.Bold = true
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer draws the title.
func (c *columnHeader) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.label) }

// Tapped sorts by this column.
func (c *columnHeader) Tapped(*fyne.PointEvent) { c.onTap() }

// Dragged resizes the column.
func (c *columnHeader) Dragged(e *fyne.DragEvent) {
	if c.resize != nil {
		c.resize(e.Dragged.DX)
	}
}

// DragEnd ends a resize (the width is saved with the window's layout).
func (c *columnHeader) DragEnd() {}

// Cursor shows that a resizable column's title can be dragged.
func (c *columnHeader) Cursor() desktop.Cursor {
	if c.resize != nil {
		return desktop.HResizeCursor
	}
	return desktop.DefaultCursor
}
