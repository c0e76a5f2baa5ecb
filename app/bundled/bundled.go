// Package bundled runs the bundled offline TESTA network for the GUI: it
// prepares the network folder (configuration, test CA, one handout per
// tester), starts the network in this process — or, when another SecureMail
// or `securemail testnet` already serves that folder, watches it — and
// describes it (handouts, queues, evidence log, outages) for the window's
// offline network panel. It lives in app so that the window reaches the
// network through the core, as the layers of docs/ARCHITECTURE.md §2 have it.
package bundled

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"securemail/app/profile"
	"securemail/internal/phrase"
	"securemail/testnet"
	"securemail/testnet/evlog"
	"securemail/testnet/queue"
)

// Handout is one tester's handout folder.
type Handout struct {
	Address string
	Dir     string
}

// QueueRow is one message waiting in a node's queue.
type QueueRow struct {
	Node string
	ID   string
	From string
	// To is every recipient with its state, in English:
	// "a@x (deferred: 451 try later), b@y (pending)".
	To string
	// Recipients says the same, one phrase per recipient, for the
	// window's language (docs/ARCHITECTURE.md §7); the server's reply stays
	// as the server wrote it.
	Recipients  []phrase.Phrase `json:"-"`
	Attempts    int
	NextAttempt time.Time
}

// Net is a prepared bundled network, served here or elsewhere.
type Net struct {
	dir string
	cfg testnet.Config
	n   *testnet.Network // nil when another process serves it
}

// DefaultDir is the network folder shared by every profile of this user,
// so that two testers on one machine exchange mail (the CLI's default too).
func DefaultDir() (string, error) {
	d, err := profile.DefaultDirs()
	if err != nil {
		return "", fmt.Errorf("bundled: %w", err)
	}
	return d.Network, nil
}

// Open prepares dir and starts the network, unless it already answers.
func Open(ctx context.Context, dir string) (*Net, error) {
	cfg, ca, err := testnet.Prepare(dir, "")
	if err != nil {
		return nil, fmt.Errorf("bundled: %w", err)
	}
	b := &Net{dir: dir, cfg: cfg}
	// Ports Prepare has just chosen are held here (they would answer).
	if !cfg.Holding() && b.answers(ctx) {
		return b, nil
	}
	n, err := testnet.Start(testnet.Options{Dir: dir, Config: cfg, CA: ca})
	if err != nil {
		return nil, fmt.Errorf("bundled: the offline network could not start: %w", err)
	}
	b.n = n
	return b, nil
}

// answers reports whether the first national server already accepts connections.
func (b *Net) answers(ctx context.Context) bool {
	if len(b.cfg.Countries) == 0 || b.cfg.Countries[0].POP3Port == 0 {
		return false
	}
	addr := net.JoinHostPort(b.cfg.Host, strconv.Itoa(b.cfg.Countries[0].POP3Port))
	ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// Close stops the network if this process serves it.
func (b *Net) Close() error {
	if b.n == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return b.n.Shutdown(ctx)
}

// Dir implements the window's network panel (ui.Network).
func (b *Net) Dir() string { return b.dir }

// Running implements the window's network panel (ui.Network).
func (b *Net) Running() bool { return b.n != nil }

// Handouts implements the window's network panel (ui.Network): every tester's handout folder.
func (b *Net) Handouts() ([]Handout, error) {
	var out []Handout
	for _, co := range b.cfg.Countries {
		for _, t := range co.Testers {
			a := co.Address(t)
			out = append(out, Handout{Address: a, Dir: testnet.HandoutDir(b.dir, a)})
		}
	}
	return out, nil
}

// Nodes implements the window's network panel (ui.Network): national servers, then relays.
func (b *Net) Nodes() []string {
	var out []string
	for _, co := range b.cfg.Countries {
		out = append(out, co.NodeName())
	}
	for _, r := range b.cfg.Relays {
		out = append(out, r.Name)
	}
	return out
}

// Queues implements the window's network panel (ui.Network) from the nodes' queue folders.
func (b *Net) Queues() ([]QueueRow, error) {
	nodes, err := os.ReadDir(filepath.Join(b.dir, "nodes"))
	if err != nil {
		return nil, nil // nothing has run yet
	}
	var rows []QueueRow
	for _, nd := range nodes {
		ms, err := queue.ReadDir(filepath.Join(b.dir, "nodes", nd.Name(), "queue"))
		if err != nil {
			continue
		}
		for _, m := range ms {
			row := QueueRow{Node: nd.Name(), ID: m.ID, From: m.From, Attempts: m.Attempts, NextAttempt: m.NextAttempt}
			var to []string
			for _, r := range m.Rcpts {
				p := recipientPhrase(r)
				row.Recipients = append(row.Recipients, p)
				to = append(to, p.String())
			}
			row.To = strings.Join(to, ", ")
			rows = append(rows, row)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].NextAttempt.Before(rows[j].NextAttempt) })
	return rows, nil
}

// recipientPhrase is a queued recipient with its state and, when there is
// one, the last reply of the server it was handed to.
func recipientPhrase(r queue.Recipient) phrase.Phrase {
	var state any = string(r.Status) // a state this version does not know, as written
	switch r.Status {
	case queue.Pending:
		state = phrase.New("network.queue.state.pending", "pending", nil)
	case queue.Deferred:
		state = phrase.New("network.queue.state.deferred", "deferred", nil)
	case queue.Delivered:
		state = phrase.New("network.queue.state.delivered", "delivered", nil)
	case queue.Failed:
		state = phrase.New("network.queue.state.failed", "failed", nil)
	}
	if r.LastError != "" {
		return phrase.New("network.queue.rcpt.reply", "{{.To}} ({{.State}}: {{.Reply}})", phrase.Args{"To": r.To, "State": state, "Reply": r.LastError})
	}
	return phrase.New("network.queue.rcpt", "{{.To}} ({{.State}})", phrase.Args{"To": r.To, "State": state})
}

// Events implements the window's network panel (ui.Network): the last max lines of the evidence log.
func (b *Net) Events(max int) ([]string, error) {
	f, err := os.Open(filepath.Join(b.dir, testnet.EventsFile))
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	var lines []string
	err = evlog.Read(f, func(e evlog.Event) error {
		lines = append(lines, evlog.Format(e))
		if len(lines) > 2*max {
			lines = append(lines[:0], lines[len(lines)-max:]...)
		}
		return nil
	})
	if len(lines) > max {
		lines = lines[len(lines)-max:]
	}
	if err != nil {
		return lines, fmt.Errorf("bundled: %w", err)
	}
	return lines, nil
}

// LogColumns are the widths, in characters, of the first three columns of
// the lines Events gives (time, node, event; each followed by a space), for
// the headers the window puts above them.
func LogColumns() [3]int { return [3]int{evlog.TimeWidth, evlog.NodeWidth, evlog.EventWidth} }

// Outage implements the window's network panel (ui.Network) through the network's control folder, which
// works whichever process serves it.
func (b *Net) Outage(node string, d time.Duration) error {
	if b.n != nil {
		return b.n.Outage(node, d)
	}
	return testnet.RequestOutage(b.dir, node, d)
}
