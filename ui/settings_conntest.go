package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// accountTest is Settings' Test connection: the saved account's servers
// checked with the passwords in the keyring, one line per step, by the
// same checks as the wizard's ([app.TestConnection]).
type accountTest struct {
	connTester
	core    Preferences
	ctx     context.Context // the Settings window's: closing it ends the checks
	content fyne.CanvasObject
}

func newAccountTest(core Preferences, ctx context.Context) *accountTest {
	t := &accountTest{core: core, ctx: ctx}
	t.connTester = newConnTester(t.start)
	t.content = container.NewBorder(container.NewHBox(t.button, widget.NewLabel(lang.L("settings.conn.saved"))), nil, nil, nil, t.result)
	return t
}

// start runs the checks, or cancels them while they run.
func (t *accountTest) start() {
	if t.stop() {
		return
	}
	t.check(t.ctx, t.core.TestAccount)
}
