package testnet

import (
	"context"
	"strings"
	"testing"
	"time"

	"securemail/testnet/queue"
)

// TestHopPerRecipientReuseAndEnvID hands messages to f-server's inbound
// port as the relay does: one recipient accepted and one refused for good
// in the same transaction, a second and third message on the same
// connection, a retransmission under the same ENVID delivered once, and a
// connection the server dropped replaced without failing the message.
func TestHopPerRecipientReuseAndEnvID(t *testing.T) {
	tn := startNet(t, nil, nil)
	f := tn.country("F")
	to := f.Address(f.Testers[0])
	hc := newHopClients()
	defer hc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	send := func(envID string, rcpts ...string) ([]error, error) {
		return hc.Send(ctx, transfer{Addr: addr(tn.cfg.Host, f.InboundPort), TLS: tn.pki.clientConfig("relay"),
			Helo: "relay.eu-admin.net", From: "Sender.One@tcn.b.eu-admin.net", To: rcpts, EnvID: envID,
			Body: []byte(msgFor("Sender.One@tcn.b.eu-admin.net", to, "hop "+envID))})
	}

	errs, err := send("env-1", to, "Nobody.Here@tcn.f.eu-admin.net")
	if err != nil {
		t.Fatalf("transaction failed: %v", err)
	}
	if len(errs) != 2 || errs[0] != nil || errs[1] == nil {
		t.Fatalf("per-recipient results %v, want [nil, refusal]", errs)
	}
	if queue.IsTemporary(errs[1]) || !strings.Contains(errs[1].Error(), "550") {
		t.Errorf("unknown mailbox: %v (temporary %v), want a permanent 550", errs[1], queue.IsTemporary(errs[1]))
	}
	for _, id := range []string{"env-2", "env-2"} { // the second is a retransmission
		if errs, err := send(id, to); err != nil || errs[0] != nil {
			t.Fatalf("send %s: %v %v", id, err, errs)
		}
	}
	if got := tn.mailbox("F", 0); len(got) != 2 {
		t.Errorf("mailbox holds %d messages, want 2 (the retransmission of env-2 dropped)", len(got))
	}
	if dials, reuses := hc.stats(); dials != 1 || reuses != 2 {
		t.Errorf("%d connections opened and %d reused, want 1 and 2", dials, reuses)
	}

	// The server drops its connections (an outage that ends at once): the
	// kept connection fails at MAIL FROM and a new one carries the message.
	nd := tn.nodes[f.NodeName()]
	nd.down()
	if err := nd.up(); err != nil {
		t.Fatal(err)
	}
	if errs, err := send("env-3", to); err != nil || errs[0] != nil {
		t.Fatalf("after the server dropped the kept connection: %v %v", err, errs)
	}
	if dials, _ := hc.stats(); dials != 2 {
		t.Errorf("%d connections opened, want 2 (one new after the drop)", dials)
	}

	// A refusal of the whole transaction is temporary when the server is
	// down, so that the queue tries again and the next MX is tried.
	nd.down()
	defer nd.up()
	_, err = send("env-4", to)
	if err == nil || !queue.IsTemporary(err) {
		t.Errorf("server down: %v, want a temporary error", err)
	}
}

// stats returns the connections opened and the transactions sent on a
// reused connection so far.
func (h *hopClients) stats() (dials, reuses int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.dials, h.reuses
}
