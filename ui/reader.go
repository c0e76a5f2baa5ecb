package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/internal/displaytext"
	"securemail/internal/safefile"
	"securemail/smime"
	"securemail/ui/i18n"
)

// Reader is the reading pane: the security banner, the header fields, the
// text (never HTML rendering, never remote content) and the attachments.
type Reader struct {
	win     fyne.Window
	banner  *fyne.Container
	details *widget.Button
	from    *widget.Label
	to      *widget.Label
	date    *widget.Label
	subject *widget.Label
	body    *widget.Label
	note    *widget.Label
	files   *fyne.Container
	content fyne.CanvasObject

	view *app.MessageView
	// BannerTexts are the banner's sentences as shown, for tests and screen readers.
	bannerTexts []string
	// OnDetails opens the message's security properties.
	OnDetails func(*app.MessageView)
	// OnShowMessage opens another message (the one a delivery report is about).
	OnShowMessage func(id string)
	// saved says where the last attachment was saved, under which name.
	saved *widget.Label
	// pickFolder asks in which folder to save an attachment; the default
	// is a folder dialog. done is not called when the user cancels.
	pickFolder func(done func(dir string))
}

func newReader(win fyne.Window) *Reader {
	r := &Reader{
		win:     win,
		banner:  container.NewVBox(),
		from:    widget.NewLabel(""),
		to:      widget.NewLabel(""),
		date:    widget.NewLabel(""),
		subject: widget.NewLabel(""),
		body:    widget.NewLabel(lang.L("reader.empty")),
		note:    widget.NewLabel(""),
		files:   container.NewHBox(),
		saved:   widget.NewLabel(""),
	}
	r.subject.TextStyle.Bold = true
	// Long addresses and subjects end in "…"; Details and the list show them whole.
	for _, l := range []*widget.Label{r.from, r.to, r.subject} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	r.body.Wrapping = fyne.TextWrapWord
	r.body.Selectable = true
	r.note.Hide()
	r.saved.Wrapping = fyne.TextWrapWord
	r.saved.Hide()
	r.details = widget.NewButton(lang.L("reader.details"), func() {
		if r.OnDetails != nil && r.view != nil {
			r.OnDetails(r.view)
		}
	})
	r.details.Hide()
	r.pickFolder = r.pickFolderWithDialog
	head := widget.NewForm(
		widget.NewFormItem(lang.L("mail.from"), r.from),
		widget.NewFormItem(lang.L("mail.to"), r.to),
		widget.NewFormItem(lang.L("mail.date"), r.date),
		widget.NewFormItem(lang.L("mail.subject"), r.subject),
	)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, r.details, r.banner), head, widget.NewSeparator())
	r.content = container.NewBorder(top, container.NewVBox(container.NewHScroll(r.files), r.saved), nil, nil, container.NewVScroll(container.NewVBox(r.note, r.body)))
	return r
}

// Show displays an opened message.
func (r *Reader) Show(v *app.MessageView) {
	r.view = v
	r.banner.RemoveAll()
	r.bannerTexts = nil
	for _, l := range Banner(v) {
		r.bannerTexts = append(r.bannerTexts, l.Text)
		r.banner.Add(bannerLine(l))
	}
	if msg := v.Message; msg != nil && msg.DSN != "" {
		text := DeliveryText(msg.Raw)
		r.bannerTexts = append(r.bannerTexts, text)
		about := msg.DSN
		r.banner.Add(container.NewBorder(nil, nil, nil, widget.NewButton(lang.L("reader.showthat"), func() {
			if r.OnShowMessage != nil {
				r.OnShowMessage(about)
			}
		}), bannerLine(BannerLine{Mark: MarkWarning, Text: text})))
	}
	r.banner.Refresh()
	if v.Message != nil || (v.Report != nil && (v.Report.Signed || v.Report.Encrypted)) {
		r.details.Show() // also where the whole of a long address or subject is read
	} else {
		r.details.Hide()
	}
	msg := v.Message
	if msg != nil {
		r.from.SetText(displaytext.Line(i18n.Say(msg.Shown().Phrase()))) // the sender's marks in the language
		r.to.SetText(displaytext.Line(msg.To))
		r.date.SetText(i18n.DateTime(msg.Date.Local()))
		r.subject.SetText(displaytext.Line(msg.Subject))
	}
	text, fromHTML := v.Readable()
	r.body.SetText(displaytext.Text(text))
	if fromHTML {
		r.note.SetText(lang.L("reader.htmlnote"))
		r.note.Show()
	} else {
		r.note.Hide()
	}
	r.files.RemoveAll()
	r.saved.Hide()
	if v.Report != nil && len(v.Report.Attachments) > 0 {
		r.files.Add(widget.NewLabel(lang.L("reader.attachments")))
		for _, a := range v.Report.Attachments {
			if a.Name == "" && strings.HasPrefix(a.ContentType, "text/") {
				continue // an alternative body part, not a file
			}
			a := a
			r.files.Add(widget.NewLabel(fmt.Sprintf("%s (%s)", safefile.Name(a.Name), i18n.Size(int64(a.Size)))))
			r.files.Add(widget.NewButton(lang.L("Save"), func() { r.pickFolder(func(dir string) { r.SaveAttachment(dir, a) }) }))
		}
	}
	r.files.Refresh()
}

// DeliveryText says what a delivery status report (RFC 3464) reports.
func DeliveryText(raw []byte) string {
	s := strings.ToLower(string(raw))
	until := ""
	if i := strings.Index(s, "will-retry-until:"); i >= 0 {
		until = displaytext.Line(strings.TrimSpace(strings.SplitN(string(raw[i+len("will-retry-until:"):]), "\n", 2)[0]))
	}
	switch {
	case strings.Contains(s, "action: failed"):
		return lang.L("reader.dsn.failed")
	case strings.Contains(s, "action: delayed") && until != "":
		return lang.L("reader.dsn.delayeduntil", map[string]any{"Until": until})
	case strings.Contains(s, "action: delayed"):
		return lang.L("reader.dsn.delayed")
	case strings.Contains(s, "action: delivered"), strings.Contains(s, "action: relayed"):
		return lang.L("reader.dsn.delivered")
	}
	return lang.L("reader.dsn.other")
}

// Clear empties the pane.
func (r *Reader) Clear() {
	r.view = nil
	r.banner.RemoveAll()
	r.bannerTexts = nil
	r.details.Hide()
	for _, l := range []*widget.Label{r.from, r.to, r.date, r.subject} {
		l.SetText("")
	}
	r.body.SetText(lang.L("reader.empty"))
	r.note.Hide()
	r.files.RemoveAll()
	r.saved.Hide()
}

// ShowError shows why a message could not be opened.
func (r *Reader) ShowError(err error) {
	r.Clear()
	r.bannerTexts = []string{explain(err)}
	r.banner.Add(bannerLine(BannerLine{Mark: MarkInvalid, Text: r.bannerTexts[0]}))
	r.body.SetText("")
}

func bannerLine(l BannerLine) fyne.CanvasObject {
	bg := canvas.NewRectangle(l.Mark.Background())
	bg.CornerRadius = 4
	txt := widget.NewLabel(l.Text)
	txt.Wrapping = fyne.TextWrapWord
	txt.TextStyle.Bold = true
	var icon fyne.CanvasObject = widget.NewLabel("")
	if res := l.Mark.Icon(); res != nil {
		icon = widget.NewIcon(res)
	}
	edge := canvas.NewRectangle(l.Mark.Colour())
	edge.SetMinSize(fyne.NewSize(4, 4))
	return container.NewStack(bg, container.NewBorder(nil, nil, container.NewHBox(edge, icon), nil, txt))
}

func (r *Reader) pickFolderWithDialog(done func(dir string)) {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil || l == nil {
			return
		}
		done(l.Path())
	}, r.win)
	if l, err := storage.ListerForURI(storage.NewFileURI(homeDir())); err == nil {
		d.SetLocation(l)
	}
	d.Show()
}

// SaveAttachment saves an attachment in dir under its name made safe for
// every operating system, with " (2)" when the name is taken, and says
// under which name it was saved. The file is never opened or run.
func (r *Reader) SaveAttachment(dir string, a smime.Attachment) {
	name, err := safefile.Save(dir, a.Name, a.Content)
	if err != nil {
		r.saved.SetText(saveErrorSentence(err))
	} else {
		r.saved.SetText(lang.L("reader.saved", map[string]any{"Name": name, "Dir": displaytext.Line(dir)}))
	}
	r.saved.Show()
}

// saveErrorSentence says why an attachment could not be saved and what to
// do ([app.Explain]: a path too long for Windows, a folder full of copies,
// a failed write).
func saveErrorSentence(err error) string {
	return lang.L("reader.notsaved", map[string]any{"Why": displaytext.Line(explain(err))})
}
