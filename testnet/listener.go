package testnet

import (
	"net"
	"sync"
)

// gate is a listener that can be taken down for an outage: the socket is
// closed (so that connections are refused, as when a server is down) and
// open connections are dropped; Accept waits until the socket is bound
// again. It also limits connections per client address.
type gate struct {
	addr    string
	perIP   int
	onLimit func(net.Conn) // answers a connection over the limit, then it is closed

	mu      sync.Mutex
	cond    *sync.Cond
	l       net.Listener
	closed  bool
	perConn map[string]int
	conns   map[*gateConn]bool
}

// newGate gates the bound listener l; an outage's end binds its address again.
func newGate(l net.Listener, perIP int, onLimit func(net.Conn)) *gate {
	g := &gate{addr: l.Addr().String(), perIP: perIP, onLimit: onLimit, l: l, perConn: map[string]int{}, conns: map[*gateConn]bool{}}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) Accept() (net.Conn, error) {
	for {
		g.mu.Lock()
		for g.l == nil && !g.closed {
			g.cond.Wait()
		}
		if g.closed {
			g.mu.Unlock()
			return nil, net.ErrClosed
		}
		l := g.l
		g.mu.Unlock()
		c, err := l.Accept()
		if err != nil {
			g.mu.Lock()
			down := g.l != l && !g.closed
			g.mu.Unlock()
			if down {
				continue // taken down meanwhile: wait for the outage to end
			}
			return nil, err
		}
		ip, _, _ := net.SplitHostPort(c.RemoteAddr().String())
		g.mu.Lock()
		if g.perIP > 0 && g.perConn[ip] >= g.perIP {
			g.mu.Unlock()
			if g.onLimit != nil {
				g.onLimit(c)
			}
			c.Close()
			continue
		}
		g.perConn[ip]++
		gc := &gateConn{Conn: c, g: g, ip: ip}
		g.conns[gc] = true
		g.mu.Unlock()
		return gc, nil
	}
}

// down closes the socket and the open connections.
func (g *gate) down() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.l != nil {
		g.l.Close()
		g.l = nil
	}
	for c := range g.conns {
		c.Conn.Close()
	}
}

// up binds the socket again.
func (g *gate) up() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.l != nil || g.closed {
		return nil
	}
	l, err := net.Listen("tcp", g.addr)
	if err != nil {
		return err
	}
	g.l = l
	g.cond.Broadcast()
	return nil
}

func (g *gate) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	if g.l != nil {
		g.l.Close()
	}
	g.cond.Broadcast()
	return nil
}

func (g *gate) Addr() net.Addr {
	a, _ := net.ResolveTCPAddr("tcp", g.addr)
	return a
}

type gateConn struct {
	net.Conn
	g    *gate
	ip   string
	once sync.Once
}

func (c *gateConn) Close() error {
	c.once.Do(func() {
		c.g.mu.Lock()
		c.g.perConn[c.ip]--
		if c.g.perConn[c.ip] <= 0 {
			delete(c.g.perConn, c.ip)
		}
		delete(c.g.conns, c)
		c.g.mu.Unlock()
	})
	return c.Conn.Close()
}
