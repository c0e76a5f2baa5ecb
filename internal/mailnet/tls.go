package mailnet

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
)

// TLS mode names, as both mail clients spell them.
const (
	ModeNone     = "none"
	ModeStartTLS = "starttls"
	ModeImplicit = "implicit"
)

// NormalizeTLSMode returns s lower-cased and trimmed if it names a TLS mode
// ("none", "starttls" or "implicit"), and false otherwise.
func NormalizeTLSMode(s string) (string, bool) {
	switch m := strings.ToLower(strings.TrimSpace(s)); m {
	case ModeNone, ModeStartTLS, ModeImplicit:
		return m, true
	}
	return "", false
}

// TLSConfig builds the configuration for a handshake: a clone of base if
// it is set, else a new one verifying with roots (nil means the system's).
// An empty ServerName becomes serverName, and TLS 1.2 is the least version
// unless base says otherwise.
func TLSConfig(base *tls.Config, roots *x509.CertPool, serverName string) *tls.Config {
	var cfg *tls.Config
	if base != nil {
		cfg = base.Clone()
	} else {
		cfg = &tls.Config{RootCAs: roots}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = serverName
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	return cfg
}

// IsCertificateError reports whether err is a failed verification of the
// server's certificate.
func IsCertificateError(err error) bool {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
	)
	return errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verifyErr)
}

// IsTimeout reports whether err is a timeout or an exceeded deadline.
func IsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// CertificateProblem words a failed verification of the server's
// certificate for host as one sentence, without a package prefix; ok is
// false if err is no such failure.
func CertificateProblem(err error, host string) (sentence string, ok bool) {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &hostname):
		return fmt.Sprintf("the server's certificate is not valid for %s (%v); connect using a name the certificate lists", host, hostname.Error()), true
	case errors.As(err, &unknownCA):
		return fmt.Sprintf("the server's certificate is not trusted for %s: it was issued by %q, which is not among the trusted CAs; give the CA certificate that issued it", host, issuerName(unknownCA.Cert)), true
	case errors.As(err, &invalid):
		return fmt.Sprintf("the server's certificate is not trusted for %s: %v", host, invalid.Error()), true
	case errors.As(err, &verifyErr):
		return fmt.Sprintf("the server's certificate is not trusted for %s: %v", host, verifyErr.Err), true
	}
	return "", false
}

// NotTLSProblem words, without a package prefix, a server at addr that
// answered step with something other than TLS; protocol ("POP3", "SMTP")
// names its plain port. ok is false if err is no such failure.
func NotTLSProblem(err error, addr, step, protocol string) (sentence string, ok bool) {
	var recordErr tls.RecordHeaderError
	if !errors.As(err, &recordErr) {
		return "", false
	}
	return fmt.Sprintf("%s did not answer with TLS during %s; is it a plain %s port (use starttls) rather than an implicit-TLS one?", addr, step, protocol), true
}

func issuerName(c *x509.Certificate) string {
	if c == nil {
		return "an unknown issuer"
	}
	return c.Issuer.String()
}
