package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
)

// connTester is Test connection's button and its result, one line per
// step, shared by the wizard's Mail servers step and Settings: the checks
// run off the UI goroutine, and pressing the button again cancels them.
type connTester struct {
	button *widget.Button
	result *widget.Label
	cancel context.CancelFunc // set while the checks run
	run    int                // which run the lines belong to: a cancelled run's late lines are dropped
	do     func(func())
}

// newConnTester makes the button (pressing it calls onTap) and the result.
func newConnTester(onTap func()) connTester {
	t := connTester{result: widget.NewLabel(""), do: fyne.Do}
	t.result.Wrapping = fyne.TextWrapWord
	t.button = widget.NewButton(lang.L("conn.test"), onTap)
	return t
}

// stop cancels the checks when they run, and says whether they did.
func (t *connTester) stop() bool {
	if t.cancel == nil {
		return false
	}
	t.cancel()
	return true
}

// check runs the checks under ctx, bounded by testTimeout, showing each
// step as it ends and a closing line.
func (t *connTester) check(ctx context.Context, checks func(context.Context, func(app.ConnStep)) error) {
	ctx, cancel := context.WithTimeout(ctx, testTimeout)
	t.run++
	run := t.run
	t.cancel = cancel
	t.button.SetText(lang.L("Cancel"))
	t.result.SetText(lang.L("conn.testing"))
	var lines []string
	go func() {
		defer cancel()
		err := checks(ctx, func(st app.ConnStep) {
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
			case errors.Is(ctx.Err(), context.DeadlineExceeded):
				lines = append(lines, lang.L("conn.timeout", map[string]any{"Seconds": int(testTimeout.Seconds())}))
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
