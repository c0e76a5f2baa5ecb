package ui

import (
	"crypto/x509"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"securemail/app/profile"
	"securemail/app/revocation"
	"securemail/internal/displaytext"
	"securemail/ui/i18n"
)

// checkChoice is a check interval offered, with its words' key.
type checkChoice struct {
	Key   string
	Every time.Duration
}

// Label is the choice in the window's language.
func (c checkChoice) Label() string { return lang.L(c.Key) }

// checkChoices are the check intervals offered.
func checkChoices() []checkChoice {
	return []checkChoice{{"settings.check.never", 0}, {"settings.check.1m", time.Minute}, {"settings.check.5m", 5 * time.Minute},
		{"settings.check.15m", 15 * time.Minute}, {"settings.check.1h", time.Hour}}
}

// leaveChoice is a "leave on server" choice, with its words' key.
type leaveChoice struct {
	Key  string
	Days int
}

// Label is the choice in the window's language.
func (c leaveChoice) Label() string { return lang.L(c.Key) }

// leaveChoices are the "leave on server" choices.
func leaveChoices() []leaveChoice {
	return []leaveChoice{{"settings.leave.delete", 0}, {"settings.leave.7", 7}, {"settings.leave.30", 30}, {"settings.leave.ever", -1}}
}

// languageChoices are the codes of the Language choice, "" first for the
// system's language; languageLabel names each in its own language.
func languageChoices() []string {
	codes := []string{""}
	for _, l := range i18n.Languages() {
		codes = append(codes, l.Code)
	}
	return codes
}

func languageLabel(code string) string {
	for _, l := range i18n.Languages() {
		if l.Code == code {
			return l.Name
		}
	}
	return lang.L("settings.language.system")
}

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
	language                *widget.Select // the profile's language, "" the system's
}

// NewSettingsWindow builds the settings window.
func NewSettingsWindow(a fyne.App, core Preferences) *SettingsWindow {
	w := &SettingsWindow{win: a.NewWindow(lang.L("settings.title")), core: core, message: widget.NewLabel(""), rootSel: -1}
	s, err := core.Settings()
	if err != nil {
		w.message.SetText(explain(err))
		s = profile.DefaultSettings()
	}
	w.settings = s
	ctx, _ := screenContext(w.win)
	w.test = newAccountTest(core, ctx)
	keys := escCloses(w.win, w.requestClose)
	w.closeBtn = widget.NewButton(lang.L("Close"), w.requestClose)
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
	w.changePasswordBtn = widget.NewButton(lang.L("settings.changepassword"), w.changePasswordWithDialog)
	tls := []string{"starttls", "implicit", "none"}
	w.pop3TLS, w.smtpTLS = widget.NewSelect(tls, nil), widget.NewSelect(tls, nil)
	w.pop3TLS.SetSelected(s.Account.POP3.TLS)
	w.smtpTLS.SetSelected(s.Account.SMTP.TLS)
	w.signAll = widget.NewCheck(lang.L("settings.signall"), nil)
	w.signAll.SetChecked(s.Security.SignAll)
	w.encryptAll = widget.NewCheck(lang.L("settings.encryptall"), nil)
	w.encryptAll.SetChecked(s.Security.EncryptAll)
	var checks, leaves []string
	for _, c := range checkChoices() {
		checks = append(checks, c.Label())
	}
	for _, c := range leaveChoices() {
		leaves = append(leaves, c.Label())
	}
	w.checkEvery, w.leaveOnSrv = widget.NewSelect(checks, nil), widget.NewSelect(leaves, nil)
	for _, c := range checkChoices() {
		if c.Every == time.Duration(s.CheckEvery) {
			w.checkEvery.SetSelected(c.Label())
		}
	}
	for _, c := range leaveChoices() {
		if c.Days == s.LeaveOnServerDays {
			w.leaveOnSrv.SetSelected(c.Label())
		}
	}
	var langs []string
	for _, code := range languageChoices() {
		langs = append(langs, languageLabel(code))
	}
	w.language = widget.NewSelect(langs, nil)
	w.language.SetSelected(languageLabel(s.Language))
	languageNote := widget.NewLabel(lang.L("settings.language.next"))
	languageNote.Wrapping = fyne.TextWrapWord
	w.roots = newKeyList(func() int { return len(w.rootCerts) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := w.rootCerts[id]
			o.(*widget.Label).SetText(lang.L("settings.root.until", map[string]any{"Name": displaytext.Line(c.Subject.CommonName), "Date": i18n.Date(c.NotAfter.UTC())}))
		})
	w.roots.keys = keys
	w.roots.OnSelected = func(id widget.ListItemID) { w.rootSel = id; w.removeRootBtn.Enable() }
	w.removeRootBtn = widget.NewButton(lang.L("settings.root.remove"), w.removeRoot)
	w.removeRootBtn.Disable()
	w.importCRLBtn = widget.NewButton(lang.L("settings.importcrl"), w.importCRLWithDialog)
	w.addRoot = widget.NewButton(lang.L("settings.addroot"), w.addRootWithDialog)
	w.myID = widget.NewLabel("")
	w.myID.Wrapping = fyne.TextWrapWord
	w.exportBtn = widget.NewButton(lang.L("settings.export"), w.exportWithDialog)
	w.pfxPassword = newKeyPasswordEntry(keys)
	w.pfxPassword.SetPlaceHolder(lang.L("settings.pfxpassword"))
	w.importPFXBtn = widget.NewButton(lang.L("settings.importpfx"), w.importWithDialog)
	w.saveBtn = widget.NewButton(lang.L("Save"), w.save)
	w.saveBtn.Importance = widget.HighImportance
	w.message.Wrapping = fyne.TextWrapWord
	w.reloadTrust()

	w.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("settings.tab.account"), widget.NewForm(
			widget.NewFormItem(lang.L("contact.address"), w.address), widget.NewFormItem(lang.L("settings.yourname"), w.name),
			widget.NewFormItem(lang.L("settings.pop3"), container.NewBorder(nil, nil, nil, w.pop3TLS, w.pop3)),
			widget.NewFormItem(lang.L("settings.smtp"), container.NewBorder(nil, nil, nil, w.smtpTLS, w.smtp)),
			widget.NewFormItem(lang.L("servers.user"), w.user),
			widget.NewFormItem(lang.L("wizard.password"), container.NewHBox(w.changePasswordBtn)),
			widget.NewFormItem(lang.L("settings.connection"), w.test.content))),
		container.NewTabItem(lang.L("settings.tab.security"), container.NewVBox(w.signAll, w.encryptAll)),
		container.NewTabItem(lang.L("settings.tab.roots"), container.NewBorder(nil, container.NewHBox(w.addRoot, w.removeRootBtn, w.importCRLBtn), nil, nil, w.roots)),
		container.NewTabItem(lang.L("settings.tab.myid"), container.NewVBox(w.myID, w.exportBtn, widget.NewSeparator(), w.pfxPassword, w.importPFXBtn)),
		container.NewTabItem(lang.L("settings.tab.checking"), widget.NewForm(widget.NewFormItem(lang.L("settings.checkevery"), w.checkEvery),
			widget.NewFormItem(lang.L("settings.leave"), w.leaveOnSrv))),
		container.NewTabItem(lang.L("settings.tab.language"), container.NewVBox(widget.NewForm(widget.NewFormItem(lang.L("settings.language"), w.language)), languageNote)),
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
		w.myID.SetText(lang.L("settings.myid.none"))
		w.exportBtn.Disable()
		return
	}
	w.exportBtn.Enable()
	id := ids[0]
	days := id.DaysLeft(w.core.Now())
	left := lang.N("settings.myid.daysleft", days, map[string]any{"N": days})
	if days < 0 {
		left = lang.L("settings.myid.expired")
	}
	w.myID.SetText(lang.L("settings.myid", map[string]any{
		"Name": displaytext.Line(id.Certificate.Subject.CommonName), "Address": displaytext.Line(id.Address), "Issuer": displaytext.Line(id.Certificate.Issuer.CommonName),
		"Until": i18n.Date(id.Certificate.NotAfter.UTC()), "Left": left, "Fingerprint": id.Fingerprint}))
}

// Settings returns the settings as edited.
func (w *SettingsWindow) Settings() profile.Settings {
	s := w.settings
	s.Account.DisplayName = strings.TrimSpace(w.name.Text)
	s.Account.POP3.Address, s.Account.SMTP.Address = strings.TrimSpace(w.pop3.Text), strings.TrimSpace(w.smtp.Text)
	s.Account.POP3.TLS, s.Account.SMTP.TLS = w.pop3TLS.Selected, w.smtpTLS.Selected
	s.Account.POP3.Username, s.Account.SMTP.Username = strings.TrimSpace(w.user.Text), strings.TrimSpace(w.user.Text)
	s.Security.SignAll, s.Security.EncryptAll = w.signAll.Checked, w.encryptAll.Checked
	for _, c := range checkChoices() {
		if c.Label() == w.checkEvery.Selected {
			s.CheckEvery = profile.Duration(c.Every)
		}
	}
	for _, c := range leaveChoices() {
		if c.Label() == w.leaveOnSrv.Selected {
			s.LeaveOnServerDays = c.Days
		}
	}
	for _, code := range languageChoices() {
		if languageLabel(code) == w.language.Selected {
			s.Language = code
		}
	}
	return s
}

func (w *SettingsWindow) save() {
	s := w.Settings()
	if err := w.core.SaveSettings(s); err != nil {
		w.message.SetText(explain(err))
		return
	}
	w.settings = s // what Close compares with (settingsclose.go)
	w.message.SetText(lang.L("settings.saved"))
}

func (w *SettingsWindow) removeRoot() {
	if w.rootSel < 0 || w.rootSel >= len(w.rootCerts) {
		return
	}
	c := w.rootCerts[w.rootSel]
	dialog.ShowConfirm(lang.L("settings.root.removeq"),
		lang.L("settings.root.removewhat", map[string]any{"Name": displaytext.Line(c.Subject.CommonName)}), func(ok bool) {
			if !ok {
				return
			}
			if err := w.core.RemoveRoot(c); err != nil {
				w.message.SetText(explain(err))
			}
			w.rootSel = -1
			w.removeRootBtn.Disable()
			w.reloadTrust()
		}, w.win)
}

func (w *SettingsWindow) exportWithDialog() {
	data, err := w.core.ExportP7B()
	if err != nil {
		w.message.SetText(explain(err))
		return
	}
	saveBytes(w.win, "my-digital-id.p7b", data, func(err error) {
		if err != nil {
			w.message.SetText(explain(err))
		} else {
			w.message.SetText(lang.L("settings.exported"))
		}
	})
}

func (w *SettingsWindow) importWithDialog() {
	openFile(w.win, w.core, "", func(_ string, data []byte) { w.ImportPFXData(data) }, func(err error) { w.message.SetText(explain(err)) })
}

func (w *SettingsWindow) importCRLWithDialog() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, revocation.MaxSize+1))
		if err != nil {
			w.message.SetText(lang.L("settings.unreadable"))
			return
		}
		w.ImportCRLData(data)
	}, w.win)
}

// ImportCRLData imports a certificate revocation list file and says what it
// holds, or why it was refused.
func (w *SettingsWindow) ImportCRLData(data []byte) {
	k, err := w.core.ImportCRL(data)
	if sentence, ok := revocation.SentencePhrase(err); ok {
		w.message.SetText(i18n.Say(sentence))
		return
	}
	if err != nil {
		w.message.SetText(explain(err))
		return
	}
	w.message.SetText(displaytext.Line(i18n.Say(k.SummaryPhrase())))
}

// ImportPFXData imports a new Mail.pfx with the typed password.
func (w *SettingsWindow) ImportPFXData(data []byte) {
	id, err := w.core.ImportPFX(data, w.pfxPassword.Text)
	if err != nil {
		w.message.SetText(explain(err))
		return
	}
	w.message.SetText(lang.L("settings.pfxinstalled", map[string]any{"Date": i18n.Date(id.Certificate.NotAfter.UTC())}))
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
