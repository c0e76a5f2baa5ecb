package pop3server

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"securemail/tests/testenv"
)

const m1 = "From: a@tcn.f.eu-admin.net\r\nSubject: one\r\n\r\nline 1\r\n.dot line\r\nline 3\r\n"
const m2 = "Subject: two\r\n\r\nsecond\r\n"

func TestTranscriptRetrTopUidlDeleAtQuit(t *testing.T) {
	f := start(t, func(s *Server) { s.AllowInsecureAuth = true }, m1, m2)
	c := dial(t, f.addr)
	caps := strings.Join(func() []string { c.cmd("CAPA", "+OK"); return c.multi() }(), ",")
	for _, want := range []string{"TOP", "UIDL", "USER", "SASL PLAIN", "STLS", "RESP-CODES"} {
		if !strings.Contains(caps, want) {
			t.Errorf("CAPA %q lacks %s", caps, want)
		}
	}
	c.cmd("STAT", "-ERR")
	c.cmd("USER "+user, "+OK")
	c.cmd("PASS "+pass, "+OK")
	if got := c.cmd("STAT", "+OK"); got != "+OK 2 "+itoa(len(m1)+len(m2)) {
		t.Fatalf("STAT = %q", got)
	}
	c.cmd("LIST", "+OK")
	if l := c.multi(); len(l) != 2 || l[0] != "1 "+itoa(len(m1)) {
		t.Fatalf("LIST = %v", l)
	}
	c.cmd("UIDL", "+OK")
	uidl := c.multi()
	if len(uidl) != 2 || len(strings.Fields(uidl[0])[1]) != 32 {
		t.Fatalf("UIDL = %v", uidl)
	}
	c.cmd("RETR 1", "+OK")
	if got := strings.Join(c.multi(), "\r\n") + "\r\n"; got != m1 {
		t.Fatalf("RETR 1 = %q, want %q (dot-stuffing undone)", got, m1)
	}
	c.cmd("TOP 1 1", "+OK")
	if got := c.multi(); strings.Join(got, "|") != "From: a@tcn.f.eu-admin.net|Subject: one||line 1" {
		t.Fatalf("TOP 1 1 = %q", got)
	}
	c.cmd("DELE 1", "+OK")
	c.cmd("RETR 1", "-ERR")
	c.cmd("STAT", "+OK 1 ")
	c.cmd("RSET", "+OK")
	c.cmd("STAT", "+OK 2 ")
	c.cmd("DELE 2", "+OK")
	c.cmd("RETR 9", "-ERR")
	c.cmd("NOOP", "+OK")
	// Deletion is not applied before QUIT.
	if ms, _ := f.store.List(user); len(ms) != 2 {
		t.Fatalf("DELE applied before QUIT: %d messages left", len(ms))
	}
	c.cmd("QUIT", "+OK")
	ms, _ := f.store.List(user)
	if len(ms) != 1 || ms[0].UID != strings.Fields(uidl[0])[1] {
		t.Fatalf("after QUIT: %v, want message 1 kept with its UIDL", ms)
	}
	// The UIDL stays the same in the next session.
	c2 := dial(t, f.addr)
	c2.cmd("USER "+user, "+OK")
	c2.cmd("PASS "+pass, "+OK")
	if got := c2.cmd("UIDL 1", "+OK"); got != "+OK 1 "+ms[0].UID {
		t.Fatalf("UIDL in a new session = %q", got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestDropWithoutQuitKeepsMessagesAndInUse(t *testing.T) {
	f := start(t, func(s *Server) { s.AllowInsecureAuth = true }, m1)
	c := dial(t, f.addr)
	c.cmd("USER "+user, "+OK")
	c.cmd("PASS "+pass, "+OK")
	c.cmd("DELE 1", "+OK")
	other := dial(t, f.addr)
	other.cmd("USER "+user, "+OK")
	other.cmd("PASS "+pass, "-ERR [IN-USE]")
	c.conn.Close()
	// Once the first session is gone the mailbox opens again, message intact.
	testenv.Eventually(t, time.Minute, func() error {
		d := dial(t, f.addr)
		d.cmd("USER "+user, "+OK")
		if l := d.cmd("PASS "+pass, ""); !strings.HasPrefix(l, "+OK 1 ") && !strings.HasPrefix(l, "+OK logged in, 1") {
			return fmt.Errorf("mailbox after a dropped session: %q", l)
		}
		return nil
	})
}

func TestAuthRules(t *testing.T) {
	f := start(t, nil, m1)
	c := dial(t, f.addr)
	c.cmd("USER "+user, "-ERR [AUTH]") // no login in clear text when TLS is offered
	c.cmd("AUTH PLAIN "+base64.StdEncoding.EncodeToString([]byte("\x00"+user+"\x00"+pass)), "-ERR [AUTH]")
	c.cmd("STLS", "+OK")
	tc := tls.Client(c.conn, &tls.Config{InsecureSkipVerify: true})
	c.conn = tc
	c.r.Reset(tc)
	c.cmd("CAPA", "+OK")
	if caps := strings.Join(c.multi(), ","); strings.Contains(caps, "STLS") {
		t.Fatalf("CAPA after STLS still offers STLS: %s", caps)
	}
	start := time.Now()
	c.cmd("USER "+user, "+OK")
	c.cmd("PASS wrong", "-ERR [AUTH]")
	if time.Since(start) < 10*time.Millisecond {
		t.Fatal("a failed login was answered without the delay")
	}
	c.cmd("AUTH PLAIN", "+ ")
	c.cmd(base64.StdEncoding.EncodeToString([]byte("\x00"+user+"\x00"+pass)), "+OK")
	c.cmd("STAT", "+OK 1 ")
}

func TestTooManyFailuresAndIdleTimeout(t *testing.T) {
	f := start(t, func(s *Server) { s.AllowInsecureAuth = true; s.IdleTimeout = 100 * time.Millisecond })
	c := dial(t, f.addr)
	for i := 0; i < 3; i++ {
		c.cmd("USER x", "+OK")
		c.cmd("PASS y", "-ERR [AUTH]")
	}
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.r.ReadByte(); err == nil {
		t.Fatal("the connection stayed open after three failed logins")
	}
	idle := dial(t, f.addr)
	if l := idle.line(); !strings.HasPrefix(l, "-ERR") {
		t.Fatalf("after the idle timeout got %q", l)
	}
	long := dial(t, f.addr)
	long.cmd("NOOP "+strings.Repeat("x", 600), "-ERR")
	long.cmd("CAPA", "+OK")
}

func TestShutdownTellsIdleSessions(t *testing.T) {
	f := start(t, nil)
	c := dial(t, f.addr)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if l := c.line(); !strings.Contains(l, "shutting down") {
		t.Fatalf("an idle session got %q at shutdown", l)
	}
}

func TestImplicitTLS(t *testing.T) {
	f := start(t, nil, m2)
	tc, err := tls.Dial("tcp", f.tlsAddr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, conn: tc}
	c.r = newReader(tc)
	c.expect("+OK")
	c.cmd("USER "+user, "+OK")
	c.cmd("PASS "+pass, "+OK")
	c.cmd("RETR 1", "+OK")
	if got := strings.Join(c.multi(), "\r\n") + "\r\n"; got != m2 {
		t.Fatalf("RETR over implicit TLS = %q", got)
	}
}
