package ui

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// requestClose is Settings' Close button, Esc and the window's close box:
// with changes not saved it asks "Save / Discard / Cancel" first, so that
// closing loses nothing by surprise.
func (w *SettingsWindow) requestClose() {
	if w.Settings() == w.settings {
		w.win.Close()
		return
	}
	var d dialog.Dialog
	save := widget.NewButton(lang.L("Save"), func() {
		d.Hide()
		w.save()
		if w.Settings() == w.settings { // saved
			w.win.Close()
		}
	})
	save.Importance = widget.HighImportance
	discard := widget.NewButton(lang.L("settings.discard"), func() { d.Hide(); w.win.Close() })
	cancel := widget.NewButton(lang.L("Cancel"), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(lang.L("settings.saveq"),
		container.NewVBox(widget.NewLabel(lang.L("settings.notsaved")), container.NewHBox(save, discard, cancel)), w.win)
	d.Show()
}
