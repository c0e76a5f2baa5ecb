//go:build !windows

// Dovecot is a Linux daemon: not part of the Windows build of the tests.

package testenv

import (
	"bufio"
	"crypto/tls"
	"encoding/pem"
	"net"
	"net/textproto"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pop3Step sends one command (if any) and returns the status line, failing
// the test unless it starts with +OK.
func pop3Step(t *testing.T, c *textproto.Conn, cmd string) string {
	t.Helper()
	if cmd != "" {
		if err := c.PrintfLine("%s", cmd); err != nil {
			t.Fatalf("send %q: %v", cmd, err)
		}
	}
	line, err := c.ReadLine()
	if err != nil {
		t.Fatalf("reply to %q: %v", cmd, err)
	}
	if !strings.HasPrefix(line, "+OK") {
		t.Fatalf("reply to %q: %q", cmd, line)
	}
	return line
}

func TestDovecotServesDeliveredMailOverSTLSAndPOP3S(t *testing.T) {
	d := StartDovecot(t, DovecotOptions{Users: map[string]string{"marie": "s3cret"}})
	msg := []byte("From: a@b\r\nSubject: hi\r\n\r\n.leading dot\r\nbody\r\n")
	d.Deliver(t, "marie", msg)

	// The CA file is the root that verifies the server certificate for
	// both localhost and the listen IP.
	pemBytes, err := os.ReadFile(d.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := pem.Decode(pemBytes); b == nil || b.Type != "CERTIFICATE" {
		t.Fatalf("CAFile %s holds no certificate", d.CAFile)
	}

	for _, name := range []string{"localhost", "127.0.0.1"} {
		conn, err := net.DialTimeout("tcp", d.POP3, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		c := textproto.NewConn(conn)
		pop3Step(t, c, "")
		pop3Step(t, c, "STLS")
		tc := tls.Client(conn, &tls.Config{RootCAs: d.CAPool, ServerName: name})
		if err := tc.Handshake(); err != nil {
			t.Fatalf("TLS for %s: %v", name, err)
		}
		c = textproto.NewConn(tc)
		pop3Step(t, c, "USER marie")
		pop3Step(t, c, "PASS s3cret")
		stat := pop3Step(t, c, "STAT")
		if want := "+OK 1 "; !strings.HasPrefix(stat, want) {
			t.Errorf("STAT = %q, want one message", stat)
		}
		pop3Step(t, c, "QUIT")
		conn.Close()
	}

	// POP3S: TLS from the first byte, then a RETR that must return the
	// delivered bytes (textproto's DotReader turns CRLF into LF).
	tc, err := tls.Dial("tcp", d.POP3S, &tls.Config{RootCAs: d.CAPool, ServerName: "localhost"})
	if err != nil {
		t.Fatalf("POP3S: %v", err)
	}
	defer tc.Close()
	_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
	c := textproto.NewConn(tc)
	pop3Step(t, c, "")
	pop3Step(t, c, "USER marie")
	pop3Step(t, c, "PASS s3cret")
	pop3Step(t, c, "RETR 1")
	lines, err := c.ReadDotLines()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(lines, "\r\n") + "\r\n"
	if got != string(msg) {
		t.Errorf("RETR returned %q, want %q", got, msg)
	}
}

func TestDovecotRejectsWrongPassword(t *testing.T) {
	d := StartDovecot(t, DovecotOptions{Users: map[string]string{"marie": "s3cret"}, Host: "127.0.0.7"})
	if !strings.HasPrefix(d.POP3, "127.0.0.7:") {
		t.Fatalf("POP3 = %s, want it on 127.0.0.7", d.POP3)
	}
	conn, err := net.DialTimeout("tcp", d.POP3, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	c := textproto.NewConn(conn)
	pop3Step(t, c, "")
	pop3Step(t, c, "USER marie")
	_ = c.PrintfLine("PASS wrong")
	line, err := c.ReadLine()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(line, "-ERR") {
		t.Errorf("PASS wrong = %q, want -ERR", line)
	}
}

func TestDovecotAuthSocketAndMaildirOwner(t *testing.T) {
	d := StartDovecot(t, DovecotOptions{Users: map[string]string{"bob": "pw"}, AuthSocket: true})
	st, err := os.Stat(d.AuthSocket)
	if err != nil || st.Mode()&os.ModeSocket == 0 {
		t.Fatalf("auth socket %s: %v (mode %v)", d.AuthSocket, err, st.Mode())
	}
	// Dovecot's auth protocol greets with VERSION on the client socket.
	c, err := net.DialTimeout("unix", d.AuthSocket, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = c.Write([]byte("VERSION\t1\t1\nCPID\t1\n"))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "VERSION\t1\t") {
		t.Errorf("auth socket greeting = %q, %v", line, err)
	}
	for _, sub := range []string{"new", "cur", "tmp"} {
		st, err := os.Stat(d.Maildir("bob") + "/" + sub)
		if err != nil {
			t.Fatal(err)
		}
		sys := st.Sys().(*syscall.Stat_t)
		if int(sys.Uid) != d.MailUID || int(sys.Gid) != d.MailGID {
			t.Errorf("%s/%s is owned by %d:%d, want %d:%d", d.Maildir("bob"), sub, sys.Uid, sys.Gid, d.MailUID, d.MailGID)
		}
	}
}
