package pop3client

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"time"

	"securemail/internal/mailnet"
)

// TLSMode says how a connection is protected.
type TLSMode string

// TLS modes. The zero value means TLSStartTLS.
const (
	TLSStartTLS TLSMode = "starttls" // plain connect, then STLS (RFC 2595); fails if not offered
	TLSImplicit TLSMode = "implicit" // TLS from the first byte (RFC 8314, port 995)
	TLSNone     TLSMode = "none"     // no TLS; login needs AllowCleartextLogin
)

// ParseTLSMode reads "none", "starttls" or "implicit" (case-insensitive).
func ParseTLSMode(s string) (TLSMode, error) {
	if m, ok := mailnet.NormalizeTLSMode(s); ok {
		return TLSMode(m), nil
	}
	return "", fmt.Errorf("pop3client: TLS mode %q is not one of none, starttls, implicit", s)
}

// Defaults applied to zero fields of Options.
const (
	DefaultDialTimeout = 30 * time.Second
	DefaultIdleTimeout = 60 * time.Second
	DefaultBufferSize  = 64 << 10
	// DefaultPipelineWindow is how many RETR commands RetrMany keeps in
	// flight when the server advertises PIPELINING.
	DefaultPipelineWindow = 64
)

// Options configure Dial. Zero fields take the defaults above; the zero
// TLS mode is STLS, so a plain connection must be asked for explicitly.
type Options struct {
	// Address is host:port of the POP3 server.
	Address string
	// TLS is how the connection is protected.
	TLS TLSMode
	// TLSConfig, when set, is cloned and used as is, except that an empty
	// ServerName is filled in. Leave nil to use RootCAs and ServerName.
	TLSConfig *tls.Config
	// RootCAs verifies the server's certificate; nil means the system's.
	RootCAs *x509.CertPool
	// ServerName is the name the certificate must be valid for; "" means
	// the host part of Address.
	ServerName string
	// AllowCleartextLogin permits sending the password on a connection
	// without TLS. Off by default: Login then refuses.
	AllowCleartextLogin bool
	// DialTimeout bounds connecting and the TLS handshake.
	DialTimeout time.Duration
	// IdleTimeout bounds every wait for the server to accept or send the
	// next bytes; a large message may take longer in total as long as
	// bytes keep flowing. The ctx of each call bounds the total.
	IdleTimeout time.Duration
	// BufferSize is the size of the read buffer.
	BufferSize int
	// PipelineWindow is how many commands RetrMany sends ahead.
	PipelineWindow int
}

// withDefaults returns a copy of o with zero fields filled in.
func (o Options) withDefaults() (Options, error) {
	if o.TLS == "" {
		o.TLS = TLSStartTLS
	}
	if _, err := ParseTLSMode(string(o.TLS)); err != nil {
		return o, err
	}
	host, _, err := net.SplitHostPort(o.Address)
	if err != nil {
		return o, fmt.Errorf("pop3client: server address %q is not HOST:PORT: %w", o.Address, err)
	}
	if o.ServerName == "" {
		o.ServerName = host
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = DefaultDialTimeout
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.BufferSize < 4096 {
		o.BufferSize = DefaultBufferSize
	}
	if o.PipelineWindow <= 0 {
		o.PipelineWindow = DefaultPipelineWindow
	}
	return o, nil
}

// tlsConfig builds the configuration for the handshake.
func (o Options) tlsConfig() *tls.Config {
	return mailnet.TLSConfig(o.TLSConfig, o.RootCAs, o.ServerName)
}
