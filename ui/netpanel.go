package ui

import (
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/internal/displaytext"
)

// NetworkWindow is the offline network panel: testers and their handouts,
// relay queues, the evidence log and outage simulation.
type NetworkWindow struct {
	win        fyne.Window
	net        Network
	handouts   *widget.Label
	queues     *widget.Label
	log        *widget.Label
	node       *widget.Select
	outageFor  *widget.Select
	downBtn    *widget.Button
	refreshBtn *widget.Button
	close      *widget.Button // Esc does the same
	message    *widget.Label
	tabs       *container.AppTabs
}

var outageChoices = map[string]time.Duration{"1 minute": time.Minute, "10 minutes": 10 * time.Minute, "1 hour": time.Hour, "5 hours": 5 * time.Hour}

// NewNetworkWindow builds the panel.
func NewNetworkWindow(a fyne.App, net Network) *NetworkWindow {
	w := &NetworkWindow{win: a.NewWindow("Offline TESTA network"), net: net,
		handouts: widget.NewLabel(""), queues: widget.NewLabel(""), log: widget.NewLabel(""), message: widget.NewLabel("")}
	w.log.TextStyle.Monospace = true
	w.queues.TextStyle.Monospace = true
	w.handouts.Selectable = true
	w.log.Selectable = true
	w.node = widget.NewSelect(net.Nodes(), nil)
	w.outageFor = widget.NewSelect([]string{"1 minute", "10 minutes", "1 hour", "5 hours"}, nil)
	w.outageFor.SetSelected("10 minutes")
	w.downBtn = widget.NewButton("Take it down", w.outage)
	w.refreshBtn = widget.NewButton("Refresh", w.Reload)
	escCloses(w.win, w.win.Close)
	w.close = widget.NewButton("Close", w.win.Close)
	w.message.Wrapping = fyne.TextWrapWord
	mode := "This SecureMail runs the network in " + net.Dir() + "."
	if !net.Running() {
		mode = "Another program runs the network in " + net.Dir() + "; this panel watches it."
	}
	outage := container.NewVBox(
		widget.NewLabel("Simulate an outage: the node refuses connections; mail waits in the relays' queues and is retried every 2 minutes."),
		widget.NewForm(widget.NewFormItem("Node", w.node), widget.NewFormItem("For", w.outageFor)), w.downBtn)
	w.tabs = container.NewAppTabs(
		// Long lines scroll sideways: the window fits a small screen (docs/UX.md §6).
		container.NewTabItem("Testers", container.NewScroll(w.handouts)),
		container.NewTabItem("Relay queues", container.NewScroll(w.queues)),
		container.NewTabItem("Evidence log", container.NewScroll(w.log)),
		container.NewTabItem("Outage", outage),
	)
	w.win.SetContent(container.NewBorder(widget.NewLabel(mode), container.NewBorder(nil, nil, nil, container.NewHBox(w.refreshBtn, w.close), w.message), nil, nil, w.tabs))
	w.win.Resize(fyne.NewSize(820, 520))
	w.Reload()
	return w
}

// Show opens the window.
func (w *NetworkWindow) Show() { w.win.Show() }

// Reload reads the handouts, queues and log again.
func (w *NetworkWindow) Reload() {
	var b strings.Builder
	if hs, err := w.net.Handouts(); err != nil {
		b.WriteString(app.Explain(err).String())
	} else {
		for _, h := range hs {
			fmt.Fprintf(&b, "%s\n    files: %s\n", h.Address, h.Dir)
		}
	}
	w.handouts.SetText(b.String())
	b.Reset()
	if qs, err := w.net.Queues(); err != nil {
		b.WriteString(app.Explain(err).String())
	} else if len(qs) == 0 {
		b.WriteString("No messages are queued: everything was delivered.")
	} else {
		for _, q := range qs {
			fmt.Fprintf(&b, "%-10s %s → %s  attempts %d, next %s\n", q.Node, displaytext.Line(orText(q.From, "<>")), displaytext.Line(q.To), q.Attempts, q.NextAttempt.Local().Format("15:04:05"))
		}
	}
	w.queues.SetText(b.String())
	if lines, err := w.net.Events(300); err != nil {
		w.log.SetText(app.Explain(err).String())
	} else if len(lines) == 0 {
		w.log.SetText("Nothing has happened on the network yet.")
	} else {
		for i, l := range lines {
			lines[i] = displaytext.Line(l) // the log quotes envelope addresses from mail
		}
		w.log.SetText(strings.Join(lines, "\n"))
	}
}

func (w *NetworkWindow) outage() {
	if w.node.Selected == "" {
		w.message.SetText("Pick the node to take down first.")
		return
	}
	d := outageChoices[w.outageFor.Selected]
	if err := w.net.Outage(w.node.Selected, d); err != nil {
		w.message.SetText(app.Explain(err).String())
		return
	}
	w.message.SetText(fmt.Sprintf("%s is down for %s; watch the relay queues and the evidence log.", w.node.Selected, w.outageFor.Selected))
}

func homeDir() string {
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "."
}
