package ui

import (
	"fmt"
	"slices"
	"time"
)

// Trace receives timing events of the main window (for docs/BENCHMARKS.md):
// "window shown", "list populated", and at close the row-callback figures.
type Trace func(event string)

// traceState collects the figures a Trace reports.
type traceState struct {
	out       Trace
	shown     time.Time
	populated bool
	rows      []time.Duration
}

func (t *traceState) event(format string, args ...any) {
	if t != nil && t.out != nil {
		t.out(fmt.Sprintf(format, args...))
	}
}

func (t *traceState) row(d time.Duration) {
	if len(t.rows) < 1_000_000 {
		t.rows = append(t.rows, d)
	}
}

func (t *traceState) loaded(count int) {
	if t.populated {
		return
	}
	t.populated = true
	t.event("list populated: %d rows in the folder, first page on screen %.1f ms after the window was shown",
		count, float64(time.Since(t.shown).Microseconds())/1000)
}

func (t *traceState) summary() {
	if t == nil || len(t.rows) == 0 {
		return
	}
	r := slices.Clone(t.rows)
	slices.Sort(r)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	t.event("row callbacks: %d, median %.3f ms, p99 %.3f ms, max %.3f ms", len(r), ms(r[len(r)/2]), ms(r[len(r)*99/100]), ms(r[len(r)-1]))
}
