package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/internal/displaytext"
	"securemail/smime/identity"
	"securemail/ui/i18n"
)

// serversBundled and serversOwn are the two choices of the step.
func serversBundled() string { return lang.L("wizard.servers.bundled") }
func serversOwn() string     { return lang.L("wizard.servers.own") }

// serversStep is the wizard's "Mail servers" step: the bundled offline
// network, or the organisation's own POP3 and SMTP servers with their
// private CA and Test connection.
type serversStep struct {
	choice             *widget.RadioGroup
	own                *fyne.Container // the own servers' form, shown when chosen
	pop3Host, pop3Port *widget.Entry
	smtpHost, smtpPort *widget.Entry
	pop3Sec, smtpSec   *widget.Select
	user, password     *widget.Entry
	tester             connTester // Test connection and its result
	openCA             *widget.Button
	clearCA            *widget.Button
	caInfo             *widget.Label

	serverCA []byte
}

func (w *Wizard) serversPage() fyne.CanvasObject {
	s := &w.servers
	s.pop3Host, s.pop3Port, s.smtpHost, s.smtpPort = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	s.pop3Port.SetText("110")
	s.smtpPort.SetText("587")
	sec := []string{"starttls", "implicit", "none"}
	s.pop3Sec, s.smtpSec = widget.NewSelect(sec, nil), widget.NewSelect(sec, nil)
	s.pop3Sec.SetSelected("starttls")
	s.smtpSec.SetSelected("starttls")
	s.user, s.password = widget.NewEntry(), widget.NewPasswordEntry()
	for _, e := range []*widget.Entry{s.pop3Host, s.pop3Port, s.smtpHost, s.smtpPort, s.user, s.password} {
		e.OnChanged = func(string) { w.validate() }
	}
	s.tester = newConnTester(w.testConnection)
	s.caInfo = para(lang.L(systemRootsText))
	s.openCA = w.openButton(lang.L("wizard.servers.openca"), w.loadServerCA)
	s.clearCA = widget.NewButton(lang.L("wizard.servers.systemcas"), w.clearServerCA)
	s.clearCA.Disable()
	s.own = container.NewVBox(widget.NewForm(
		widget.NewFormItem(lang.L("servers.pop3"), container.NewBorder(nil, nil, nil, container.NewHBox(s.pop3Port, s.pop3Sec), s.pop3Host)),
		widget.NewFormItem(lang.L("servers.smtp"), container.NewBorder(nil, nil, nil, container.NewHBox(s.smtpPort, s.smtpSec), s.smtpHost)),
		widget.NewFormItem(lang.L("servers.user"), s.user), widget.NewFormItem(lang.L("wizard.password"), s.password),
	), para(lang.L("wizard.servers.caintro")),
		container.NewHBox(s.openCA, s.clearCA), s.caInfo, container.NewHBox(s.tester.button), s.tester.result)
	opts := []string{serversBundled(), serversOwn()}
	if w.net == nil {
		opts = opts[1:]
	}
	s.choice = widget.NewRadioGroup(opts, func(c string) {
		if c == serversOwn() {
			s.own.Show()
		} else {
			s.own.Hide()
		}
		w.validate()
	})
	s.choice.SetSelected(opts[0])
	return container.NewVBox(heading(lang.L("wizard.step.servers")),
		para(lang.L("wizard.servers.intro")),
		s.choice, s.own)
}

// serversProblem: the bundled network must know the address; own servers
// need hosts, ports, user name and password, and a readable CA file if one
// was opened.
func (w *Wizard) serversProblem() stepCheck {
	s := &w.servers
	if s.choice.Selected == serversBundled() {
		addr, _ := w.Address()
		if w.bundledTester(addr) == nil {
			return stepCheck{true, lang.L("wizard.servers.notester", map[string]any{"Address": addr})}
		}
		return stepCheck{}
	}
	if p := w.problems[StepServers]; p != "" {
		return stepCheck{true, p}
	}
	for _, e := range []*widget.Entry{s.pop3Host, s.smtpHost, s.user, s.password} {
		if strings.TrimSpace(e.Text) == "" {
			return stepCheck{true, ""}
		}
	}
	for _, e := range []*widget.Entry{s.pop3Port, s.smtpPort} {
		if p, err := strconv.Atoi(strings.TrimSpace(e.Text)); err != nil || p < 1 || p > 65535 {
			return stepCheck{true, lang.L("servers.port")}
		}
	}
	return stepCheck{}
}

// testTimeout bounds the whole Test connection.
const testTimeout = 45 * time.Second

// testConnection runs the diag checks off the UI goroutine, one line per
// step; while they run the button cancels them.
func (w *Wizard) testConnection() {
	sv := &w.servers
	if sv.tester.stop() {
		return
	}
	s, err := w.setup()
	if err != nil {
		sv.tester.result.SetText(explain(err))
		return
	}
	sv.tester.do = w.do
	sv.tester.check(w.ctx, func(ctx context.Context, report func(app.ConnStep)) error {
		return w.core.TestConnection(ctx, s, report)
	})
}

// connLine is one step of Test connection as shown: ✓ passed, – not
// checked (and why), ✗ failed (and the sentence saying what to do).
func connLine(st app.ConnStep) string {
	name := string(st.Protocol) + " " + lang.L(connStepKey(st.Kind))
	switch {
	case st.Err != nil:
		return "✗ " + name + ": " + explain(st.Err)
	case st.Skipped != "":
		return "– " + name + ": " + lang.L(connStepKey(st.Kind)+".skipped")
	}
	return "✓ " + name
}

// connStepKey is the translation key naming a step of Test connection (the
// key plus ".skipped" says why the step was not checked).
func connStepKey(k app.StepKind) string {
	switch k {
	case app.StepDNS:
		return "conn.step.dns"
	case app.StepTCP:
		return "conn.step.tcp"
	case app.StepTLS:
		return "conn.step.tls"
	case app.StepGreeting:
		return "conn.step.greeting"
	case app.StepCapabilities:
		return "conn.step.capabilities"
	case app.StepLogin:
		return "conn.step.login"
	case app.StepMailbox:
		return "conn.step.mailbox"
	case app.StepTestMessage:
		return "conn.step.testmessage"
	}
	return "conn.step.logout"
}

// loadServerCA reads the private CA (PEM or DER) that issued the mail
// servers' certificates; Test connection and the account verify against it.
func (w *Wizard) loadServerCA(data []byte) {
	s := &w.servers
	s.serverCA, w.problems[StepServers] = nil, ""
	certs, err := identity.ParseCertificates(data)
	if err != nil {
		w.problems[StepServers] = lang.L("wizard.servers.nocafile", map[string]any{"Why": explainWhat(err)})
		s.caInfo.SetText("")
	} else {
		s.serverCA = data
		var names []string
		for _, c := range certs {
			names = append(names, lang.L("certificate.nameuntil", map[string]any{"Name": displaytext.Line(orText(c.Subject.CommonName, c.Subject.String())), "Until": i18n.Date(c.NotAfter.UTC())}))
		}
		s.caInfo.SetText(lang.L("wizard.servers.verifiedagainst", map[string]any{"Names": strings.Join(names, ", ")}))
		s.clearCA.Enable()
	}
	w.validate()
}

// clearServerCA goes back to the system's authorities.
func (w *Wizard) clearServerCA() {
	w.servers.serverCA, w.problems[StepServers] = nil, ""
	w.servers.caInfo.SetText(lang.L(systemRootsText))
	w.servers.clearCA.Disable()
	w.validate()
}

const systemRootsText = "wizard.servers.systemroots"
