package ui

import (
	"context"
	"image/color"
	"math"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/internal/displaytext"
	"securemail/mailstore"
	"securemail/ui/i18n"
)

// pageSize is how many rows one background load brings into the list.
const pageSize = 100

// maxPages bounds the rows kept in memory; pages far from the view are dropped.
const maxPages = 30

// messageList is the virtualised message list: widget.List asks only for the
// rows on screen; rows come from pages loaded off the UI goroutine and are
// cached, so a folder of any size scrolls without waiting on the disk.
type messageList struct {
	mb      Mailbox
	ctx     context.Context
	folder  string
	count   int
	gen     int
	pages   map[int][]mailstore.Row
	loading map[int]bool
	search  []mailstore.Row // non-nil while showing search results
	list    *keyList        // passes Delete, F5… to the main window (shortcuts.go)
	onOpen  func(mailstore.Row)
	// onUpdate, when set, receives how long each row callback took (benchmarks).
	onUpdate func(time.Duration)
	// onLoaded, when set, is called on the UI goroutine after a page arrived.
	onLoaded func()
	do       func(func())
	// order and cols are the list's sort and column widths, remembered per
	// profile; header shows and changes them (listheader.go).
	order  mailstore.Sort
	cols   []float32
	header *listHeader
}

func newMessageList(ctx context.Context, mb Mailbox, onOpen func(mailstore.Row)) *messageList {
	m := &messageList{mb: mb, ctx: ctx, pages: map[int][]mailstore.Row{}, loading: map[int]bool{}, onOpen: onOpen, do: fyne.Do,
		cols: append([]float32(nil), rowColumns...)}
	m.cols[colWord] = max(m.cols[colWord], wordColumn())
	m.list = newKeyList(m.length, func() fyne.CanvasObject { return newRowViewWith(m.cols) }, m.update)
	m.header = newListHeader(m)
	m.list.OnSelected = func(id widget.ListItemID) {
		if r, ok := m.row(id); ok && m.onOpen != nil {
			m.onOpen(r)
		}
	}
	return m
}

func (m *messageList) length() int {
	if m.search != nil {
		return len(m.search)
	}
	return m.count
}

// row returns a cached row; false when its page is not loaded yet.
func (m *messageList) row(id int) (mailstore.Row, bool) {
	if m.search != nil {
		if id < len(m.search) {
			return m.search[id], true
		}
		return mailstore.Row{}, false
	}
	rows, ok := m.pages[id/pageSize]
	if !ok || id%pageSize >= len(rows) {
		return mailstore.Row{}, false
	}
	return rows[id%pageSize], true
}

func (m *messageList) update(id widget.ListItemID, o fyne.CanvasObject) {
	start := time.Now()
	v := o.(*fyne.Container)
	r, ok := m.row(id)
	if !ok {
		setRow(v, mailstore.Row{Subject: "…"})
		m.request(id / pageSize)
	} else {
		setRow(v, r)
	}
	if m.onUpdate != nil {
		m.onUpdate(time.Since(start))
	}
}

// request loads one page in the background.
func (m *messageList) request(page int) {
	if m.loading[page] {
		return
	}
	m.loading[page] = true
	gen, folder, order := m.gen, m.folder, m.order
	go func() {
		rows, err := m.mb.List(m.ctx, folder, order, page*pageSize, pageSize)
		m.do(func() {
			if gen != m.gen {
				return
			}
			delete(m.loading, page)
			if err != nil {
				return
			}
			m.pages[page] = rows
			m.evict(page)
			m.list.Refresh()
			if m.onLoaded != nil {
				m.onLoaded()
			}
		})
	}()
}

// evict drops the pages farthest from the one just loaded.
func (m *messageList) evict(near int) {
	for len(m.pages) > maxPages {
		far, dist := -1, -1
		for p := range m.pages {
			d := p - near
			if d < 0 {
				d = -d
			}
			if d > dist {
				far, dist = p, d
			}
		}
		delete(m.pages, far)
	}
}

// setFolder shows another folder (or reloads this one); the count is read
// in the background.
func (m *messageList) setFolder(folder string, done func(count int, err error)) {
	m.gen++
	m.folder, m.search = folder, nil
	m.pages, m.loading = map[int][]mailstore.Row{}, map[int]bool{}
	m.list.UnselectAll()
	gen := m.gen
	go func() {
		n, err := m.mb.Count(m.ctx, folder)
		m.do(func() {
			if gen != m.gen {
				return
			}
			if err == nil {
				m.count = n
			}
			m.list.Refresh()
			m.list.ScrollToTop()
			if done != nil {
				done(n, err)
			}
		})
	}()
}

// showSearch replaces the folder listing by search results.
func (m *messageList) showSearch(rows []mailstore.Row) {
	m.gen++
	if rows == nil {
		rows = []mailstore.Row{}
	}
	m.search = rows
	m.list.UnselectAll()
	m.list.Refresh()
}

// Column widths of a row by default: lock, signature mark, word, from,
// (subject), date, clip. A list keeps its own copy (From and Date resize).
var rowColumns = []float32{20, 20, 118, 200, -1, 120, 20}

// Indexes of the resizable columns, and of the word's.
const (
	colWord = 2
	colFrom = 3
	colDate = 5
)

// wordSize is the text size of a row's word.
func wordSize() float32 { return theme.TextSize() * 0.85 }

// wordColumn is as wide as the widest word a row can show in the window's
// language needs on at most two lines: German's "Verschlüsselt · Kein
// eindeutiger Absender · Bericht" breaks after "Verschlüsselt ·", and the
// everyday "Verschlüsselt · Signiert" stays on one.
func wordColumn() float32 {
	width := float32(0)
	for _, w := range rowWords() {
		best := textWidth(w)
		for _, lines := range wordBreaks(w) {
			best = min(best, max(textWidth(lines[0]), textWidth(lines[1])))
		}
		width = max(width, best)
	}
	return float32(math.Ceil(float64(width)))
}

func textWidth(s string) float32 { return fyne.MeasureText(s, wordSize(), fyne.TextStyle{}).Width }

// wordBreaks are the ways to set a word on two lines: after each separator.
func wordBreaks(w string) [][2]string {
	parts := strings.Split(w, wordSeparator)
	var out [][2]string
	for k := len(parts) - 1; k > 0; k-- {
		out = append(out, [2]string{strings.Join(parts[:k], wordSeparator) + strings.TrimRight(wordSeparator, " "), strings.Join(parts[k:], wordSeparator)})
	}
	return out
}

// wordLines sets a word in a column width wide: on one line when it fits,
// else broken after the latest separator that lets both lines fit.
func wordLines(w string, width float32) (string, string) {
	if textWidth(w) <= width {
		return w, ""
	}
	for _, lines := range wordBreaks(w) {
		if textWidth(lines[0]) <= width && textWidth(lines[1]) <= width {
			return lines[0], lines[1]
		}
	}
	return w, "" // wider than the column (one that is not wordColumn wide): drawn past it, never cut
}

// wordLayout sets a word's one or two lines one under the other, centred
// in the row's height.
type wordLayout struct{}

func (l wordLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := (size.Height - l.MinSize(objs).Height) / 2
	for _, o := range objs {
		if o.Visible() {
			h := o.MinSize().Height
			o.Move(fyne.NewPos(0, y))
			o.Resize(fyne.NewSize(size.Width, h))
			y += h
		}
	}
}

func (wordLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if o.Visible() {
			m := o.MinSize()
			s = fyne.NewSize(max(s.Width, m.Width), s.Height+m.Height)
		}
	}
	return s
}

// rowLayout lays a row out in the columns cols (shared by every row of a
// list and its header); the subject takes what is left.
type rowLayout struct{ cols []float32 }

func (r rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	fixed := float32(0)
	for _, w := range r.cols {
		if w > 0 {
			fixed += w + theme.Padding()
		}
	}
	x := float32(0)
	for i, o := range objs {
		w := r.cols[i]
		if w < 0 {
			w = size.Width - fixed - theme.Padding()
			if w < 40 {
				w = 40
			}
		}
		h := o.MinSize().Height
		if i < 2 || i == 6 {
			h = 18
		}
		if i == colWord { // the word centres its one or two lines itself
			h = size.Height
		}
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
		x += w + theme.Padding()
	}
}

func (rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(20)
	for _, o := range objs {
		if s := o.MinSize().Height; s > h {
			h = s
		}
	}
	return fyne.NewSize(500, h)
}

func newRowView() fyne.CanvasObject { return newRowViewWith(rowColumns) }

// newRowViewWith is a row laid out in the columns cols.
func newRowViewWith(cols []float32) fyne.CanvasObject {
	lock := widget.NewIcon(nil)
	seal := widget.NewIcon(nil)
	var lines [2]fyne.CanvasObject
	for i := range lines {
		t := canvas.NewText("", theme.Color(theme.ColorNameForeground))
		t.TextSize = wordSize()
		lines[i] = t
	}
	lines[1].Hide()
	word := container.New(wordLayout{}, lines[:]...)
	from := widget.NewLabel("")
	from.Truncation = fyne.TextTruncateEllipsis
	subject := widget.NewLabel("")
	subject.Truncation = fyne.TextTruncateEllipsis
	date := widget.NewLabel("")
	clip := widget.NewIcon(nil)
	return container.New(rowLayout{cols}, lock, seal, word, from, subject, date, clip)
}

func setRow(c *fyne.Container, r mailstore.Row) {
	o := c.Objects
	lock, seal, word := o[0].(*widget.Icon), o[1].(*widget.Icon), o[2].(*fyne.Container)
	if r.Encrypted {
		setIcon(lock, MarkEncrypted)
	} else {
		setIcon(lock, MarkNone)
	}
	sm := signatureMark(r.Signature, r.Signed)
	setIcon(seal, sm)
	colour := MarkEncrypted.Colour()
	if sm != MarkNone {
		colour = sm.Colour()
	}
	setWord(word, rowWord(r), colour, c.Layout.(rowLayout).cols[colWord])
	bold := !r.Seen && r.ID != ""
	setLabel(o[3].(*widget.Label), displaytext.Line(i18n.Say(app.Correspondent(r))), bold)
	setLabel(o[4].(*widget.Label), displaytext.Line(r.Subject), bold)
	setLabel(o[5].(*widget.Label), shortDate(r.Date, time.Now()), false)
	clip := o[6].(*widget.Icon)
	if has := clip.Resource != nil; has != (r.Attachments > 0) {
		if r.Attachments > 0 {
			clip.SetResource(theme.FileIcon())
		} else {
			clip.SetResource(nil)
		}
	}
}

// setWord shows a row's word in its colour, on two lines when it is wider
// than the column, touching the text only when word or colour change.
func setWord(c *fyne.Container, w string, colour color.Color, width float32) {
	l1, l2 := c.Objects[0].(*canvas.Text), c.Objects[1].(*canvas.Text)
	if l2.Visible() && l1.Text+" "+l2.Text == w || !l2.Visible() && l1.Text == w {
		if l1.Color == colour {
			return
		}
	}
	a, b := wordLines(w, width)
	l1.Text, l1.Color, l2.Text, l2.Color = a, colour, b, colour
	l2.Hidden = b == ""
	c.Refresh()
}

// setLabel changes a label only when its text or weight changes: a label
// refresh re-shapes its text, the dearest part of a row.
func setLabel(l *widget.Label, text string, bold bool) {
	if l.Text == text && l.TextStyle.Bold == bold {
		return
	}
	l.TextStyle.Bold = bold
	l.SetText(text)
}

// setIcon shows a mark's icon, touching the icon only when the mark changes.
func setIcon(i *widget.Icon, m Mark) {
	res := m.Icon()
	switch {
	case res == nil && i.Resource == nil:
	case res != nil && i.Resource != nil && res.Name() == i.Resource.Name():
	default:
		i.SetResource(res)
	}
}

// shortDate shows today's times as 15:04 and older dates as 2 Jan 2006
// (in the window's language).
func shortDate(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.Local()
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return i18n.ShortDate(t)
}

// setSeen changes the read state of a listed message in the rows held
// (folder pages and search results); false when it is not listed.
func (m *messageList) setSeen(id string, seen bool) bool {
	found := false
	for _, rows := range m.pages {
		for i := range rows {
			if rows[i].ID == id && rows[i].Seen != seen {
				rows[i].Seen, found = seen, true
			}
		}
	}
	for i := range m.search {
		if m.search[i].ID == id && m.search[i].Seen != seen {
			m.search[i].Seen, found = seen, true
		}
	}
	if found {
		m.list.Refresh()
	}
	return found
}
