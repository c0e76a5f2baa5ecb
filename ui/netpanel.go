package ui

import (
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app/bundled"
	"securemail/internal/displaytext"
	"securemail/ui/i18n"
)

// NetworkWindow is the offline network panel: testers and their handouts,
// relay queues, the evidence log and outage simulation.
type NetworkWindow struct {
	win        fyne.Window
	net        Network
	handouts   *widget.Label
	queues     *widget.Label
	log        *widget.Label
	logHeader  *widget.Label // the evidence log's column headers
	node       *widget.Select
	outageFor  *widget.Select
	downBtn    *widget.Button
	refreshBtn *widget.Button
	close      *widget.Button // Esc does the same
	message    *widget.Label
	tabs       *container.AppTabs
	logScroll  *container.Scroll
	// The evidence log follows new entries while the window is open:
	// tick is its clock (tests replace it), do runs on the UI goroutine.
	tick func(d time.Duration) (<-chan time.Time, func())
	do   func(func())
	done chan struct{}
}

// outageLengths are the outage lengths the panel offers, in its order.
func outageLengths() []time.Duration {
	return []time.Duration{time.Minute, 10 * time.Minute, time.Hour, 5 * time.Hour}
}

// outageLabel names an outage length in the window's language.
func outageLabel(d time.Duration) string {
	if d < time.Hour {
		n := int(d / time.Minute)
		return lang.N("network.minutes", n, map[string]any{"N": n})
	}
	n := int(d / time.Hour)
	return lang.N("network.hours", n, map[string]any{"N": n})
}

// followEvery is how often the open panel reads the network again.
const followEvery = 2 * time.Second

// NewNetworkWindow builds the panel.
func NewNetworkWindow(a fyne.App, net Network) *NetworkWindow {
	w := &NetworkWindow{win: a.NewWindow(lang.L("network.title")), net: net,
		handouts: widget.NewLabel(""), queues: widget.NewLabel(""), log: widget.NewLabel(""), message: widget.NewLabel("")}
	w.log.TextStyle.Monospace = true
	w.logScroll = container.NewScroll(w.log)
	w.logHeader = widget.NewLabelWithStyle(evidenceHeader(), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	w.do, w.done = fyne.Do, make(chan struct{})
	w.tick = func(d time.Duration) (<-chan time.Time, func()) {
		t := time.NewTicker(d)
		return t.C, t.Stop
	}
	w.win.SetOnClosed(func() { close(w.done) })
	w.queues.TextStyle.Monospace = true
	w.handouts.Selectable = true
	w.log.Selectable = true
	w.node = widget.NewSelect(net.Nodes(), nil)
	var labels []string
	for _, d := range outageLengths() {
		labels = append(labels, outageLabel(d))
	}
	w.outageFor = widget.NewSelect(labels, nil)
	w.outageFor.SetSelectedIndex(1)
	w.downBtn = widget.NewButton(lang.L("network.down"), w.outage)
	w.refreshBtn = widget.NewButton(lang.L("network.refresh"), w.Reload)
	escCloses(w.win, w.win.Close)
	w.close = widget.NewButton(lang.L("Close"), w.win.Close)
	w.message.Wrapping = fyne.TextWrapWord
	mode := lang.L("network.mode.own", map[string]any{"Dir": net.Dir()})
	if !net.Running() {
		mode = lang.L("network.mode.other", map[string]any{"Dir": net.Dir()})
	}
	outage := container.NewVBox(
		para(lang.L("network.outage.intro")), // wraps: German needs 1066 px on one line
		widget.NewForm(widget.NewFormItem(lang.L("network.node"), w.node), widget.NewFormItem(lang.L("network.for"), w.outageFor)), w.downBtn)
	w.tabs = container.NewAppTabs(
		// Long lines scroll sideways: the window fits a small screen (docs/UX.md §6).
		container.NewTabItem(lang.L("network.tab.testers"), container.NewScroll(w.handouts)),
		container.NewTabItem(lang.L("network.tab.queues"), container.NewScroll(w.queues)),
		container.NewTabItem(lang.L("network.tab.log"), container.NewBorder(w.logHeader, nil, nil, nil, w.logScroll)),
		container.NewTabItem(lang.L("network.tab.outage"), outage),
	)
	w.win.SetContent(container.NewBorder(widget.NewLabel(mode), container.NewBorder(nil, nil, nil, container.NewHBox(w.refreshBtn, w.close), w.message), nil, nil, w.tabs))
	w.win.Resize(fyne.NewSize(820, 520))
	w.Reload()
	return w
}

// Show opens the window; while it is open it reads the network again
// every followEvery, the evidence log following its newest entry.
func (w *NetworkWindow) Show() {
	w.win.Show()
	ticks, stop := w.tick(followEvery)
	go repeat(ticks, stop, w.done, func() { w.do(w.Reload) })
}

// logAtEnd says whether the evidence log shows its last line (the user
// has not scrolled up to read older ones).
func (w *NetworkWindow) logAtEnd() bool {
	return w.logScroll.Offset.Y+w.logScroll.Size().Height >= w.log.MinSize().Height-1
}

// Reload reads the handouts, queues and log again.
func (w *NetworkWindow) Reload() {
	var b strings.Builder
	if hs, err := w.net.Handouts(); err != nil {
		b.WriteString(explain(err))
	} else {
		for _, h := range hs {
			fmt.Fprintf(&b, "%s\n    %s\n", h.Address, lang.L("network.files", map[string]any{"Dir": h.Dir}))
		}
	}
	w.handouts.SetText(b.String())
	b.Reset()
	if qs, err := w.net.Queues(); err != nil {
		b.WriteString(explain(err))
	} else if len(qs) == 0 {
		b.WriteString(lang.L("network.queues.empty"))
	} else {
		for _, q := range qs {
			to := q.To
			if len(q.Recipients) > 0 {
				rcpts := make([]string, len(q.Recipients))
				for i, p := range q.Recipients {
					rcpts[i] = i18n.Say(p)
				}
				to = strings.Join(rcpts, ", ")
			}
			fmt.Fprintf(&b, "%-10s %s → %s  %s\n", q.Node, displaytext.Line(orText(q.From, "<>")), displaytext.Line(to),
				lang.L("network.queue.attempts", map[string]any{"N": q.Attempts, "Next": q.NextAttempt.Local().Format("15:04:05")}))
		}
	}
	w.queues.SetText(b.String())
	follow := w.logAtEnd() || w.log.Text == ""
	defer func() {
		if follow { // at the newest entry, as a log is read
			w.logScroll.ScrollToBottom()
		}
	}()
	if lines, err := w.net.Events(300); err != nil {
		w.log.SetText(explain(err))
	} else if len(lines) == 0 {
		w.log.SetText(lang.L("network.log.empty"))
	} else {
		for i, l := range lines {
			lines[i] = displaytext.Line(l) // the log quotes envelope addresses from mail
		}
		w.log.SetText(strings.Join(lines, "\n"))
	}
}

// evidenceHeader is the evidence log's column headers in the window's
// language, each as wide as its column in the log's lines (a fixed-width
// font), or one space more than the word when the word is longer.
func evidenceHeader() string {
	cols := bundled.LogColumns()
	var b strings.Builder
	for i, key := range []string{"network.log.col.time", "network.log.col.node", "network.log.col.event"} {
		word := lang.L(key)
		b.WriteString(word)
		b.WriteString(strings.Repeat(" ", max(cols[i]-utf8.RuneCountInString(word), 0)+1))
	}
	b.WriteString(lang.L("network.log.col.details"))
	return b.String()
}

func (w *NetworkWindow) outage() {
	if w.node.Selected == "" {
		w.message.SetText(lang.L("network.pick"))
		return
	}
	i := w.outageFor.SelectedIndex()
	if i < 0 {
		i = 1
	}
	d := outageLengths()[i]
	if err := w.net.Outage(w.node.Selected, d); err != nil {
		w.message.SetText(explain(err))
		return
	}
	w.message.SetText(lang.L("network.isdown", map[string]any{"Node": w.node.Selected, "For": outageLabel(d)}))
}

func homeDir() string {
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "."
}

// repeat calls f at each tick until done is closed, then stops the clock.
func repeat(ticks <-chan time.Time, stop func(), done <-chan struct{}, f func()) {
	defer stop()
	for {
		select {
		case <-ticks:
			f()
		case <-done:
			return
		}
	}
}
