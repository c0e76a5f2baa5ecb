package testnet

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"time"

	"securemail/testnet/testca"
)

// pki holds the network's TLS material, issued under the test CA's EC CA at
// every start: one server certificate for all listeners (localhost and the
// listen address) and one client certificate per node, with which national
// servers and relays prove to each other who they are.
type pki struct {
	pool    *x509.CertPool
	server  tls.Certificate
	clients map[string]tls.Certificate
}

func newPKI(ca *testca.CA, host string, nodes []string) (*pki, error) {
	p := &pki{pool: x509.NewCertPool(), clients: map[string]tls.Certificate{}}
	p.pool.AddCert(ca.Root)
	sans := []string{"localhost"}
	var ips []net.IP
	if ip := net.ParseIP(host); ip != nil {
		ips = append(ips, ip)
	} else {
		sans = append(sans, host)
	}
	var err error
	p.server, err = issueTLS(ca, "localhost", sans, ips, x509.ExtKeyUsageServerAuth)
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		c, err := issueTLS(ca, n, []string{n + "." + "eu-admin.net"}, nil, x509.ExtKeyUsageClientAuth)
		if err != nil {
			return nil, err
		}
		p.clients[n] = c
	}
	return p, nil
}

func issueTLS(ca *testca.CA, cn string, dns []string, ips []net.IP, eku x509.ExtKeyUsage) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("testnet: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("testnet: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"TESTA test network"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(90 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{eku},
		DNSNames:     dns,
		IPAddresses:  ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Intermediate, &key.PublicKey, ca.InterKey)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("testnet: issuing the TLS certificate of %s: %w", cn, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("testnet: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der, ca.Intermediate.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// serverConfig is the listeners' TLS configuration: a client certificate is
// verified when one is offered (the nodes offer theirs; testers do not).
func (p *pki) serverConfig() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{p.server},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    p.pool,
		MinVersion:   tls.VersionTLS12,
	}
}

// clientConfig is what node uses when it connects to another node.
func (p *pki) clientConfig(node string) *tls.Config {
	cfg := &tls.Config{RootCAs: p.pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}
	if c, ok := p.clients[node]; ok {
		cfg.Certificates = []tls.Certificate{c}
	}
	return cfg
}

// peerNode returns the node name proven by a verified client certificate,
// or "".
func peerNode(state tls.ConnectionState, ok bool) string {
	if !ok || len(state.VerifiedChains) == 0 || len(state.PeerCertificates) == 0 {
		return ""
	}
	leaf := state.PeerCertificates[0]
	for _, u := range leaf.ExtKeyUsage {
		if u == x509.ExtKeyUsageClientAuth {
			return leaf.Subject.CommonName
		}
	}
	return ""
}
