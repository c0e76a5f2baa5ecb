package smtpclient

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"strings"
	"time"

	"securemail/internal/mailnet"
)

// TLSMode says how the connection to the server is protected.
type TLSMode string

// TLS modes. The zero value means TLSStartTLS, so a connection without TLS
// must be asked for explicitly; a password is sent on one only with
// Options.AllowCleartextLogin.
const (
	TLSStartTLS TLSMode = "starttls" // plain connect, then STARTTLS (RFC 3207, port 587); fails if not offered
	TLSImplicit TLSMode = "implicit" // TLS from the first byte (RFC 8314, port 465)
	TLSNone     TLSMode = "none"     // no TLS at all; a password only with AllowCleartextLogin
)

// ParseTLSMode reads "none", "starttls" or "implicit" (case-insensitive).
func ParseTLSMode(s string) (TLSMode, error) {
	if m, ok := mailnet.NormalizeTLSMode(s); ok {
		return TLSMode(m), nil
	}
	return "", fmt.Errorf("smtpclient: TLS mode %q is not one of none, starttls, implicit", s)
}

// Defaults applied to zero fields of Options.
const (
	DefaultDialTimeout = 30 * time.Second
	DefaultIdleTimeout = 2 * time.Minute
	DefaultLocalName   = "localhost"
)

// Options configure Dial and Send. Zero fields take the defaults above.
type Options struct {
	// Address is host:port of the SMTP server (submission is usually port
	// 587 with STARTTLS, or 465 with implicit TLS).
	Address string
	// TLS is how the connection is protected; the zero value is STARTTLS.
	TLS TLSMode
	// TLSConfig, when set, is cloned and used as is, except that an empty
	// ServerName is filled in. Leave nil to use RootCAs and ServerName.
	TLSConfig *tls.Config
	// RootCAs verifies the server's certificate; nil means the system's.
	RootCAs *x509.CertPool
	// ServerName is the name the certificate must be valid for; "" means
	// the host part of Address.
	ServerName string
	// AllowCleartextLogin permits sending the password (AUTH) on a
	// connection without TLS. Off by default: Auth then refuses, and Dial
	// with Username and TLSNone fails with ErrCleartextAuth. A connection
	// without TLS and without a password needs no permission (the "telnet
	// to port 25" check).
	AllowCleartextLogin bool
	// Username and Password, when Username is set, authenticate with AUTH
	// PLAIN (or LOGIN if the server offers only that) after TLS.
	Username, Password string
	// LocalName is the name given in EHLO after TLS (and in EHLO before
	// STARTTLS, where go-smtp always says "localhost").
	LocalName string
	// DialTimeout bounds connecting, the TLS handshake, the greeting, EHLO
	// and STARTTLS together.
	DialTimeout time.Duration
	// IdleTimeout bounds every wait for the server to accept or send the
	// next bytes; a large message may take longer in total as long as
	// bytes keep flowing. The ctx of each call bounds the total.
	IdleTimeout time.Duration
}

// withDefaults returns a copy of o with zero fields filled in, or an error
// for a combination that must not be used.
func (o Options) withDefaults() (Options, error) {
	if o.TLS == "" {
		o.TLS = TLSStartTLS
	}
	if _, err := ParseTLSMode(string(o.TLS)); err != nil {
		return o, err
	}
	host, _, err := net.SplitHostPort(o.Address)
	if err != nil {
		return o, fmt.Errorf("smtpclient: server address %q is not HOST:PORT: %w", o.Address, err)
	}
	if o.ServerName == "" {
		o.ServerName = host
	}
	if o.LocalName == "" {
		o.LocalName = DefaultLocalName
	}
	if err := checkArg("local name", o.LocalName); err != nil {
		return o, err
	}
	if strings.ContainsAny(o.LocalName, " \t") {
		return o, fmt.Errorf("smtpclient: the local name %q for EHLO must not contain spaces", o.LocalName)
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = DefaultDialTimeout
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.TLS == TLSNone && o.Username != "" && !o.AllowCleartextLogin {
		return o, ErrCleartextAuth
	}
	return o, nil
}

// tlsConfig builds the configuration for the handshake.
func (o Options) tlsConfig() *tls.Config {
	return mailnet.TLSConfig(o.TLSConfig, o.RootCAs, o.ServerName)
}
