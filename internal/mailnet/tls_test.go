package mailnet

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestTLSConfig(t *testing.T) {
	roots := x509.NewCertPool()
	cfg := TLSConfig(nil, roots, "mail.example")
	if cfg.RootCAs != roots || cfg.ServerName != "mail.example" || cfg.MinVersion != tls.VersionTLS12 {
		t.Fatalf("TLSConfig(nil) = roots %v, name %q, min %x", cfg.RootCAs == roots, cfg.ServerName, cfg.MinVersion)
	}
	base := &tls.Config{ServerName: "given.example", MinVersion: tls.VersionTLS13}
	cfg = TLSConfig(base, roots, "mail.example")
	if cfg == base || cfg.ServerName != "given.example" || cfg.MinVersion != tls.VersionTLS13 || cfg.RootCAs != nil {
		t.Fatalf("TLSConfig(base) did not keep the caller's settings in a clone: %+v", cfg)
	}
	base = &tls.Config{}
	cfg = TLSConfig(base, nil, "mail.example")
	if base.ServerName != "" || base.MinVersion != 0 || cfg.ServerName != "mail.example" {
		t.Fatal("TLSConfig changed the caller's configuration or left ServerName empty")
	}
}

func TestNormalizeTLSMode(t *testing.T) {
	for in, want := range map[string]string{" StartTLS ": "starttls", "IMPLICIT": "implicit", "none": "none"} {
		if got, ok := NormalizeTLSMode(in); !ok || got != want {
			t.Errorf("NormalizeTLSMode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := NormalizeTLSMode("ssl"); ok {
		t.Error(`NormalizeTLSMode("ssl") accepted an unknown mode`)
	}
}

func TestCertificateProblem(t *testing.T) {
	issuer := &x509.Certificate{Issuer: pkix.Name{CommonName: "Rogue CA"}}
	unknown := fmt.Errorf("tls: %w", x509.UnknownAuthorityError{Cert: issuer})
	s, ok := CertificateProblem(unknown, "mail.example")
	if !ok || !strings.Contains(s, `issued by "CN=Rogue CA"`) || !strings.Contains(s, "mail.example") || !IsCertificateError(unknown) {
		t.Fatalf("unknown authority: %q, %v", s, ok)
	}
	host := x509.HostnameError{Certificate: &x509.Certificate{DNSNames: []string{"other.example"}}, Host: "mail.example"}
	if s, ok := CertificateProblem(host, "mail.example"); !ok || !strings.HasPrefix(s, "the server's certificate is not valid for mail.example") {
		t.Fatalf("hostname: %q, %v", s, ok)
	}
	if s, ok := CertificateProblem(x509.UnknownAuthorityError{}, "h"); !ok || !strings.Contains(s, "an unknown issuer") {
		t.Fatalf("no issuer certificate: %q", s)
	}
	plain := errors.New("connection reset")
	if _, ok := CertificateProblem(plain, "h"); ok || IsCertificateError(plain) {
		t.Fatal("a plain network error was taken for a certificate failure")
	}
}

func TestNotTLSProblem(t *testing.T) {
	s, ok := NotTLSProblem(fmt.Errorf("handshake: %w", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), "127.0.0.1:110", "TLS handshake", "POP3")
	if want := "127.0.0.1:110 did not answer with TLS during TLS handshake; is it a plain POP3 port (use starttls) rather than an implicit-TLS one?"; !ok || s != want {
		t.Fatalf("NotTLSProblem = %q, %v; want %q", s, ok, want)
	}
	if _, ok := NotTLSProblem(errors.New("eof"), "a", "b", "SMTP"); ok {
		t.Fatal("a non-TLS-record error was taken for a plain port")
	}
}
