package testnet

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"

	"securemail/testnet/evlog"
	"securemail/testnet/testca"
)

// CRLPath is the path of the EC CA's CRL on the network's CRL server.
const CRLPath = "/" + testca.CRLFile

// CRLURL is the distribution point of the network's CRL: the URL its
// Digital IDs carry and its CRL server answers.
func (c Config) CRLURL() string {
	return "http://" + net.JoinHostPort(c.Host, strconv.Itoa(c.CRLPort)) + CRLPath
}

// crlServer publishes the test CA's current CRL over HTTP, as a real CA's
// distribution point does. Every request reads the CA folder afresh, so a
// `testca revoke` run by another process is served at once.
type crlServer struct {
	srv *http.Server
	l   net.Listener
}

// serveCRL starts the CRL server of the network on the configuration's
// host (127.0.0.1) and CRLPort.
func (n *Network) serveCRL(ca *testca.CA) error {
	l, err := n.cfg.listen(n.cfg.CRLPort)
	if err != nil {
		return fmt.Errorf("testnet: the CRL server cannot listen on port %d: another program (perhaps another network) uses it; stop that program, or change crl_port in testnet.toml: %w", n.cfg.CRLPort, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+CRLPath, func(w http.ResponseWriter, r *http.Request) {
		der, err := ca.CurrentCRL(n.clock.Now())
		if err != nil {
			n.log.Write(evlog.Event{Node: "crl", Event: "failed", Peer: r.RemoteAddr, Result: err.Error()})
			http.Error(w, "the CRL cannot be issued now", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/pkix-crl")
		w.Header().Set("Content-Length", strconv.Itoa(len(der)))
		_, _ = w.Write(der)
	})
	s := &crlServer{l: l, srv: &http.Server{Handler: mux, ReadHeaderTimeout: n.cfg.IdleTimeout.Duration, IdleTimeout: n.cfg.IdleTimeout.Duration}}
	n.crl = s
	n.bg.Add(1)
	go func() {
		defer n.bg.Done()
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.log.Write(evlog.Event{Node: "crl", Event: "failed", Result: err.Error()})
		}
	}()
	return nil
}

// shutdown stops the CRL server within ctx.
func (s *crlServer) shutdown(ctx context.Context) {
	if s == nil {
		return
	}
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close()
	}
}
