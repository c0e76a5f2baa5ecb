package ui

import (
	"context"
	"net"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/profile"
)

// This file is the wizard's frame and flow: the step indicator, Back and
// Next, the refusal line, and the set-up at the end. Each step lives in its
// own file: wizard_welcome.go, wizard_address.go, wizard_servers.go,
// wizard_root.go, wizard_chain.go, wizard_digitalid.go, wizard_done.go.

// Wizard steps.
const (
	StepWelcome = iota
	StepAddress
	StepServers
	StepRoot
	StepChain
	StepDigitalID
	StepDone
)

var stepNames = []string{"wizard.step.welcome", "wizard.step.address", "wizard.step.servers", "wizard.step.root", "wizard.step.chain", "wizard.step.digitalid", "wizard.step.done"}

// Wizard is the first-run wizard of docs/UX.md §6: a step indicator, Back always
// works, Next only when the step is valid.
type Wizard struct {
	win  fyne.Window
	core Core
	net  Network
	now  func() time.Time
	step int
	ctx  context.Context // cancelled when the window closes: ends the test, the set-up, the requests

	indicator    *fyne.Container
	indicatorBar *container.Scroll // the indicator scrolls sideways when the step names are longer than the window (French, German)
	backBtn      *widget.Button
	nextBtn      *widget.Button
	problemLabel *widget.Label // the refusal of the current step, in words
	problemBox   *fyne.Container
	body         *fyne.Container
	pages        []fyne.CanvasObject

	welcome welcomeStep
	addr    addressStep
	servers serversStep
	root    rootStep
	chain   chainStep
	id      digitalIDStep
	done    doneStep

	problems  map[int]string // a step's refusal of the file or settings it was given
	settingUp bool
	setupDone bool

	do func(func())

	// OnDone is called after Finish, with the settings saved.
	OnDone func()
}

// NewWizard builds the wizard; net is nil when no bundled network is available.
func NewWizard(a fyne.App, core Core, net Network) *Wizard {
	w := &Wizard{win: a.NewWindow(lang.L("wizard.title")), core: core, net: net, now: time.Now, problems: map[int]string{}, do: fyne.Do}
	w.ctx, _ = screenContext(w.win)
	w.win.SetIcon(appIcon())
	w.build()
	w.show(StepWelcome)
	w.win.Resize(fyne.NewSize(860, 600))
	return w
}

// Show opens the window.
func (w *Wizard) Show() { w.win.Show() }

// Close closes the window.
func (w *Wizard) Close() { w.win.Close() }

func (w *Wizard) build() {
	w.indicator = container.NewHBox()
	w.indicatorBar = container.NewHScroll(w.indicator)
	w.problemLabel = widget.NewLabel("")
	w.problemLabel.Wrapping = fyne.TextWrapWord
	w.problemLabel.Importance = widget.DangerImportance
	w.backBtn = widget.NewButtonWithIcon(lang.L("wizard.back"), theme.NavigateBackIcon(), func() { w.show(w.step - 1) })
	w.nextBtn = widget.NewButtonWithIcon(lang.L("wizard.next"), theme.NavigateNextIcon(), w.next)
	w.nextBtn.IconPlacement = widget.ButtonIconTrailingText
	w.nextBtn.Importance = widget.HighImportance
	w.pages = []fyne.CanvasObject{w.welcomePage(), w.addressPage(), w.serversPage(), w.rootPage(), w.chainPage(), w.digitalIDPage(), w.donePage()}
	w.body = container.NewStack()
	problem := container.NewBorder(nil, nil, widget.NewIcon(MarkInvalid.Icon()), nil, w.problemLabel)
	w.problemBox = problem
	bottom := container.NewVBox(problem, container.NewBorder(nil, nil, w.backBtn, w.nextBtn))
	w.win.SetContent(container.NewBorder(container.NewVBox(w.indicatorBar, widget.NewSeparator()), bottom, nil, nil,
		container.NewPadded(w.body)))
	w.enterPressesNext()
}

// showCurrentStep scrolls the step indicator so that the current step's
// name is in view (the HBox places its labels one after the other, a
// padding apart).
func (w *Wizard) showCurrentStep() {
	x, pad := float32(0), theme.Padding()
	for i, o := range w.indicator.Objects {
		width := o.MinSize().Width
		if i == w.step {
			if end := x + width - w.indicatorBar.Size().Width; end > 0 {
				w.indicatorBar.Offset.X = end
			} else {
				w.indicatorBar.Offset.X = 0
			}
			w.indicatorBar.Refresh()
			return
		}
		x += width + pad
	}
}

func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// para is a paragraph: a label that wraps at word ends (longer languages
// take more lines, never more width).
func para(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// show moves to a step (Back always works).
func (w *Wizard) show(step int) {
	if step < 0 || step >= len(w.pages) {
		return
	}
	if step == StepAddress {
		w.loadHandouts()
	}
	w.step = step
	w.body.Objects = []fyne.CanvasObject{container.NewVScroll(w.pages[step])}
	w.body.Refresh()
	w.indicator.RemoveAll()
	for i, n := range stepNames {
		l := widget.NewLabel(lang.L("wizard.step.numbered", map[string]any{"N": i + 1, "Name": lang.L(n)}))
		if i == step {
			l.TextStyle.Bold = true
			l.Importance = widget.HighImportance
		} else if i > step {
			l.Importance = widget.LowImportance
		}
		w.indicator.Add(l)
	}
	w.indicator.Refresh()
	w.showCurrentStep()
	if step == StepWelcome {
		w.backBtn.Disable()
	} else {
		w.backBtn.Enable()
	}
	if step == StepDone {
		w.nextBtn.SetText(lang.L("wizard.finish"))
	} else {
		w.nextBtn.SetText(lang.L("wizard.next"))
	}
	w.validate()
}

// validate enables Next only when the current step is valid, and shows why not.
func (w *Wizard) validate() {
	if w.nextBtn == nil || w.pages == nil {
		return
	}
	problem := w.stepProblem(w.step)
	if w.step == StepAddress {
		w.showAddress()
	}
	w.problemLabel.SetText(problem.shown)
	if problem.shown == "" {
		w.problemBox.Hide()
	} else {
		w.problemBox.Show()
	}
	if problem.blocked || w.settingUp {
		w.nextBtn.Disable()
	} else {
		w.nextBtn.Enable()
	}
}

// stepCheck is whether a step blocks Next, and the sentence to show (a
// refusal; empty while the user simply has not filled the step in yet).
type stepCheck struct {
	blocked bool
	shown   string
}

// stepProblem asks the step's own check.
func (w *Wizard) stepProblem(step int) stepCheck {
	switch step {
	case StepAddress:
		return w.addressProblem()
	case StepServers:
		return w.serversProblem()
	case StepRoot:
		return w.rootProblem()
	case StepChain:
		return w.fileCheck(StepChain, w.chain.authority != nil)
	case StepDigitalID:
		return w.fileCheck(StepDigitalID, w.id.id != nil)
	}
	return stepCheck{}
}

// fileCheck is the check of a step that takes a file: its refusal of the
// file, else blocked (with nothing to show) until a file is accepted.
func (w *Wizard) fileCheck(step int, accepted bool) stepCheck {
	if p := w.problems[step]; p != "" {
		return stepCheck{true, p}
	}
	return stepCheck{blocked: !accepted}
}

// openButton is a step's button that opens a file and hands its bytes to load.
func (w *Wizard) openButton(label string, load func([]byte)) *widget.Button {
	return widget.NewButtonWithIcon(label, theme.FolderOpenIcon(), func() { w.openFile(load) })
}

// openFile lets the user pick a file and hands its bytes to load.
func (w *Wizard) openFile(load func([]byte)) {
	openFile(w.win, w.core, handoutsFolder(w.net), func(_ string, data []byte) { load(data) }, func(err error) { errDialog(err, w.win) })
}

// setup collects everything for app.SetupAccount.
func (w *Wizard) setup() (app.Setup, error) {
	addr, err := w.Address()
	if err != nil {
		return app.Setup{}, err
	}
	a, sv := &w.addr, &w.servers
	name := strings.TrimSpace(a.first.Text) + " " + strings.TrimSpace(a.surname.Text)
	hp := func(h, p string) string { return net.JoinHostPort(strings.TrimSpace(h), strings.TrimSpace(p)) }
	return app.Setup{
		Address: addr, DisplayName: name,
		POP3:         profile.Server{Address: hp(sv.pop3Host.Text, sv.pop3Port.Text), TLS: sv.pop3Sec.Selected, Username: strings.TrimSpace(sv.user.Text)},
		SMTP:         profile.Server{Address: hp(sv.smtpHost.Text, sv.smtpPort.Text), TLS: sv.smtpSec.Selected, Username: strings.TrimSpace(sv.user.Text)},
		POP3Password: sv.password.Text,
		RootCA:       w.root.data, ECCA: w.chain.data, PFX: w.id.data, PFXPassword: w.id.password.Text,
		TrustRoot: w.root.trust.Checked, ServerCA: sv.serverCA,
	}, nil
}

func (w *Wizard) next() {
	if w.stepProblem(w.step).blocked {
		return
	}
	switch w.step {
	case StepDigitalID:
		w.runSetup()
	case StepDone:
		w.finish()
	default:
		w.show(w.step + 1)
	}
}

// runSetup stores the account off the UI goroutine; a refusal stays on the step.
func (w *Wizard) runSetup() {
	if w.setupDone {
		w.show(StepDone)
		return
	}
	s, err := w.setup()
	if err != nil {
		w.problems[StepDigitalID] = explain(err)
		w.validate()
		return
	}
	w.settingUp = true
	w.nextBtn.Disable()
	w.id.info.SetText(w.id.info.Text + "\n\n" + lang.L("wizard.settingup"))

	bundled, handout := w.servers.choice.Selected == serversBundled(), w.addr.handout
	go func() {
		var err error
		if bundled && handout != nil {
			err = w.core.SetupFromHandout(w.ctx, handout.Dir, s.TrustRoot)
		} else {
			err = w.core.SetupAccount(w.ctx, s)
		}
		w.do(func() {
			w.settingUp = false
			if err != nil {
				w.problems[StepDigitalID] = explain(err)
				w.validate()
				return
			}
			w.setupDone = true
			w.show(StepDone)
		})
	}()
}
