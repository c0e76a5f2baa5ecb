package ui

import (
	"crypto/x509"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/profile"
	"securemail/app/revocation"
	"securemail/internal/displaytext"
)

// checkChoices are the check intervals offered.
var checkChoices = []struct {
	Label string
	Every time.Duration
}{{"Never", 0}, {"Every minute", time.Minute}, {"Every 5 minutes", 5 * time.Minute}, {"Every 15 minutes", 15 * time.Minute}, {"Every hour", time.Hour}}

// leaveChoices are the "leave on server" choices.
var leaveChoices = []struct {
	Label string
	Days  int
}{{"Delete once stored here", 0}, {"Keep 7 days", 7}, {"Keep 30 days", 30}, {"Keep for ever", -1}}

// SettingsWindow edits the settings: account and servers, security
// defaults, trusted authorities, my Digital ID, checking.
type SettingsWindow struct {
	win                     fyne.Window
	core                    Preferences
	settings                profile.Settings
	address, name           *keyEntry
	pop3, smtp              *keyEntry
	pop3TLS, smtpTLS        *widget.Select
	user                    *keyEntry
	changePasswordBtn       *widget.Button
	passwords               *PasswordChange // the open "Change password…" form
	signAll, encryptAll     *widget.Check
	checkEvery, leaveOnSrv  *widget.Select
	roots                   *keyList
	rootCerts               []*x509.Certificate
	removeRootBtn           *widget.Button
	importCRLBtn            *widget.Button // "Import CRL…": a revocation list file
	myID                    *widget.Label
	exportBtn, importPFXBtn *widget.Button
	pfxPassword             *keyEntry
	saveBtn                 *widget.Button
	closeBtn                *widget.Button // Esc does the same
	message                 *widget.Label
	rootSel                 int
	tabs                    *container.AppTabs
	addRoot                 *widget.Button // "Add Root CA…": the wizard's check and tick (trustroot.go)
	rootConfirm             *rootConfirm   // the open confirmation
	test                    *accountTest   // Test connection of the saved account
}

// NewSettingsWindow builds the settings window.
func NewSettingsWindow(a fyne.App, core Preferences) *SettingsWindow {
	w := &SettingsWindow{win: a.NewWindow("Settings"), core: core, message: widget.NewLabel(""), rootSel: -1}
	s, err := core.Settings()
	if err != nil {
		w.message.SetText(app.Explain(err).String())
		s = profile.DefaultSettings()
	}
	w.settings = s
	ctx, _ := screenContext(w.win)
	w.test = newAccountTest(core, ctx)
	keys := escCloses(w.win, w.requestClose)
	w.closeBtn = widget.NewButton("Close", w.requestClose)
	w.win.SetCloseIntercept(w.requestClose)
	w.address = newKeyEntry(keys)
	w.address.SetText(s.Account.Address)
	w.address.Disable()
	w.name = newKeyEntry(keys)
	w.name.SetText(s.Account.DisplayName)
	w.pop3, w.smtp, w.user = newKeyEntry(keys), newKeyEntry(keys), newKeyEntry(keys)
	w.pop3.SetText(s.Account.POP3.Address)
	w.smtp.SetText(s.Account.SMTP.Address)
	w.user.SetText(s.Account.POP3.Username)
	w.changePasswordBtn = widget.NewButton("Change password…", w.changePasswordWithDialog)
	tls := []string{"starttls", "implicit", "none"}
	w.pop3TLS, w.smtpTLS = widget.NewSelect(tls, nil), widget.NewSelect(tls, nil)
	w.pop3TLS.SetSelected(s.Account.POP3.TLS)
	w.smtpTLS.SetSelected(s.Account.SMTP.TLS)
	w.signAll = widget.NewCheck("Digitally sign all outgoing messages", nil)
	w.signAll.SetChecked(s.Security.SignAll)
	w.encryptAll = widget.NewCheck("Encrypt contents and attachments for all outgoing messages", nil)
	w.encryptAll.SetChecked(s.Security.EncryptAll)
	var checks, leaves []string
	for _, c := range checkChoices {
		checks = append(checks, c.Label)
	}
	for _, c := range leaveChoices {
		leaves = append(leaves, c.Label)
	}
	w.checkEvery, w.leaveOnSrv = widget.NewSelect(checks, nil), widget.NewSelect(leaves, nil)
	for _, c := range checkChoices {
		if c.Every == time.Duration(s.CheckEvery) {
			w.checkEvery.SetSelected(c.Label)
		}
	}
	for _, c := range leaveChoices {
		if c.Days == s.LeaveOnServerDays {
			w.leaveOnSrv.SetSelected(c.Label)
		}
	}
	w.roots = newKeyList(func() int { return len(w.rootCerts) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := w.rootCerts[id]
			o.(*widget.Label).SetText(fmt.Sprintf("%s · valid until %s", displaytext.Line(c.Subject.CommonName), c.NotAfter.UTC().Format("2 January 2006")))
		})
	w.roots.keys = keys
	w.roots.OnSelected = func(id widget.ListItemID) { w.rootSel = id; w.removeRootBtn.Enable() }
	w.removeRootBtn = widget.NewButton("Stop trusting…", w.removeRoot)
	w.removeRootBtn.Disable()
	w.importCRLBtn = widget.NewButton("Import CRL…", w.importCRLWithDialog)
	w.addRoot = widget.NewButton("Add Root CA…", w.addRootWithDialog)
	w.myID = widget.NewLabel("")
	w.myID.Wrapping = fyne.TextWrapWord
	w.exportBtn = widget.NewButton("Export my Digital ID (.p7b)…", w.exportWithDialog)
	w.pfxPassword = newKeyPasswordEntry(keys)
	w.pfxPassword.SetPlaceHolder("password of the new Mail.pfx")
	w.importPFXBtn = widget.NewButton("Import a new Mail.pfx…", w.importWithDialog)
	w.saveBtn = widget.NewButton("Save", w.save)
	w.saveBtn.Importance = widget.HighImportance
	w.message.Wrapping = fyne.TextWrapWord
	w.reloadTrust()

	w.tabs = container.NewAppTabs(
		container.NewTabItem("Account", widget.NewForm(
			widget.NewFormItem("Address", w.address), widget.NewFormItem("Your name", w.name),
			widget.NewFormItem("POP3 server", container.NewBorder(nil, nil, nil, w.pop3TLS, w.pop3)),
			widget.NewFormItem("SMTP server", container.NewBorder(nil, nil, nil, w.smtpTLS, w.smtp)),
			widget.NewFormItem("User name", w.user),
			widget.NewFormItem("Password", container.NewHBox(w.changePasswordBtn)),
			widget.NewFormItem("Connection", w.test.content))),
		container.NewTabItem("Security", container.NewVBox(w.signAll, w.encryptAll)),
		container.NewTabItem("Trusted authorities", container.NewBorder(nil, container.NewHBox(w.addRoot, w.removeRootBtn, w.importCRLBtn), nil, nil, w.roots)),
		container.NewTabItem("My Digital ID", container.NewVBox(w.myID, w.exportBtn, widget.NewSeparator(), w.pfxPassword, w.importPFXBtn)),
		container.NewTabItem("Checking", widget.NewForm(widget.NewFormItem("Check for new mail", w.checkEvery),
			widget.NewFormItem("Leave mail on the server", w.leaveOnSrv))),
	)
	w.win.SetContent(container.NewBorder(nil, container.NewBorder(nil, nil, nil, container.NewHBox(w.saveBtn, w.closeBtn), w.message), nil, nil, w.tabs))
	w.win.Resize(fyne.NewSize(680, 440))
	return w
}

// Show opens the window.
func (w *SettingsWindow) Show() { w.win.Show() }

func (w *SettingsWindow) reloadTrust() {
	if roots, err := w.core.Roots(); err == nil {
		w.rootCerts = roots
		w.roots.Refresh()
	}
	ids, err := w.core.MyIDs()
	if err != nil || len(ids) == 0 {
		w.myID.SetText("You have no Digital ID yet: import your Mail.pfx below.")
		w.exportBtn.Disable()
		return
	}
	w.exportBtn.Enable()
	id := ids[0]
	days := id.DaysLeft(w.core.Now())
	left := fmt.Sprintf("%d days left", days)
	if days < 0 {
		left = "expired"
	}
	w.myID.SetText(fmt.Sprintf("%s\nAddress: %s\nIssued by: %s\nValid until: %s (%s)\nSHA-256: %s",
		displaytext.Line(id.Certificate.Subject.CommonName), displaytext.Line(id.Address), displaytext.Line(id.Certificate.Issuer.CommonName),
		id.Certificate.NotAfter.UTC().Format("2 January 2006"), left, id.Fingerprint))
}

// Settings returns the settings as edited.
func (w *SettingsWindow) Settings() profile.Settings {
	s := w.settings
	s.Account.DisplayName = strings.TrimSpace(w.name.Text)
	s.Account.POP3.Address, s.Account.SMTP.Address = strings.TrimSpace(w.pop3.Text), strings.TrimSpace(w.smtp.Text)
	s.Account.POP3.TLS, s.Account.SMTP.TLS = w.pop3TLS.Selected, w.smtpTLS.Selected
	s.Account.POP3.Username, s.Account.SMTP.Username = strings.TrimSpace(w.user.Text), strings.TrimSpace(w.user.Text)
	s.Security.SignAll, s.Security.EncryptAll = w.signAll.Checked, w.encryptAll.Checked
	for _, c := range checkChoices {
		if c.Label == w.checkEvery.Selected {
			s.CheckEvery = profile.Duration(c.Every)
		}
	}
	for _, c := range leaveChoices {
		if c.Label == w.leaveOnSrv.Selected {
			s.LeaveOnServerDays = c.Days
		}
	}
	return s
}

func (w *SettingsWindow) save() {
	s := w.Settings()
	if err := w.core.SaveSettings(s); err != nil {
		w.message.SetText(app.Explain(err).String())
		return
	}
	w.settings = s // what Close compares with (settingsclose.go)
	w.message.SetText("Settings saved.")
}

func (w *SettingsWindow) removeRoot() {
	if w.rootSel < 0 || w.rootSel >= len(w.rootCerts) {
		return
	}
	c := w.rootCerts[w.rootSel]
	dialog.ShowConfirm("Stop trusting this authority?",
		"Mail signed with Digital IDs from "+displaytext.Line(c.Subject.CommonName)+" will no longer show as valid.", func(ok bool) {
			if !ok {
				return
			}
			if err := w.core.RemoveRoot(c); err != nil {
				w.message.SetText(app.Explain(err).String())
			}
			w.rootSel = -1
			w.removeRootBtn.Disable()
			w.reloadTrust()
		}, w.win)
}

func (w *SettingsWindow) exportWithDialog() {
	data, err := w.core.ExportP7B()
	if err != nil {
		w.message.SetText(app.Explain(err).String())
		return
	}
	saveBytes(w.win, "my-digital-id.p7b", data, func(err error) {
		if err != nil {
			w.message.SetText(app.Explain(err).String())
		} else {
			w.message.SetText("Your Digital ID was exported (certificate and chain, never the private key).")
		}
	})
}

func (w *SettingsWindow) importWithDialog() {
	openFile(w.win, func(_ string, data []byte) { w.ImportPFXData(data) }, func(err error) { w.message.SetText(app.Explain(err).String()) })
}

func (w *SettingsWindow) importCRLWithDialog() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, revocation.MaxSize+1))
		if err != nil {
			w.message.SetText("The file could not be read; nothing was imported.")
			return
		}
		w.ImportCRLData(data)
	}, w.win)
}

// ImportCRLData imports a certificate revocation list file and says what it
// holds, or why it was refused.
func (w *SettingsWindow) ImportCRLData(data []byte) {
	k, err := w.core.ImportCRL(data)
	if sentence, ok := revocation.Sentence(err); ok {
		w.message.SetText(sentence)
		return
	}
	if err != nil {
		w.message.SetText(app.Explain(err).String())
		return
	}
	w.message.SetText(displaytext.Line(k.Summary()))
}

// ImportPFXData imports a new Mail.pfx with the typed password.
func (w *SettingsWindow) ImportPFXData(data []byte) {
	id, err := w.core.ImportPFX(data, w.pfxPassword.Text)
	if err != nil {
		w.message.SetText(app.Explain(err).String())
		return
	}
	w.message.SetText("Your new Digital ID is installed; it is valid until " + id.Certificate.NotAfter.UTC().Format("2 January 2006") + ".")
	w.reloadTrust()
}

// saveBytes asks where to save data and writes it.
func saveBytes(win fyne.Window, name string, data []byte, done func(error)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		if _, err := wc.Write(data); err != nil {
			wc.Close()
			done(err)
			return
		}
		done(wc.Close())
	}, win)
	d.SetFileName(name)
	if l, err := storage.ListerForURI(storage.NewFileURI(homeDir())); err == nil {
		d.SetLocation(l)
	}
	d.Show()
}
