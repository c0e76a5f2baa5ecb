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
	Win                    fyne.Window
	core                   Preferences
	settings               profile.Settings
	Address, Name          *keyEntry
	POP3, SMTP             *keyEntry
	POP3TLS, SMTPTLS       *widget.Select
	User                   *keyEntry
	ChangePassword         *widget.Button
	Passwords              *PasswordChange // the open "Change password…" form
	SignAll, EncryptAll    *widget.Check
	CheckEvery, LeaveOnSrv *widget.Select
	Roots                  *keyList
	rootCerts              []*x509.Certificate
	RemoveRoot             *widget.Button
	ImportCRL              *widget.Button // "Import CRL…": a revocation list file
	MyID                   *widget.Label
	Export, ImportPFX      *widget.Button
	PFXPassword            *keyEntry
	Save                   *widget.Button
	Close                  *widget.Button // Esc does the same
	Message                *widget.Label
	rootSel                int
	tabs                   *container.AppTabs
	AddRoot                *widget.Button // "Add Root CA…": the wizard's check and tick (trustroot.go)
	rootConfirm            *rootConfirm   // the open confirmation
}

// NewSettingsWindow builds the settings window.
func NewSettingsWindow(a fyne.App, core Preferences) *SettingsWindow {
	w := &SettingsWindow{Win: a.NewWindow("Settings"), core: core, Message: widget.NewLabel(""), rootSel: -1}
	s, err := core.Settings()
	if err != nil {
		w.Message.SetText(app.Explain(err).String())
		s = profile.DefaultSettings()
	}
	w.settings = s
	keys := escCloses(w.Win, w.Win.Close)
	w.Close = widget.NewButton("Close", w.Win.Close)
	w.Address = newKeyEntry(keys)
	w.Address.SetText(s.Account.Address)
	w.Address.Disable()
	w.Name = newKeyEntry(keys)
	w.Name.SetText(s.Account.DisplayName)
	w.POP3, w.SMTP, w.User = newKeyEntry(keys), newKeyEntry(keys), newKeyEntry(keys)
	w.POP3.SetText(s.Account.POP3.Address)
	w.SMTP.SetText(s.Account.SMTP.Address)
	w.User.SetText(s.Account.POP3.Username)
	w.ChangePassword = widget.NewButton("Change password…", w.changePasswordWithDialog)
	tls := []string{"starttls", "implicit", "none"}
	w.POP3TLS, w.SMTPTLS = widget.NewSelect(tls, nil), widget.NewSelect(tls, nil)
	w.POP3TLS.SetSelected(s.Account.POP3.TLS)
	w.SMTPTLS.SetSelected(s.Account.SMTP.TLS)
	w.SignAll = widget.NewCheck("Digitally sign all outgoing messages", nil)
	w.SignAll.SetChecked(s.Security.SignAll)
	w.EncryptAll = widget.NewCheck("Encrypt contents and attachments for all outgoing messages", nil)
	w.EncryptAll.SetChecked(s.Security.EncryptAll)
	var checks, leaves []string
	for _, c := range checkChoices {
		checks = append(checks, c.Label)
	}
	for _, c := range leaveChoices {
		leaves = append(leaves, c.Label)
	}
	w.CheckEvery, w.LeaveOnSrv = widget.NewSelect(checks, nil), widget.NewSelect(leaves, nil)
	for _, c := range checkChoices {
		if c.Every == time.Duration(s.CheckEvery) {
			w.CheckEvery.SetSelected(c.Label)
		}
	}
	for _, c := range leaveChoices {
		if c.Days == s.LeaveOnServerDays {
			w.LeaveOnSrv.SetSelected(c.Label)
		}
	}
	w.Roots = newKeyList(func() int { return len(w.rootCerts) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := w.rootCerts[id]
			o.(*widget.Label).SetText(fmt.Sprintf("%s · valid until %s", displaytext.Line(c.Subject.CommonName), c.NotAfter.UTC().Format("2 January 2006")))
		})
	w.Roots.keys = keys
	w.Roots.OnSelected = func(id widget.ListItemID) { w.rootSel = id; w.RemoveRoot.Enable() }
	w.RemoveRoot = widget.NewButton("Stop trusting…", w.removeRoot)
	w.RemoveRoot.Disable()
	w.ImportCRL = widget.NewButton("Import CRL…", w.importCRLWithDialog)
	w.AddRoot = widget.NewButton("Add Root CA…", w.addRootWithDialog)
	w.MyID = widget.NewLabel("")
	w.MyID.Wrapping = fyne.TextWrapWord
	w.Export = widget.NewButton("Export my Digital ID (.p7b)…", w.exportWithDialog)
	w.PFXPassword = newKeyPasswordEntry(keys)
	w.PFXPassword.SetPlaceHolder("password of the new Mail.pfx")
	w.ImportPFX = widget.NewButton("Import a new Mail.pfx…", w.importWithDialog)
	w.Save = widget.NewButton("Save", w.save)
	w.Save.Importance = widget.HighImportance
	w.Message.Wrapping = fyne.TextWrapWord
	w.reloadTrust()

	w.tabs = container.NewAppTabs(
		container.NewTabItem("Account", widget.NewForm(
			widget.NewFormItem("Address", w.Address), widget.NewFormItem("Your name", w.Name),
			widget.NewFormItem("POP3 server", container.NewBorder(nil, nil, nil, w.POP3TLS, w.POP3)),
			widget.NewFormItem("SMTP server", container.NewBorder(nil, nil, nil, w.SMTPTLS, w.SMTP)),
			widget.NewFormItem("User name", w.User),
			widget.NewFormItem("Password", container.NewHBox(w.ChangePassword)))),
		container.NewTabItem("Security", container.NewVBox(w.SignAll, w.EncryptAll)),
		container.NewTabItem("Trusted authorities", container.NewBorder(nil, container.NewHBox(w.AddRoot, w.RemoveRoot, w.ImportCRL), nil, nil, w.Roots)),
		container.NewTabItem("My Digital ID", container.NewVBox(w.MyID, w.Export, widget.NewSeparator(), w.PFXPassword, w.ImportPFX)),
		container.NewTabItem("Checking", widget.NewForm(widget.NewFormItem("Check for new mail", w.CheckEvery),
			widget.NewFormItem("Leave mail on the server", w.LeaveOnSrv))),
	)
	w.Win.SetContent(container.NewBorder(nil, container.NewBorder(nil, nil, nil, container.NewHBox(w.Save, w.Close), w.Message), nil, nil, w.tabs))
	w.Win.Resize(fyne.NewSize(680, 440))
	return w
}

// Show opens the window.
func (w *SettingsWindow) Show() { w.Win.Show() }

func (w *SettingsWindow) reloadTrust() {
	if roots, err := w.core.Roots(); err == nil {
		w.rootCerts = roots
		w.Roots.Refresh()
	}
	ids, err := w.core.MyIDs()
	if err != nil || len(ids) == 0 {
		w.MyID.SetText("You have no Digital ID yet: import your Mail.pfx below.")
		w.Export.Disable()
		return
	}
	w.Export.Enable()
	id := ids[0]
	days := id.DaysLeft(w.core.Now())
	left := fmt.Sprintf("%d days left", days)
	if days < 0 {
		left = "expired"
	}
	w.MyID.SetText(fmt.Sprintf("%s\nAddress: %s\nIssued by: %s\nValid until: %s (%s)\nSHA-256: %s",
		displaytext.Line(id.Certificate.Subject.CommonName), displaytext.Line(id.Address), displaytext.Line(id.Certificate.Issuer.CommonName),
		id.Certificate.NotAfter.UTC().Format("2 January 2006"), left, id.Fingerprint))
}

// Settings returns the settings as edited.
func (w *SettingsWindow) Settings() profile.Settings {
	s := w.settings
	s.Account.DisplayName = strings.TrimSpace(w.Name.Text)
	s.Account.POP3.Address, s.Account.SMTP.Address = strings.TrimSpace(w.POP3.Text), strings.TrimSpace(w.SMTP.Text)
	s.Account.POP3.TLS, s.Account.SMTP.TLS = w.POP3TLS.Selected, w.SMTPTLS.Selected
	s.Account.POP3.Username, s.Account.SMTP.Username = strings.TrimSpace(w.User.Text), strings.TrimSpace(w.User.Text)
	s.Security.SignAll, s.Security.EncryptAll = w.SignAll.Checked, w.EncryptAll.Checked
	for _, c := range checkChoices {
		if c.Label == w.CheckEvery.Selected {
			s.CheckEvery = profile.Duration(c.Every)
		}
	}
	for _, c := range leaveChoices {
		if c.Label == w.LeaveOnSrv.Selected {
			s.LeaveOnServerDays = c.Days
		}
	}
	return s
}

func (w *SettingsWindow) save() {
	if err := w.core.SaveSettings(w.Settings()); err != nil {
		w.Message.SetText(app.Explain(err).String())
		return
	}
	w.Message.SetText("Settings saved.")
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
				w.Message.SetText(app.Explain(err).String())
			}
			w.rootSel = -1
			w.RemoveRoot.Disable()
			w.reloadTrust()
		}, w.Win)
}

func (w *SettingsWindow) exportWithDialog() {
	data, err := w.core.ExportP7B()
	if err != nil {
		w.Message.SetText(app.Explain(err).String())
		return
	}
	saveBytes(w.Win, "my-digital-id.p7b", data, func(err error) {
		if err != nil {
			w.Message.SetText(app.Explain(err).String())
		} else {
			w.Message.SetText("Your Digital ID was exported (certificate and chain, never the private key).")
		}
	})
}

func (w *SettingsWindow) importWithDialog() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(r)
		if err == nil {
			w.ImportPFXData(data)
		}
	}, w.Win)
}

func (w *SettingsWindow) importCRLWithDialog() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, revocation.MaxSize+1))
		if err != nil {
			w.Message.SetText("The file could not be read; nothing was imported.")
			return
		}
		w.ImportCRLData(data)
	}, w.Win)
}

// ImportCRLData imports a certificate revocation list file and says what it
// holds, or why it was refused.
func (w *SettingsWindow) ImportCRLData(data []byte) {
	k, err := w.core.ImportCRL(data)
	if sentence, ok := revocation.Sentence(err); ok {
		w.Message.SetText(sentence)
		return
	}
	if err != nil {
		w.Message.SetText(app.Explain(err).String())
		return
	}
	w.Message.SetText(displaytext.Line(k.Summary()))
}

// ImportPFXData imports a new Mail.pfx with the typed password.
func (w *SettingsWindow) ImportPFXData(data []byte) {
	id, err := w.core.ImportPFX(data, w.PFXPassword.Text)
	if err != nil {
		w.Message.SetText(app.Explain(err).String())
		return
	}
	w.Message.SetText("Your new Digital ID is installed; it is valid until " + id.Certificate.NotAfter.UTC().Format("2 January 2006") + ".")
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
