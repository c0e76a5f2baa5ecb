package ui

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
	save := widget.NewButton("Save", func() {
		d.Hide()
		w.save()
		if w.Settings() == w.settings { // saved
			w.win.Close()
		}
	})
	save.Importance = widget.HighImportance
	discard := widget.NewButton("Discard", func() { d.Hide(); w.win.Close() })
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Save your changes?",
		container.NewVBox(widget.NewLabel("The settings you changed are not saved yet."), container.NewHBox(save, discard, cancel)), w.win)
	d.Show()
}
