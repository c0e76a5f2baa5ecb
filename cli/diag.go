package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

func runDiag(ctx context.Context, env *Env, args []string) int {
	return subcommands(ctx, env, "diag", args, map[string]command{
		"pop3": {"check a POP3 server: banner, capabilities, TLS, login, mailbox size", runDiagPOP3},
		"smtp": {"check an SMTP server: banner, EHLO, TLS, authentication, a test message", runDiagSMTP},
	})
}

// diagRootCAs reads the CA certificates of a diag command's --ca file; ""
// means the system's (nil).
func diagRootCAs(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read the CA file: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}

// diagPrintTLS prints the TLS lines of a diag report: version and cipher,
// and the server certificate verified for name; ok is false on a
// connection without TLS.
func diagPrintTLS(out io.Writer, st tls.ConnectionState, ok bool, name string) {
	if !ok {
		fmt.Fprintln(out, "TLS:          none (the connection is not encrypted)")
		return
	}
	fmt.Fprintf(out, "TLS:          %s, %s\n", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
	if len(st.PeerCertificates) > 0 {
		leaf := st.PeerCertificates[0]
		fmt.Fprintf(out, "certificate:  %s\n", leaf.Subject)
		fmt.Fprintf(out, "issuer:       %s\n", leaf.Issuer)
		fmt.Fprintf(out, "valid until:  %s (verified for %s)\n", leaf.NotAfter.UTC().Format(time.RFC3339), name)
	}
}

// certName is the name the certificate was verified for (diag pop3 and
// diag smtp).
func certName(server, serverName string) string {
	if serverName != "" {
		return serverName
	}
	host, _, err := net.SplitHostPort(server)
	if err != nil {
		return server
	}
	return host
}
