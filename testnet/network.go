package testnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"securemail/testaaddr"
	"securemail/testnet/dsn"
	"securemail/testnet/evlog"
	"securemail/testnet/mailbox"
	"securemail/testnet/queue"
	"securemail/testnet/testca"
)

// Options starts a Network.
type Options struct {
	Dir    string     // state: queues, mailboxes, evidence log
	Config Config     // ports must be filled in (see Prepare)
	CA     *testca.CA // issues the listeners' and nodes' TLS certificates
	Clock  queue.Clock
	// ControlInterval is how often the control folder is polled for
	// outage requests; 200 ms. Negative disables polling.
	ControlInterval time.Duration
}

// Network is the running TESTA network.
type Network struct {
	cfg       Config
	dir       string
	clock     queue.Clock
	log       *evlog.Log
	pki       *pki
	send      *hopClients
	nationals map[string]*node // by domain
	relays    []*node          // by MX preference
	nodes     map[string]*node // by name
	crl       *crlServer       // publishes the test CA's CRL
	done      chan struct{}
	stopOnce  sync.Once
	bg        sync.WaitGroup
}

// EventsFile is the evidence log's file name inside the network folder.
const EventsFile = "events.jsonl"

// Start opens every node's storage, reloads the queues and starts serving,
// on the listeners Prepare holds for the ports it chose and on the other
// ports bound now. Held listeners it does not serve on (it failed, or the
// configuration changed) are closed when it returns.
func Start(o Options) (n *Network, err error) {
	cfg := o.Config
	defer cfg.Release()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if o.Clock == nil {
		o.Clock = queue.SystemClock{}
	}
	if o.CA == nil {
		return nil, errors.New("testnet: a test CA is required")
	}
	if err := os.MkdirAll(filepath.Join(o.Dir, "control"), 0o700); err != nil {
		return nil, fmt.Errorf("testnet: %w", err)
	}
	lg, err := evlog.Open(filepath.Join(o.Dir, EventsFile), o.Clock.Now)
	if err != nil {
		return nil, err
	}
	n = &Network{cfg: cfg, dir: o.Dir, clock: o.Clock, log: lg, send: newHopClients(),
		nationals: map[string]*node{}, nodes: map[string]*node{}, done: make(chan struct{})}
	var names []string
	for _, co := range cfg.Countries {
		nd := &node{net: n, name: co.NodeName(), domain: co.Domain(), users: map[string]string{},
			addr: fmt.Sprintf("%s:%d", cfg.Host, co.InboundPort)}
		for _, t := range co.Testers {
			nd.users[strings.ToLower(co.Address(t))] = t.Password
		}
		n.nationals[nd.domain] = nd
		n.nodes[nd.name] = nd
		names = append(names, nd.name)
	}
	for _, r := range cfg.Relays {
		nd := &node{net: n, name: r.Name, mx: r.MX, addr: fmt.Sprintf("%s:%d", cfg.Host, r.Port), scanner: scanner{clamd: cfg.ClamdSocket}}
		n.relays = append(n.relays, nd)
		n.nodes[nd.name] = nd
		names = append(names, nd.name)
	}
	sort.SliceStable(n.relays, func(i, j int) bool { return n.relays[i].mx < n.relays[j].mx })
	if n.pki, err = newPKI(o.CA, cfg.Host, names); err != nil {
		lg.Close()
		return nil, err
	}
	fail := func(err error) (*Network, error) {
		n.Close()
		return nil, err
	}
	for _, nd := range n.nodes {
		if err := n.openQueue(nd); err != nil {
			return fail(err)
		}
	}
	for _, co := range cfg.Countries {
		nd := n.nationals[co.Domain()]
		if nd.mail, err = mailbox.Open(filepath.Join(o.Dir, "nodes", nd.name, "mail")); err != nil {
			return fail(err)
		}
		for _, l := range []struct {
			r        role
			port     int
			implicit bool
		}{{roleSubmit, co.SubmitPort, false}, {roleSubmit, co.SubmitsPort, true}, {roleInbound, co.InboundPort, false}} {
			if err := nd.serveSMTP(l.r, l.port, l.implicit); err != nil {
				return fail(err)
			}
		}
		if err := nd.servePOP3(co.POP3Port, co.POP3sPort); err != nil {
			return fail(err)
		}
	}
	for i, r := range cfg.Relays {
		nd := n.nodes[r.Name]
		if err := nd.serveSMTP(roleRelay, cfg.Relays[i].Port, false); err != nil {
			return fail(err)
		}
	}
	if err := n.serveCRL(o.CA); err != nil {
		return fail(err)
	}
	for _, nd := range n.nodes {
		nd.queue.Release()
	}
	if o.ControlInterval == 0 {
		o.ControlInterval = 200 * time.Millisecond
	}
	if o.ControlInterval > 0 {
		n.bg.Add(1)
		go n.watchControl(o.ControlInterval)
	}
	lg.Write(evlog.Event{Node: "network", Event: "started", Result: fmt.Sprintf("%d national servers, %d relays", len(n.nationals), len(n.relays))})
	return n, nil
}

func (n *Network) openQueue(nd *node) error {
	cfg := n.cfg
	q, err := queue.Open(queue.Options{
		Dir: nd.queueDir(), Target: nd, Notifier: dsnNotifier{nd}, Clock: n.clock,
		RetryInterval: cfg.RetryInterval.Duration, Lifetime: cfg.QueueLifetime.Duration, DelayAfter: cfg.DelayWarning.Duration,
		Held: true, // released once every listener is up
		Observe: func(e queue.Event) {
			kind := e.Kind
			switch kind {
			case "queued", "deferred", "failed", "dsn-sent", "duplicate", "dsn-failed":
			default:
				return // delivered: the target logs it with the peer
			}
			nd.log(evlog.Event{Event: kind, QueueID: e.Meta.ID, MessageID: e.Meta.MessageID, From: e.Meta.From, To: e.To, Peer: e.Meta.Peer, Result: e.Result})
		},
	})
	if err != nil {
		return err
	}
	nd.queue = q
	return nil
}

func (n *Network) relaysByMX() []*node { return n.relays }

func (n *Network) nationalFor(domain string) *node { return n.nationals[strings.ToLower(domain)] }

func (n *Network) isRelay(name string) bool {
	nd := n.nodes[name]
	return nd != nil && nd.domain == ""
}

func (n *Network) isNational(name string) bool {
	nd := n.nodes[name]
	return nd != nil && nd.domain != ""
}

// Nodes returns the node names: national servers, then relays by MX.
func (n *Network) Nodes() []string {
	var out []string
	for _, co := range n.cfg.Countries {
		out = append(out, co.NodeName())
	}
	for _, r := range n.relays {
		out = append(out, r.name)
	}
	return out
}

// Outage takes a node down (connections refused) for d of network time.
func (n *Network) Outage(name string, d time.Duration) error {
	nd := n.nodes[name]
	if nd == nil {
		return fmt.Errorf("testnet: there is no node %q; the nodes are %s", name, strings.Join(n.Nodes(), ", "))
	}
	nd.down()
	nd.log(evlog.Event{Event: "outage", Result: "down for " + d.String()})
	n.clock.AfterFunc(d, func() {
		select {
		case <-n.done:
			return
		default:
		}
		if err := nd.up(); err != nil {
			nd.log(evlog.Event{Event: "outage", Result: err.Error()})
			return
		}
		nd.log(evlog.Event{Event: "outage", Result: "back up"})
	})
	return nil
}

// Queues lists every node's queued messages.
func (n *Network) Queues() map[string][]queue.Meta {
	out := map[string][]queue.Meta{}
	for name, nd := range n.nodes {
		if ms := nd.queue.List(); len(ms) > 0 {
			out[name] = ms
		}
	}
	return out
}

// Shutdown stops every node, letting sessions end within ctx.
func (n *Network) Shutdown(ctx context.Context) error {
	n.stopOnce.Do(func() { close(n.done) })
	var wg sync.WaitGroup
	for _, nd := range n.nodes {
		wg.Add(1)
		go func() { defer wg.Done(); nd.shutdown(ctx) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); n.crl.shutdown(ctx) }()
	wg.Wait()
	n.bg.Wait()
	n.send.Close()
	n.log.Write(evlog.Event{Node: "network", Event: "stopped"})
	return n.log.Close()
}

// Close stops everything at once.
func (n *Network) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return n.Shutdown(ctx)
}

// dsnNotifier sends a node's delivery status notifications through the
// node's own queue.
type dsnNotifier struct{ nd *node }

var enhancedCode = regexp.MustCompile(`\b[245]\.\d{1,3}\.\d{1,3}\b`)

func (d dsnNotifier) Notify(ctx context.Context, nt queue.Notice) error {
	nd := d.nd
	host := nd.name + "." + testaaddr.Domain
	r := dsn.Report{ReportingMTA: host, From: "postmaster@" + host, To: nt.Meta.From, OriginalEnvID: nt.Meta.EnvID,
		MessageID: nt.Meta.MessageID, Arrival: nt.Meta.Arrived, Date: nd.net.clock.Now()}
	for _, rc := range nt.Rcpts {
		x := dsn.Recipient{FinalRecipient: rc.To, Diagnostic: rc.LastError, LastAttempt: nt.Meta.LastAttempt}
		if nt.Kind == "delayed" {
			x.Action, x.Status, x.WillRetryUntil = dsn.ActionDelayed, "4.4.7", nt.RetryUntil
		} else {
			x.Action, x.Status = dsn.ActionFailed, "5.4.7"
			if c := enhancedCode.FindString(rc.LastError); strings.HasPrefix(c, "5.") && !strings.Contains(rc.LastError, "lifetime") {
				x.Status = c
			}
		}
		r.Recipients = append(r.Recipients, x)
	}
	msg, err := dsn.Build(r, nt.Body)
	if err != nil {
		return err
	}
	_, err = nd.queue.Enqueue(ctx, queue.Envelope{From: "", To: []string{nt.Meta.From}, EnvID: nt.Meta.EnvID + "." + nt.Kind,
		MessageID: messageID(msg), Peer: nd.name}, bytes.NewReader(msg))
	return err
}
