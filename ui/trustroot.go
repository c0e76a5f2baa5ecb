package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app/digitalid"
	"securemail/internal/displaytext"
)

// rootConfirm is Settings' "Add Root CA…" confirmation: the file's
// authority shown as the wizard's Trusted authority step shows it (name,
// SHA-256 fingerprint, validity, or why it is refused) and the same
// explicit tick; Trust stays disabled until the root is acceptable and
// ticked.
type rootConfirm struct {
	info, problem *widget.Label
	tick          *widget.Check
	trust, cancel *widget.Button
	authority     *digitalid.Authority
	dlg           dialog.Dialog
}

// addRootWithDialog lets the user pick a Root CA file, then confirm it.
func (w *SettingsWindow) addRootWithDialog() {
	openFile(w.win, w.core, "", func(_ string, data []byte) { w.AddRootData(data) }, func(err error) { w.message.SetText(explain(err)) })
}

// AddRootData shows the confirmation for a Root CA file's bytes; the root
// is trusted only once the user ticks and presses Trust.
func (w *SettingsWindow) AddRootData(data []byte) {
	a, info, problem := inspectRoot(data, w.core.Now())
	c := &rootConfirm{info: para(info), problem: para(problem), authority: a}
	c.problem.Importance = widget.DangerImportance
	if problem == "" {
		c.problem.Hide()
	}
	c.trust = widget.NewButton(lang.L("trust.trust"), func() { w.trustRoot(c) })
	c.trust.Importance = widget.HighImportance
	c.trust.Disable()
	c.tick = widget.NewCheck(lang.L(trustRootTick), func(on bool) {
		if on && c.authority != nil {
			c.trust.Enable()
		} else {
			c.trust.Disable()
		}
	})
	if a == nil {
		c.tick.Disable()
	}
	c.cancel = widget.NewButton(lang.L("Cancel"), func() { c.dlg.Hide() })
	body := container.NewVBox(
		para(lang.L("trust.intro")),
		c.info, c.problem, c.tick)
	c.dlg = dialog.NewCustomWithoutButtons(lang.L("trust.title"),
		container.NewBorder(nil, container.NewHBox(c.cancel, c.trust), nil, nil, body), w.win)
	c.dlg.Resize(fyne.NewSize(620, 320))
	w.rootConfirm = c
	c.dlg.Show()
}

// trustRoot records the confirmed root and lists it.
func (w *SettingsWindow) trustRoot(c *rootConfirm) {
	if c.authority == nil || !c.tick.Checked {
		return
	}
	if err := w.core.TrustRoot(c.authority); err != nil {
		c.problem.SetText(explain(err))
		c.problem.Show()
		return
	}
	c.dlg.Hide()
	w.message.SetText(lang.L("trust.done", map[string]any{"Name": displaytext.Line(c.authority.Name)}))
	w.reloadTrust()
}
