//go:build !windows

// Dovecot is a Linux daemon: not part of the Windows build of the tests.

package testenv

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"securemail/testnet/testca"
)

// DovecotOptions describes the Dovecot instance StartDovecot runs.
type DovecotOptions struct {
	// Users maps user names to passwords (a passwd-file with PLAIN scheme).
	Users map[string]string
	// Host is the loopback address to listen on; "" means 127.0.0.1.
	// Negative tests use another 127.0.0.x: after a failed login Dovecot
	// delays the next login from the same address by about 4 s.
	Host string
	// AuthSocket also serves a SASL auth socket for Postfix
	// (smtpd_sasl_type = dovecot).
	AuthSocket bool
}

// Dovecot is a running Dovecot POP3 server owned by a test.
type Dovecot struct {
	POP3       string         // host:port, plain POP3 offering STLS
	POP3S      string         // host:port, implicit TLS
	CAFile     string         // PEM of the root CA that issued the server certificate
	CAPool     *x509.CertPool // the same root as a pool
	AuthSocket string         // path of the SASL auth socket, when requested
	MailUID    int            // owner the Maildirs (and delivered files) must have
	MailGID    int
	PID        int
	Dir        string // the instance's private folder (config, log, mail)
	LogFile    string // Dovecot's log, shown when a test fails

	delivered atomic.Int64
}

// Mail owner of the test Maildirs. Dovecot refuses mail processes running as
// root, and 5000 is above its first_valid_uid and Postfix's
// virtual_minimum_uid; no passwd entry is needed for a numeric owner.
const (
	dovecotMailUID = 5000
	dovecotMailGID = 5000
)

// StartDovecot runs `dovecot -F -c <own config>` with its own base_dir,
// passwd-file users and Maildirs in a private folder, waits until both POP3
// listeners accept connections, and stops it by PID when the test ends.
func StartDovecot(t testing.TB, o DovecotOptions) *Dovecot {
	t.Helper()
	bin := RequireTool(t, "dovecot", "dovecot-pop3d")
	if _, err := os.Stat("/usr/lib/dovecot/pop3"); err != nil {
		RequireTool(t, "dovecot-pop3", "dovecot-pop3d") // skips or fails with the package name
	}
	host := o.Host
	if host == "" {
		host = "127.0.0.1"
	}
	for u, p := range o.Users {
		if u == "" || strings.ContainsAny(u, ":\r\n/ ") || strings.ContainsAny(p, ":\r\n") {
			t.Fatalf("testenv: Dovecot user %q or its password holds a character passwd-file cannot store", u)
		}
	}

	// A folder of our own under /tmp rather than t.TempDir: the mail owner
	// (uid 5000) and Dovecot's unprivileged processes must be able to
	// traverse every parent, and t.TempDir's parents are 0700.
	dir, err := os.MkdirTemp("", "securemail-dovecot-")
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatalf("testenv: %v", err)
	}
	d := &Dovecot{
		Dir:     dir,
		LogFile: filepath.Join(dir, "dovecot.log"),
		MailUID: dovecotMailUID,
		MailGID: dovecotMailGID,
	}

	ca, err := testca.New(testca.WithName("Dovecot Test"))
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	certPEM, keyPEM, err := serverCertificate(ca, host)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	d.CAFile = filepath.Join(dir, "ca.pem")
	d.CAPool = x509.NewCertPool()
	d.CAPool.AddCert(ca.Root)
	rootPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Root.Raw})

	var passwd strings.Builder
	for u, p := range o.Users {
		fmt.Fprintf(&passwd, "%s:{PLAIN}%s::::::\n", u, p)
	}
	mailRoot := filepath.Join(dir, "mail")
	files := []struct {
		name string
		data []byte
		mode os.FileMode
	}{
		{"ca.pem", rootPEM, 0o644},
		{"server.pem", certPEM, 0o644},
		{"server.key", keyPEM, 0o600},
		{"passwd", []byte(passwd.String()), 0o644},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, f.mode); err != nil {
			t.Fatalf("testenv: %v", err)
		}
	}
	for _, sub := range []string{"run", "state", "mail"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatalf("testenv: %v", err)
		}
	}
	if err := os.Chown(mailRoot, d.MailUID, d.MailGID); err != nil {
		t.Fatalf("testenv: %v", err)
	}
	for u := range o.Users {
		if err := d.makeMaildir(u); err != nil {
			t.Fatalf("testenv: %v", err)
		}
	}

	// The listeners are bound here, on ports the system chooses, and handed
	// to Dovecot as systemd would (LISTEN_FDS): no other program can take a
	// port between its choice and Dovecot serving on it.
	sockets, err := boundSockets(host, 2)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	defer closeAll(sockets)
	pop3Port, pop3sPort := sockets[0].port, sockets[1].port
	d.POP3 = net.JoinHostPort(host, strconv.Itoa(pop3Port))
	d.POP3S = net.JoinHostPort(host, strconv.Itoa(pop3sPort))
	if o.AuthSocket {
		d.AuthSocket = filepath.Join(dir, "auth-postfix")
	}

	conf := d.config(host, pop3Port, pop3sPort)
	confFile := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o644); err != nil {
		t.Fatalf("testenv: %v", err)
	}

	cmd := socketActivated(sockets, bin, "-F", "-c", confFile)
	out, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		t.Fatalf("testenv: starting dovecot: %v", err)
	}
	d.PID = cmd.Process.Pid
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		out.Close()
		close(exited)
	}()
	t.Cleanup(func() {
		StopProcess(cmd.Process, 5*time.Second)
		<-exited
		if t.Failed() {
			d.dumpLog(t)
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, addr := range []string{d.POP3, d.POP3S} {
		if err := waitListening(ctx, addr, exited); err != nil {
			d.dumpLog(t)
			t.Fatalf("testenv: Dovecot did not start: %v", err)
		}
	}
	if d.AuthSocket != "" {
		if err := waitUnixSocket(ctx, d.AuthSocket, exited); err != nil {
			d.dumpLog(t)
			t.Fatalf("testenv: Dovecot's auth socket did not appear: %v", err)
		}
	}
	return d
}

// config renders the instance's dovecot.conf.
func (d *Dovecot) config(host string, pop3Port, pop3sPort int) string {
	dir := d.Dir
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("# Written by securemail/tests/testenv for one test run.")
	p("instance_name = securemail-%s", filepath.Base(dir))
	p("base_dir = %s", filepath.Join(dir, "run"))
	p("state_dir = %s", filepath.Join(dir, "state"))
	p("protocols = pop3")
	p("listen = %s", host)
	p("log_path = %s", d.LogFile)
	p("info_log_path = %s", d.LogFile)
	p("default_internal_user = dovecot")
	p("default_internal_group = dovecot")
	p("default_login_user = dovenull")
	p("first_valid_uid = %d", d.MailUID)
	p("last_valid_uid = %d", d.MailUID)
	p("first_valid_gid = %d", d.MailGID)
	p("last_valid_gid = %d", d.MailGID)
	p("mail_uid = %d", d.MailUID)
	p("mail_gid = %d", d.MailGID)
	p("mail_location = maildir:%s/%%n/Maildir", filepath.Join(dir, "mail"))
	p("mail_fsync = never")
	p("ssl = yes")
	p("ssl_cert = <%s", filepath.Join(dir, "server.pem"))
	p("ssl_key = <%s", filepath.Join(dir, "server.key"))
	p("ssl_min_protocol = TLSv1.2")
	// The plain listener must accept a login without TLS for the client's
	// AllowCleartextLogin case; the client itself refuses it by default.
	p("disable_plaintext_auth = no")
	p("auth_mechanisms = plain login")
	p("auth_failure_delay = 0")
	p("pop3_uidl_format = %%08Xu%%08Xv")
	p("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%%u %s\n}", filepath.Join(dir, "passwd"))
	p("userdb {\n  driver = static\n  args = uid=%d gid=%d home=%s/%%n\n}", d.MailUID, d.MailGID, filepath.Join(dir, "mail"))
	p("service pop3-login {")
	p("  inet_listener pop3 {\n    address = %s\n    port = %d\n  }", host, pop3Port)
	p("  inet_listener pop3s {\n    address = %s\n    port = %d\n    ssl = yes\n  }", host, pop3sPort)
	p("}")
	p("service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}")
	if d.AuthSocket != "" {
		p("service auth {\n  unix_listener %s {\n    mode = 0666\n  }\n}", d.AuthSocket)
	}
	return b.String()
}

// Maildir returns the user's Maildir (with new/, cur/ and tmp/).
func (d *Dovecot) Maildir(user string) string {
	return filepath.Join(d.Dir, "mail", user, "Maildir")
}

// makeMaildir creates the user's home and Maildir owned by the mail owner.
func (d *Dovecot) makeMaildir(user string) error {
	home := filepath.Join(d.Dir, "mail", user)
	paths := []string{home, d.Maildir(user)}
	for _, sub := range []string{"new", "cur", "tmp"} {
		paths = append(paths, filepath.Join(d.Maildir(user), sub))
	}
	for _, p := range paths {
		if err := os.MkdirAll(p, 0o700); err != nil {
			return err
		}
		if err := os.Chown(p, d.MailUID, d.MailGID); err != nil {
			return err
		}
	}
	return nil
}

// Deliver drops msg, unchanged, into the user's Maildir new/ folder (through
// tmp/ and a rename, as a delivery agent does). Store messages with CRLF line
// ends to have Dovecot serve them byte for byte.
func (d *Dovecot) Deliver(t testing.TB, user string, msg []byte) {
	t.Helper()
	if err := d.makeMaildir(user); err != nil {
		t.Fatalf("testenv: Maildir for %s: %v", user, err)
	}
	n := d.delivered.Add(1)
	name := fmt.Sprintf("%d.M%dP%dQ%d.securemail-test,S=%d", time.Now().Unix(), time.Now().Nanosecond()/1000, os.Getpid(), n, len(msg))
	tmp := filepath.Join(d.Maildir(user), "tmp", name)
	if err := os.WriteFile(tmp, msg, 0o600); err != nil {
		t.Fatalf("testenv: delivering to %s: %v", user, err)
	}
	if err := os.Chown(tmp, d.MailUID, d.MailGID); err != nil {
		t.Fatalf("testenv: delivering to %s: %v", user, err)
	}
	if err := os.Rename(tmp, filepath.Join(d.Maildir(user), "new", name)); err != nil {
		t.Fatalf("testenv: delivering to %s: %v", user, err)
	}
}

// dumpLog copies Dovecot's log into the test's output.
func (d *Dovecot) dumpLog(t testing.TB) {
	t.Helper()
	for _, f := range []string{d.LogFile, filepath.Join(d.Dir, "stderr.log")} {
		if b, err := os.ReadFile(f); err == nil && len(b) > 0 {
			if len(b) > 8000 {
				b = b[len(b)-8000:]
			}
			t.Logf("%s:\n%s", filepath.Base(f), b)
		}
	}
}

// serverCertificate issues a TLS server certificate under the CA's
// intermediate for localhost and ip, returned as PEM chain (leaf,
// intermediate) and PEM key.
func serverCertificate(ca *testca.CA, ip string) (chainPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial.Add(serial, big.NewInt(1)),
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"SecureMail test Dovecot"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
	}
	if addr := net.ParseIP(ip); addr != nil {
		tmpl.IPAddresses = []net.IP{addr}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Intermediate, &key.PublicKey, ca.InterKey)
	if err != nil {
		return nil, nil, fmt.Errorf("server certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	chainPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	chainPEM = append(chainPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Intermediate.Raw})...)
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return chainPEM, keyPEM, nil
}

// boundSocket is a listening socket of this process, as a file to hand
// to a child, and its port.
type boundSocket struct {
	file *os.File
	port int
}

// boundSockets listens on n ports of host that the system chooses.
func boundSockets(host string, n int) ([]boundSocket, error) {
	var out []boundSocket
	for range n {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			closeAll(out)
			return nil, fmt.Errorf("no port to listen on %s: %w", host, err)
		}
		f, err := l.(*net.TCPListener).File() // a copy of the socket; l is no longer needed
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if err != nil {
			closeAll(out)
			return nil, err
		}
		out = append(out, boundSocket{file: f, port: port})
	}
	return out, nil
}

// closeAll closes this process's copies of the sockets.
func closeAll(sockets []boundSocket) {
	for _, s := range sockets {
		s.file.Close()
	}
}

// socketActivated runs name with the sockets as systemd's socket
// activation passes them: file descriptors 3, 4, … with LISTEN_FDS, and
// LISTEN_PID set to the daemon's own PID (by a shell that then execs it).
func socketActivated(sockets []boundSocket, name string, args ...string) *exec.Cmd {
	sh := fmt.Sprintf(`LISTEN_PID=$$ LISTEN_FDS=%d exec "$0" "$@"`, len(sockets))
	cmd := exec.Command("/bin/sh", append([]string{"-c", sh, name}, args...)...)
	for _, s := range sockets {
		cmd.ExtraFiles = append(cmd.ExtraFiles, s.file)
	}
	return cmd
}

// waitListening waits until addr accepts a connection; it gives up when
// the process exits or ctx ends.
func waitListening(ctx context.Context, addr string, exited <-chan struct{}) error {
	var dl net.Dialer
	return Until(ctx, func() error {
		c, err := dl.DialContext(ctx, "tcp", addr)
		if err == nil {
			c.Close()
			return nil
		}
		if ended(exited) {
			return GiveUp(fmt.Errorf("the process exited before listening on %s", addr))
		}
		return fmt.Errorf("%s is not listening: %w", addr, err)
	})
}

// waitUnixSocket waits until a Unix socket accepts connections: the file
// appears at bind(), a moment before the daemon listens on it.
func waitUnixSocket(ctx context.Context, path string, exited <-chan struct{}) error {
	return Until(ctx, func() error {
		c, err := net.Dial("unix", path)
		if err == nil {
			c.Close()
			return nil
		}
		if ended(exited) {
			return GiveUp(fmt.Errorf("the process exited before creating %s", path))
		}
		return fmt.Errorf("%s did not appear: %w", path, err)
	})
}

// ended reports whether ch is closed.
func ended(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
