package testnet

import (
	"fmt"
	mrand "math/rand/v2"
	"net"
	"strconv"
	"sync"
)

// portRange is where a network without a base_port takes its ports.
type portRange struct{ low, high int } // high excluded

// defaultPortRange lies below Linux's ephemeral range (32768-60999): a
// port the kernel hands out for ":0" is also one it may give an outgoing
// connection, so at a restart of the network any busy client on the
// machine (a test suite, the network's own relays) could hold it.
func defaultPortRange() portRange { return portRange{low: 20000, high: 32000} }

// heldPorts are the listeners Prepare bound for the ports it chose. They
// stay bound until Start serves on them (or Release closes them), so that
// between the choice — which is written to testnet.toml, the handouts and
// the Digital IDs — and the serving nothing else can take the port: not
// another program, not another network being prepared at the same moment.
type heldPorts struct {
	mu sync.Mutex
	ls map[int]net.Listener
}

// take hands over the listener held for port, if any; it is held no more.
func (h *heldPorts) take(port int) net.Listener {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.ls[port]
	delete(h.ls, port)
	return l
}

func (h *heldPorts) add(port int, l net.Listener) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ls[port] = l
}

// count returns how many listeners are still held.
func (h *heldPorts) count() int {
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.ls)
}

// release closes the listeners still held.
func (h *heldPorts) release() {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for p, l := range h.ls {
		l.Close()
		delete(h.ls, p)
	}
}

// bind listens on a port of r on host that taken does not list, and
// returns the port with its listener, still bound.
func (r portRange) bind(host string, taken map[int]bool) (int, net.Listener, error) {
	for range 200 {
		p := r.low + mrand.IntN(r.high-r.low)
		if taken[p] {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err != nil {
			continue // in use by another program or network
		}
		return p, l, nil
	}
	return 0, nil, fmt.Errorf("testnet: no free port between %d and %d on %s; set base_port in testnet.toml", r.low, r.high-1, host)
}

// Release closes the listeners that Prepare holds for the ports it chose
// and that Start has not served on. A caller that prepares a folder
// without starting its network in this process calls it, so that another
// process can serve those ports; Start calls it when it fails.
func (c Config) Release() { c.held.release() }

// Holding reports whether this process holds ports that Prepare has just
// chosen: the network is new, so no other process can be serving it.
func (c Config) Holding() bool { return c.held.count() > 0 }

// listen returns the listener held for port since Prepare chose it, or
// binds the port now (a port from testnet.toml or base_port).
func (c Config) listen(port int) (net.Listener, error) {
	if l := c.held.take(port); l != nil {
		return l, nil
	}
	return net.Listen("tcp", net.JoinHostPort(c.Host, strconv.Itoa(port)))
}
