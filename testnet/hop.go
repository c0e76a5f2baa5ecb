package testnet

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"sync"
	"time"

	"securemail/smtpclient"
	"securemail/testnet/queue"
)

// hopError is a failed hand-over to the next node that smtpclient did not
// classify itself (no route, every hop down).
type hopError struct {
	err  error
	temp bool
}

func (e *hopError) Error() string   { return e.err.Error() }
func (e *hopError) Unwrap() error   { return e.err }
func (e *hopError) Temporary() bool { return e.temp }

// classify makes an error of smtpclient tell the queue whether to retry:
// a refusal (*smtpclient.Error) says so itself (4xx temporary, 5xx
// permanent); a failed connection is temporary; a message smtpclient
// refuses to send as it is (too large for the next hop, a line SMTP would
// break, 8-bit data the next hop cannot take, an invalid address) will
// never go through and is permanent.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se *smtpclient.Error
	if errors.As(err, &se) {
		return err
	}
	for _, never := range []error{smtpclient.ErrTooLarge, smtpclient.ErrBadMessage, smtpclient.Err8BitMIME,
		smtpclient.ErrSMTPUTF8, smtpclient.ErrBadAddress} {
		if errors.Is(err, never) {
			return queue.Permanent(err)
		}
	}
	return &hopError{err: err, temp: true}
}

// transfer is one SMTP transaction to the next hop.
type transfer struct {
	Addr  string
	TLS   *tls.Config // with the sending node's client certificate
	Helo  string
	From  string
	To    []string
	EnvID string // passed on as the DSN ENVID: the next hop drops a copy it already accepted
	Body  []byte
}

// Idle connections are kept per next hop for reuse, as an MTA's connection
// cache does: a burst of messages then costs one TLS handshake per
// connection rather than per message.
const (
	hopMaxIdle     = 8
	hopIdleAge     = time.Minute // older idle connections are closed, not reused
	hopDialTimeout = 10 * time.Second
	hopIdleTimeout = 30 * time.Second
)

// hopClients hands messages to other nodes with smtpclient: STARTTLS
// (the server certificate verified, the node's client certificate
// presented), one transaction per message, connections reused.
type hopClients struct {
	mu     sync.Mutex
	idle   map[string][]idleClient
	closed bool
	// dials and reuses count connections opened and transactions sent
	// on a kept connection, for the benchmark's report.
	dials, reuses int64
}

type idleClient struct {
	c     *smtpclient.Client
	since time.Time
}

func newHopClients() *hopClients { return &hopClients{idle: map[string][]idleClient{}} }

func (h *hopClients) get(key string) *smtpclient.Client {
	h.mu.Lock()
	defer h.mu.Unlock()
	for l := h.idle[key]; len(l) > 0; l = h.idle[key] {
		ic := l[len(l)-1]
		h.idle[key] = l[:len(l)-1]
		if time.Since(ic.since) < hopIdleAge {
			h.reuses++
			return ic.c
		}
		ic.c.Close()
	}
	return nil
}

func (h *hopClients) put(key string, c *smtpclient.Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || len(h.idle[key]) >= hopMaxIdle {
		go quit(c)
		return
	}
	h.idle[key] = append(h.idle[key], idleClient{c, time.Now()})
}

func quit(c *smtpclient.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = c.Quit(ctx)
}

// Close ends the idle connections with QUIT.
func (h *hopClients) Close() {
	h.mu.Lock()
	h.closed = true
	idle := h.idle
	h.idle = map[string][]idleClient{}
	h.mu.Unlock()
	var wg sync.WaitGroup
	for _, l := range idle {
		for _, ic := range l {
			wg.Add(1)
			go func() { defer wg.Done(); quit(ic.c) }()
		}
	}
	wg.Wait()
}

// Send hands one message to the next hop. It returns one error per
// recipient of t.To (nil: accepted), or a transaction-level err (the
// connection failed, MAIL or DATA was refused) that applies to every
// recipient; errors are classified for the queue (see classify).
func (h *hopClients) Send(ctx context.Context, t transfer) ([]error, error) {
	opts := smtpclient.Options{Address: t.Addr, TLS: smtpclient.TLSStartTLS, TLSConfig: t.TLS, LocalName: t.Helo,
		DialTimeout: hopDialTimeout, IdleTimeout: hopIdleTimeout}
	env := smtpclient.Envelope{From: t.From, To: t.To}
	if t.EnvID != "" {
		env.DSN = &smtpclient.DSN{EnvelopeID: t.EnvID}
	}
	key := t.Helo + ">" + t.Addr
	for try := 0; ; try++ {
		c := h.get(key)
		reused := c != nil
		if c == nil {
			var err error
			if c, err = smtpclient.Dial(ctx, opts); err != nil {
				return nil, classify(err)
			}
			h.mu.Lock()
			h.dials++
			h.mu.Unlock()
		}
		res, err := c.Send(ctx, env, bytes.NewReader(t.Body))
		var ce *smtpclient.ConnError
		if errors.As(err, &ce) {
			c.Close()
			// A kept connection the peer has dropped meanwhile fails at
			// MAIL FROM, before anything was accepted: try once more
			// on a new one.
			if reused && try == 0 && ce.Step == "MAIL FROM" && ctx.Err() == nil {
				continue
			}
		} else {
			h.put(key, c)
		}
		return results(t.To, res, err)
	}
}

// results turns smtpclient's outcome into one error per recipient.
func results(to []string, res *smtpclient.Result, err error) ([]error, error) {
	if err != nil && (res == nil || !errors.Is(err, smtpclient.ErrAllRefused)) {
		return nil, classify(err)
	}
	errs := make([]error, len(to))
	// smtpclient lists the refusals in the order of the recipients.
	i := 0
	for _, r := range res.Refused {
		for i < len(to) && to[i] != r.Recipient {
			i++
		}
		if i < len(to) {
			errs[i] = r
			i++
		}
	}
	return errs, nil
}
