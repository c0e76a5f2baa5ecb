package testnet

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"path/filepath"
	"strings"
	"sync"

	"github.com/emersion/go-smtp"

	"securemail/testaaddr"
	"securemail/testnet/evlog"
	"securemail/testnet/mailbox"
	"securemail/testnet/pop3server"
	"securemail/testnet/queue"
)

// node is one national mail server or relay.
type node struct {
	net     *Network
	name    string
	domain  string            // national servers: the mail domain
	users   map[string]string // national servers: lower-case address -> password
	mx      int               // relays: preference
	addr    string            // relays: SMTP address; national servers: inbound SMTP address
	queue   *queue.Queue
	mail    *mailbox.Store
	scanner scanner

	mu      sync.Mutex
	gates   []*gate
	smtps   []*smtp.Server
	pop3    *pop3server.Server
	serving sync.WaitGroup
}

func (n *node) log(e evlog.Event) {
	e.Node = n.name
	n.net.log.Write(e)
}

func (n *node) hasUser(addr string) bool {
	_, ok := n.users[strings.ToLower(addr)]
	return ok
}

func (n *node) checkPassword(user, pass string) bool {
	want, ok := n.users[strings.ToLower(user)]
	return ok && pass != "" && want == pass
}

// listen opens a gated listener on port.
func (n *node) listen(port int, onLimit func(net.Conn)) (*gate, error) {
	l, err := n.net.cfg.listen(port)
	if err != nil {
		return nil, fmt.Errorf("testnet: %s cannot listen on port %d: another program (perhaps another network) uses it; stop that program, or change the port in testnet.toml: %w", n.name, port, err)
	}
	g := newGate(l, n.net.cfg.MaxConnsPerClient, onLimit)
	n.gates = append(n.gates, g)
	return g, nil
}

func smtpBusy(c net.Conn) {
	io.WriteString(c, "421 4.7.0 Too many connections from your address; try again later\r\n")
}

func pop3Busy(c net.Conn) {
	io.WriteString(c, "-ERR [SYS/TEMP] too many connections from your address; try again later\r\n")
}

// newSMTPServer returns an SMTP server for r with the network's limits.
func (n *node) newSMTPServer(r role) *smtp.Server {
	cfg := n.net.cfg
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		base := &session{node: n, role: r, conn: c}
		if r == roleSubmit {
			return submitSession{base}, nil
		}
		return base, nil
	}))
	s.Domain = n.name + "." + testaaddr.Domain
	s.TLSConfig = n.net.pki.serverConfig()
	s.MaxMessageBytes = cfg.MaxMessageBytes
	s.MaxLineLength = cfg.MaxLineLength
	s.MaxRecipients = cfg.MaxRecipients
	s.ReadTimeout = cfg.IdleTimeout.Duration
	s.WriteTimeout = cfg.IdleTimeout.Duration
	s.EnableDSN = true
	s.ErrorLog = log.New(io.Discard, "", 0)
	return s
}

// serveSMTP runs an SMTP server for r on port; implicit selects TLS from
// the first byte instead of STARTTLS.
func (n *node) serveSMTP(r role, port int, implicit bool) error {
	g, err := n.listen(port, smtpBusy)
	if err != nil {
		return err
	}
	s := n.newSMTPServer(r)
	n.smtps = append(n.smtps, s)
	var l net.Listener = g
	if implicit {
		l = tls.NewListener(g, s.TLSConfig)
	}
	n.serving.Add(1)
	go func() { defer n.serving.Done(); s.Serve(l) }()
	return nil
}

// servePOP3 runs the national server's POP3 listeners.
func (n *node) servePOP3(port, tlsPort int) error {
	p := pop3server.NewServer(popBackend{n})
	p.Hostname = n.name + "." + testaaddr.Domain
	p.TLSConfig = n.net.pki.serverConfig()
	p.IdleTimeout = n.net.cfg.IdleTimeout.Duration
	p.AuthFailureDelay = n.net.cfg.AuthFailureDelay.Duration
	p.ErrorLog = log.New(io.Discard, "", 0)
	p.OnAuth = func(user string, remote net.Addr, ok bool) {
		if !ok {
			n.log(evlog.Event{Event: evlog.Auth, From: user, Peer: remote.String(), Result: "POP3 login failed"})
		}
	}
	n.pop3 = p
	g, err := n.listen(port, pop3Busy)
	if err != nil {
		return err
	}
	gt, err := n.listen(tlsPort, pop3Busy)
	if err != nil {
		return err
	}
	n.serving.Add(2)
	go func() { defer n.serving.Done(); p.Serve(g) }()
	go func() { defer n.serving.Done(); p.ServeTLS(gt) }()
	return nil
}

// down and up implement outages.
func (n *node) down() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, g := range n.gates {
		g.down()
	}
}

func (n *node) up() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, g := range n.gates {
		if err := g.up(); err != nil {
			return fmt.Errorf("testnet: %s cannot listen again: %w", n.name, err)
		}
	}
	return nil
}

// shutdown stops the listeners, lets sessions finish within ctx, and
// closes the queue.
func (n *node) shutdown(ctx context.Context) {
	for _, s := range n.smtps {
		s.Shutdown(ctx)
		s.Close()
	}
	if n.pop3 != nil {
		n.pop3.Shutdown(ctx)
	}
	for _, g := range n.gates {
		g.Close()
	}
	n.serving.Wait()
	if n.queue != nil {
		n.queue.Close()
	}
	if n.mail != nil {
		n.mail.Close()
	}
}

// Deliver is the node's queue target: local recipients go to the mailbox,
// others to the next hop.
func (n *node) Deliver(ctx context.Context, d queue.Delivery) []error {
	body, err := io.ReadAll(d.Body)
	errs := make([]error, len(d.To))
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	mid := messageID(body)
	// Group recipients by next hop.
	groups := map[string][]int{}
	var order []string
	for i, to := range d.To {
		dom := domainOf(to)
		key := dom
		if n.domain == "" || dom != n.domain {
			if n.domain != "" {
				key = "relays" // national server: everything remote goes to the relays
			}
		} else {
			key = "local"
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], i)
	}
	for _, key := range order {
		idx := groups[key]
		var to []string
		for _, i := range idx {
			to = append(to, d.To[i])
		}
		var res []error
		switch key {
		case "local":
			res = n.deliverLocal(d, mid, to, body)
		case "relays":
			res = n.deliverVia(ctx, d, mid, to, body, n.net.relaysByMX())
		default:
			var hops []*node
			if nat := n.net.nationalFor(key); nat != nil {
				hops = append(hops, nat)
			}
			res = n.deliverVia(ctx, d, mid, to, body, hops)
		}
		for k, i := range idx {
			errs[i] = res[k]
		}
	}
	return errs
}

func (n *node) deliverLocal(d queue.Delivery, mid string, to []string, body []byte) []error {
	errs := make([]error, len(to))
	for i, rc := range to {
		if !n.hasUser(rc) {
			errs[i] = queue.Permanent(fmt.Errorf("550 5.1.1 no mailbox for %s", rc))
			continue
		}
		dup, err := n.mail.Deliver(strings.ToLower(rc), d.EnvID, bytes.NewReader(body))
		errs[i] = err
		if err == nil {
			res := "local mailbox"
			if dup {
				res = "duplicate ignored"
			}
			n.log(evlog.Event{Event: evlog.Delivered, QueueID: d.ID, MessageID: mid, From: d.From, To: []string{rc}, Peer: n.name, Result: res})
		}
	}
	return errs
}

// deliverVia tries hops in order until one takes the transaction.
func (n *node) deliverVia(ctx context.Context, d queue.Delivery, mid string, to []string, body []byte, hops []*node) []error {
	errs := make([]error, len(to))
	last := fmt.Errorf("no route to %s", strings.Join(to, ", "))
	for _, h := range hops {
		ev := evlog.Event{QueueID: d.ID, MessageID: mid, From: d.From, To: to, Peer: h.name}
		n.log(with(ev, evlog.Attempt, fmt.Sprintf("MX %d %s", h.mx, h.addr)))
		rerrs, err := n.net.send.Send(ctx, transfer{
			Addr: h.addr, TLS: n.net.pki.clientConfig(n.name), Helo: n.name + "." + testaaddr.Domain,
			From: d.From, To: to, EnvID: d.EnvID, Body: body,
		})
		if err != nil {
			last = err
			n.log(with(ev, evlog.Deferred, err.Error()))
			if !queue.IsTemporary(err) {
				for i := range errs {
					errs[i] = err
				}
				return errs
			}
			continue
		}
		for i := range to {
			if i < len(rerrs) && rerrs[i] != nil {
				errs[i] = rerrs[i]
				n.log(evlog.Event{Event: evlog.Deferred, QueueID: d.ID, MessageID: mid, From: d.From, To: []string{to[i]}, Peer: h.name, Result: rerrs[i].Error()})
				continue
			}
			n.log(evlog.Event{Event: evlog.Delivered, QueueID: d.ID, MessageID: mid, From: d.From, To: []string{to[i]}, Peer: h.name, Result: "accepted by " + h.name})
		}
		return errs
	}
	for i := range errs {
		errs[i] = &hopError{err: last, temp: true}
	}
	return errs
}

// popBackend serves the national server's mailboxes over POP3.
type popBackend struct{ n *node }

type popMailbox struct {
	n    *node
	user string
}

func (b popBackend) Login(_ context.Context, user, pass string, _ net.Addr) (pop3server.Mailbox, error) {
	if !b.n.checkPassword(user, pass) {
		return nil, pop3server.ErrAuthFailed
	}
	return &popMailbox{b.n, strings.ToLower(user)}, nil
}

func (m *popMailbox) Messages() ([]pop3server.MessageInfo, error) {
	ms, err := m.n.mail.List(m.user)
	out := make([]pop3server.MessageInfo, len(ms))
	for i, x := range ms {
		out[i] = pop3server.MessageInfo{UID: x.UID, Size: x.Size}
	}
	return out, err
}
func (m *popMailbox) Open(uid string) (io.ReadCloser, error) { return m.n.mail.Open(m.user, uid) }
func (m *popMailbox) Delete(uids []string) error             { return m.n.mail.Delete(m.user, uids) }
func (m *popMailbox) Close() error                           { return nil }

// queueDir is where a node keeps its queue.
func (n *node) queueDir() string { return filepath.Join(n.net.dir, "nodes", n.name, "queue") }
