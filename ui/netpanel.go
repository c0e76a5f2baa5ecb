package ui

import (
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"securemail/internal/displaytext"
)

// NetworkWindow is the offline network panel: testers and their handouts,
// relay queues, the evidence log and outage simulation.
type NetworkWindow struct {
	Win      fyne.Window
	net      Network
	Handouts *widget.Label
	Queues   *widget.Label
	Log      *widget.Label
	Node     *widget.Select
	For      *widget.Select
	Down     *widget.Button
	Refresh  *widget.Button
	Close    *widget.Button // Esc does the same
	Message  *widget.Label
}

var outageChoices = map[string]time.Duration{"1 minute": time.Minute, "10 minutes": 10 * time.Minute, "1 hour": time.Hour, "5 hours": 5 * time.Hour}

// NewNetworkWindow builds the panel.
func NewNetworkWindow(a fyne.App, net Network) *NetworkWindow {
	w := &NetworkWindow{Win: a.NewWindow("Offline TESTA network"), net: net,
		Handouts: widget.NewLabel(""), Queues: widget.NewLabel(""), Log: widget.NewLabel(""), Message: widget.NewLabel("")}
	w.Log.TextStyle.Monospace = true
	w.Queues.TextStyle.Monospace = true
	w.Handouts.Selectable = true
	w.Log.Selectable = true
	w.Node = widget.NewSelect(net.Nodes(), nil)
	w.For = widget.NewSelect([]string{"1 minute", "10 minutes", "1 hour", "5 hours"}, nil)
	w.For.SetSelected("10 minutes")
	w.Down = widget.NewButton("Take it down", w.outage)
	w.Refresh = widget.NewButton("Refresh", w.Reload)
	escCloses(w.Win, w.Win.Close)
	w.Close = widget.NewButton("Close", w.Win.Close)
	w.Message.Wrapping = fyne.TextWrapWord
	mode := "This SecureMail runs the network in " + net.Dir() + "."
	if !net.Running() {
		mode = "Another program runs the network in " + net.Dir() + "; this panel watches it."
	}
	outage := container.NewVBox(
		widget.NewLabel("Simulate an outage: the node refuses connections; mail waits in the relays' queues and is retried every 2 minutes."),
		widget.NewForm(widget.NewFormItem("Node", w.Node), widget.NewFormItem("For", w.For)), w.Down)
	tabs := container.NewAppTabs(
		container.NewTabItem("Testers", container.NewVScroll(w.Handouts)),
		container.NewTabItem("Relay queues", container.NewVScroll(w.Queues)),
		container.NewTabItem("Evidence log", container.NewScroll(w.Log)),
		container.NewTabItem("Outage", outage),
	)
	w.Win.SetContent(container.NewBorder(widget.NewLabel(mode), container.NewBorder(nil, nil, nil, container.NewHBox(w.Refresh, w.Close), w.Message), nil, nil, tabs))
	w.Win.Resize(fyne.NewSize(820, 520))
	w.Reload()
	return w
}

// Show opens the window.
func (w *NetworkWindow) Show() { w.Win.Show() }

// Reload reads the handouts, queues and log again.
func (w *NetworkWindow) Reload() {
	var b strings.Builder
	if hs, err := w.net.Handouts(); err != nil {
		b.WriteString(errorSentence(err))
	} else {
		for _, h := range hs {
			fmt.Fprintf(&b, "%s\n    files: %s\n", h.Address, h.Dir)
		}
	}
	w.Handouts.SetText(b.String())
	b.Reset()
	if qs, err := w.net.Queues(); err != nil {
		b.WriteString(errorSentence(err))
	} else if len(qs) == 0 {
		b.WriteString("No messages are queued: everything was delivered.")
	} else {
		for _, q := range qs {
			fmt.Fprintf(&b, "%-10s %s → %s  attempts %d, next %s\n", q.Node, displaytext.Line(orText(q.From, "<>")), displaytext.Line(q.To), q.Attempts, q.NextAttempt.Local().Format("15:04:05"))
		}
	}
	w.Queues.SetText(b.String())
	if lines, err := w.net.Events(300); err != nil {
		w.Log.SetText(errorSentence(err))
	} else if len(lines) == 0 {
		w.Log.SetText("Nothing has happened on the network yet.")
	} else {
		for i, l := range lines {
			lines[i] = displaytext.Line(l) // the log quotes envelope addresses from mail
		}
		w.Log.SetText(strings.Join(lines, "\n"))
	}
}

func (w *NetworkWindow) outage() {
	if w.Node.Selected == "" {
		w.Message.SetText("Pick the node to take down first.")
		return
	}
	d := outageChoices[w.For.Selected]
	if err := w.net.Outage(w.Node.Selected, d); err != nil {
		w.Message.SetText(errorSentence(err))
		return
	}
	w.Message.SetText(fmt.Sprintf("%s is down for %s; watch the relay queues and the evidence log.", w.Node.Selected, w.For.Selected))
}

func homeDir() string {
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "."
}
