package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestSettingsLanguageChoice (issue 15 point 3): Settings offers the
// system's language and every translation file, each named in its own
// language, says the change waits for the next start, and saves the choice
// in the profile; "System default" saves "".
func TestSettingsLanguageChoice(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFakeCore()
	w := NewSettingsWindow(a, f)
	if w.language.Selected != "System default" {
		t.Errorf("a profile without a language shows %q, want System default", w.language.Selected)
	}
	for _, want := range []string{"System default", "English", "français", "Deutsch"} {
		found := false
		for _, o := range w.language.Options {
			found = found || o == want
		}
		if !found {
			t.Errorf("the language choice %v lacks %q", w.language.Options, want)
		}
	}
	w.tabs.SelectIndex(len(w.tabs.Items) - 1)
	if !hasText(shownTexts(w.win.Content()), "The language changes at the next start.") {
		t.Error("Settings does not say that the language changes at the next start")
	}
	w.language.SetSelected("français")
	test.Tap(w.saveBtn)
	if got := f.saved[len(f.saved)-1].Language; got != "fr" {
		t.Errorf("saved language %q, want fr", got)
	}
	w.language.SetSelected("System default")
	test.Tap(w.saveBtn)
	if got := f.saved[len(f.saved)-1].Language; got != "" {
		t.Errorf("saved language %q, want \"\" (the system's)", got)
	}
}
