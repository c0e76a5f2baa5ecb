package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
)

// accountTest is Settings' Test connection: the saved account's servers
// checked with the passwords in the keyring, one line per step, by the
// same checks as the wizard's ([app.TestConnection]).
type accountTest struct {
	core    Preferences
	ctx     context.Context // the Settings window's: closing it ends the checks
	button  *widget.Button
	result  *widget.Label
	cancel  context.CancelFunc // set while the checks run
	run     int
	do      func(func())
	content fyne.CanvasObject
}

func newAccountTest(core Preferences, ctx context.Context) *accountTest {
	t := &accountTest{core: core, ctx: ctx, result: widget.NewLabel(""), do: fyne.Do}
	t.result.Wrapping = fyne.TextWrapWord
	t.button = widget.NewButton(lang.L("conn.test"), t.start)
	t.content = container.NewBorder(container.NewHBox(t.button, widget.NewLabel(lang.L("settings.conn.saved"))), nil, nil, nil, t.result)
	return t
}

// start runs the checks, or cancels them while they run.
func (t *accountTest) start() {
	if t.cancel != nil {
		t.cancel()
		return
	}
	ctx, cancel := context.WithTimeout(t.ctx, testTimeout)
	t.run++
	run := t.run
	t.cancel = cancel
	t.button.SetText(lang.L("Cancel"))
	t.result.SetText(lang.L("conn.testing"))
	var lines []string
	go func() {
		defer cancel()
		err := t.core.TestAccount(ctx, func(st app.ConnStep) {
			t.do(func() {
				if run != t.run || (st.Kind == app.StepTestMessage && st.Skipped != "") {
					return
				}
				lines = append(lines, connLine(st))
				t.result.SetText(strings.Join(lines, "\n") + "\n" + lang.L("conn.testing"))
			})
		})
		t.do(func() {
			if run != t.run {
				return
			}
			t.cancel = nil
			t.button.SetText(lang.L("conn.test"))
			switch {
			case errors.Is(ctx.Err(), context.Canceled):
				lines = append(lines, lang.L("conn.cancelled"))
			case err != nil && len(lines) == 0:
				lines = append(lines, explain(err))
			case err != nil:
				lines = append(lines, lang.L("conn.failed"))
			default:
				lines = append(lines, lang.L("conn.passed"))
			}
			t.result.SetText(strings.Join(lines, "\n"))
		})
	}()
}
