package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/internal/displaytext"
	"securemail/smime/identity"
)

const (
	serversBundled = "Bundled offline TESTA network"
	serversOwn     = "My organisation's POP3 and SMTP servers"
)

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
	testConn           *widget.Button
	testResult         *widget.Label
	openCA             *widget.Button
	clearCA            *widget.Button
	caInfo             *widget.Label

	serverCA   []byte
	testCancel context.CancelFunc
	testRun    int
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
	s.testResult = widget.NewLabel("")
	s.testResult.Wrapping = fyne.TextWrapWord
	s.testConn = widget.NewButton("Test connection", w.testConnection)
	s.caInfo = para(systemRootsText)
	s.openCA = w.openButton("Open the servers' CA file…", w.loadServerCA)
	s.clearCA = widget.NewButton("Use the system's authorities", w.clearServerCA)
	s.clearCA.Disable()
	s.own = container.NewVBox(widget.NewForm(
		widget.NewFormItem("POP3 (incoming)", container.NewBorder(nil, nil, nil, container.NewHBox(s.pop3Port, s.pop3Sec), s.pop3Host)),
		widget.NewFormItem("SMTP (outgoing)", container.NewBorder(nil, nil, nil, container.NewHBox(s.smtpPort, s.smtpSec), s.smtpHost)),
		widget.NewFormItem("User name", s.user), widget.NewFormItem("Password", s.password),
	), para("If your organisation's servers use certificates of a private authority, open its CA file (PEM or DER):"),
		container.NewHBox(s.openCA, s.clearCA), s.caInfo, container.NewHBox(s.testConn), s.testResult)
	opts := []string{serversBundled, serversOwn}
	if w.net == nil {
		opts = opts[1:]
	}
	s.choice = widget.NewRadioGroup(opts, func(c string) {
		if c == serversOwn {
			s.own.Show()
		} else {
			s.own.Hide()
		}
		w.validate()
	})
	s.choice.SetSelected(opts[0])
	return container.NewVBox(heading("Mail servers"),
		para("The bundled offline network runs national mail servers and TESTA relays on this computer, so you can try everything without real servers."),
		s.choice, s.own)
}

// serversProblem: the bundled network must know the address; own servers
// need hosts, ports, user name and password, and a readable CA file if one
// was opened.
func (w *Wizard) serversProblem() stepCheck {
	s := &w.servers
	if s.choice.Selected == serversBundled {
		addr, _ := w.Address()
		if w.bundledTester(addr) == nil {
			return stepCheck{true, fmt.Sprintf("The bundled network has no tester %s. Go Back and pick one of its testers, or choose your organisation's servers.", addr)}
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
			return stepCheck{true, "A port is a number from 1 to 65535, for example 110 for POP3 and 587 for SMTP."}
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
	if sv.testCancel != nil {
		sv.testCancel()
		return
	}
	s, err := w.setup()
	if err != nil {
		sv.testResult.SetText(app.Explain(err).String())
		return
	}
	ctx, cancel := context.WithTimeout(w.ctx, testTimeout)
	sv.testRun++
	run := sv.testRun
	sv.testCancel = cancel
	sv.testConn.SetText("Cancel")
	var lines []string
	sv.testResult.SetText("Testing…")
	go func() {
		defer cancel()
		err := w.core.TestConnection(ctx, s, func(st app.ConnStep) {
			w.do(func() {
				if run != sv.testRun || (st.Kind == app.StepTestMessage && st.Skipped != "") {
					return
				}
				lines = append(lines, connLine(st))
				sv.testResult.SetText(strings.Join(lines, "\n") + "\nTesting…")
			})
		})
		w.do(func() {
			if run != sv.testRun {
				return
			}
			sv.testCancel = nil
			sv.testConn.SetText("Test connection")
			switch {
			case errors.Is(ctx.Err(), context.Canceled):
				lines = append(lines, "Test cancelled.")
			case errors.Is(ctx.Err(), context.DeadlineExceeded):
				lines = append(lines, fmt.Sprintf("The servers did not finish the checks within %d seconds; check the host names and ports, then try again.", int(testTimeout.Seconds())))
			case err != nil && len(lines) == 0:
				lines = append(lines, app.Explain(err).String())
			case err != nil:
				lines = append(lines, "A check failed: see the step marked ✗.")
			default:
				lines = append(lines, "All checks passed: SecureMail can fetch and send your mail.")
			}
			sv.testResult.SetText(strings.Join(lines, "\n"))
		})
	}()
}

// connLine is one step of Test connection as shown: ✓ passed, – not
// checked (and why), ✗ failed (and the sentence saying what to do).
func connLine(st app.ConnStep) string {
	name := string(st.Protocol) + " " + st.Kind.String()
	switch {
	case st.Err != nil:
		return "✗ " + name + ": " + app.Explain(st.Err).String()
	case st.Skipped != "":
		return "– " + name + ": " + st.Skipped
	}
	return "✓ " + name
}

// loadServerCA reads the private CA (PEM or DER) that issued the mail
// servers' certificates; Test connection and the account verify against it.
func (w *Wizard) loadServerCA(data []byte) {
	s := &w.servers
	s.serverCA, w.problems[StepServers] = nil, ""
	certs, err := identity.ParseCertificates(data)
	if err != nil {
		w.problems[StepServers] = "This file holds no CA certificate (" + app.Explain(err).What +
			"). Open the PEM or DER file of the authority that issued your mail servers' certificates, or use the system's authorities."
		s.caInfo.SetText("")
	} else {
		s.serverCA = data
		var names []string
		for _, c := range certs {
			names = append(names, fmt.Sprintf("%s (valid until %s)", displaytext.Line(orText(c.Subject.CommonName, c.Subject.String())), c.NotAfter.UTC().Format("2 January 2006")))
		}
		s.caInfo.SetText("The servers' certificates are verified against: " + strings.Join(names, ", "))
		s.clearCA.Enable()
	}
	w.validate()
}

// clearServerCA goes back to the system's authorities.
func (w *Wizard) clearServerCA() {
	w.servers.serverCA, w.problems[StepServers] = nil, ""
	w.servers.caInfo.SetText(systemRootsText)
	w.servers.clearCA.Disable()
	w.validate()
}

const systemRootsText = "The servers' certificates are verified against the system's authorities."
