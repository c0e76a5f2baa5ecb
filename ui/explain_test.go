package ui

import (
	"fmt"
	"testing"

	"securemail/app"
	"securemail/app/keystore"
	"securemail/ui/i18n"
)

// TestExplainSpeaksTheWindowsLanguage (issue 15): an error sentence of the
// core reads in French when the window speaks French, with "vous", and the
// same English as the CLI otherwise.
func TestExplainSpeaksTheWindowsLanguage(t *testing.T) {
	err := fmt.Errorf("open keys: %w", keystore.ErrWrongPassphrase)
	if got, want := explain(err), "The passphrase of the key file is wrong; type it again."; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	// An apostrophe in a part stays as it is (no HTML escaping).
	if got, want := explain(keystore.ErrUnavailable), app.Explain(keystore.ErrUnavailable).String(); got != want {
		t.Errorf("English: %q, want the CLI's %q", got, want)
	}
	if _, err := i18n.Use("fr"); err != nil {
		t.Fatal(err)
	}
	defer i18n.Use("en")
	if got, want := explain(err), "La phrase secrète du fichier de clés est incorrecte ; saisissez-la à nouveau."; got != want {
		t.Errorf("French: %q, want %q", got, want)
	}
}
