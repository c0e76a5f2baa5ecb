package pop3client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"securemail/pop3client"
)

// plainOpts connects without TLS and allows the cleartext login, so that the
// transcripts stay readable.
func plainOpts(addr string) pop3client.Options {
	return pop3client.Options{Address: addr, TLS: pop3client.TLSNone, AllowCleartextLogin: true}
}

func TestTranscriptEveryVerb(t *testing.T) {
	s := newFakeServer(t, func(c *fakeConn) {
		c.Send("+OK fake POP3 ready")
		c.Reply("CAPA", "+OK", "USER", "UIDL", "TOP", ".")
		c.Reply("USER marie", "+OK")
		c.Reply("PASS s3cret word", "+OK logged in")
		c.Reply("CAPA", "+OK", "USER", "UIDL", "TOP", ".")
		c.Reply("STAT", "+OK 2 350")
		c.Reply("LIST", "+OK 2 messages", "1 120", "2 230", ".")
		c.Reply("LIST 2", "+OK 2 230")
		c.Reply("UIDL", "+OK", "1 aaa", "2 bbb", ".")
		c.Reply("UIDL 1", "+OK 1 aaa")
		c.Reply("TOP 1 0", "+OK", "Subject: x", "", ".")
		c.Reply("RETR 1", "+OK 120 octets", "Subject: x", "", "..dot", ".")
		c.Reply("DELE 1", "+OK marked")
		c.Reply("RSET", "+OK")
		c.Reply("NOOP", "+OK")
		c.Reply("QUIT", "+OK bye")
	})
	ctx := testCtx(t, 10*time.Second)
	c, err := pop3client.Dial(ctx, plainOpts(s.Addr))
	if err != nil {
		t.Fatal(err)
	}
	if c.Banner() != "fake POP3 ready" {
		t.Errorf("Banner = %q", c.Banner())
	}
	if err := c.Login(ctx, "marie", "s3cret word"); err != nil {
		t.Fatal(err)
	}
	if n, size, err := c.Stat(ctx); n != 2 || size != 350 || err != nil {
		t.Errorf("Stat = %d %d %v", n, size, err)
	}
	if l, err := c.List(ctx); err != nil || !slices.Equal(l, []pop3client.MessageInfo{{Num: 1, Size: 120}, {Num: 2, Size: 230}}) {
		t.Errorf("List = %v %v", l, err)
	}
	if m, err := c.ListOne(ctx, 2); err != nil || m.Size != 230 {
		t.Errorf("ListOne = %v %v", m, err)
	}
	if u, err := c.UIDL(ctx); err != nil || !slices.Equal(u, []pop3client.UID{{Num: 1, UID: "aaa"}, {Num: 2, UID: "bbb"}}) {
		t.Errorf("UIDL = %v %v", u, err)
	}
	if u, err := c.UIDLOne(ctx, 1); err != nil || u.UID != "aaa" {
		t.Errorf("UIDLOne = %v %v", u, err)
	}
	if b, err := c.Top(ctx, 1, 0); err != nil || string(b) != "Subject: x\r\n\r\n" {
		t.Errorf("Top = %q %v", b, err)
	}
	if b, err := c.RetrBytes(ctx, 1); err != nil || string(b) != "Subject: x\r\n\r\n.dot\r\n" {
		t.Errorf("Retr = %q %v", b, err)
	}
	for _, f := range []func(context.Context) error{
		func(ctx context.Context) error { return c.Dele(ctx, 1) }, c.Rset, c.Noop, c.Quit,
	} {
		if err := f(ctx); err != nil {
			t.Error(err)
		}
	}
	if err := c.Noop(ctx); !errors.Is(err, pop3client.ErrClosed) {
		t.Errorf("Noop after Quit = %v, want ErrClosed", err)
	}
}

func TestAuthPlainAfterSTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	s := newFakeServer(t, func(c *fakeConn) {
		c.Send("+OK ready")
		c.Reply("CAPA", "+OK", "STLS", "SASL PLAIN", ".")
		if !c.Reply("STLS", "+OK begin TLS") || !c.StartTLS(cert) {
			return
		}
		c.Reply("CAPA", "+OK", "SASL PLAIN LOGIN", "PIPELINING", ".")
		// base64("\x00marie\x00pw")
		c.Reply("AUTH PLAIN AG1hcmllAHB3", "+OK welcome")
		c.Reply("CAPA", "+OK", "PIPELINING", ".")
		c.Reply("QUIT", "+OK")
	})
	ctx := testCtx(t, 10*time.Second)
	c, err := pop3client.Dial(ctx, pop3client.Options{Address: s.Addr, RootCAs: pool})
	if err != nil {
		t.Fatal(err)
	}
	if c.Capabilities().Has("STLS") || !c.Capabilities().Has("PIPELINING") {
		t.Errorf("capabilities not refreshed after STLS: %v", c.Capabilities())
	}
	if err := c.Login(ctx, "marie", "pw"); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestPipelinedRetrSendsAhead(t *testing.T) {
	bodies := map[int]string{1: "one\r\n", 2: "..two\r\n", 3: "three\r\n", 4: "four\r\n"}
	s := newFakeServer(t, func(c *fakeConn) {
		c.Send("+OK ready")
		c.Reply("CAPA", "+OK", "PIPELINING", "USER", ".")
		// All four RETRs arrive before the first answer: the client did
		// not wait for each reply.
		for n := 1; n <= 4; n++ {
			c.Expect(fmt.Sprintf("RETR %d", n))
		}
		var out strings.Builder
		for n := 1; n <= 4; n++ {
			out.WriteString("+OK\r\n" + bodies[n] + ".\r\n")
		}
		_, _ = c.conn.Write([]byte(out.String()))
		c.Reply("QUIT", "+OK")
	})
	ctx := testCtx(t, 10*time.Second)
	c, err := pop3client.Dial(ctx, plainOpts(s.Addr))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = c.RetrMany(ctx, []int{1, 2, 3, 4}, func(n int, r io.Reader) error {
		if n == 3 {
			return nil // an unread body is skipped cleanly
		}
		b, err := io.ReadAll(r)
		got = append(got, fmt.Sprintf("%d:%s", n, b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1:one\r\n", "2:.two\r\n", "4:four\r\n"}
	if !slices.Equal(got, want) {
		t.Errorf("RetrMany got %q, want %q", got, want)
	}
	if err := c.Quit(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRetrManyWithoutPipeliningWaits(t *testing.T) {
	s := newFakeServer(t, func(c *fakeConn) {
		c.Send("+OK ready")
		c.Reply("CAPA", "-ERR unknown command")
		c.Reply("RETR 1", "+OK", "a", ".")
		c.Reply("RETR 2", "-ERR [SYS/TEMP] no such message")
		c.Reply("NOOP", "+OK")
	})
	ctx := testCtx(t, 10*time.Second)
	c, err := pop3client.Dial(ctx, plainOpts(s.Addr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	calls := 0
	err = c.RetrMany(ctx, []int{1, 2, 3}, func(int, io.Reader) error { calls++; return nil })
	var perr *pop3client.Error
	if !errors.As(err, &perr) || perr.Code != pop3client.CodeSysTemp || !perr.Temporary() {
		t.Fatalf("RetrMany = %v, want the [SYS/TEMP] error of message 2", err)
	}
	if calls != 1 || !strings.Contains(err.Error(), "message 2") {
		t.Errorf("calls = %d, error %q; want 1 call and message 2 named", calls, err)
	}
	// RETR 3 was never sent and the session is still usable.
	if err := c.Noop(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRespCodes(t *testing.T) {
	for _, tc := range []struct {
		reply, code string
		temporary   bool
	}{
		{"-ERR [AUTH] wrong", pop3client.CodeAuth, false},
		{"-ERR [IN-USE] mailbox locked", pop3client.CodeInUse, true},
		{"-ERR [LOGIN-DELAY] wait", pop3client.CodeLoginDelay, true},
		{"-ERR [SYS/TEMP] disk", pop3client.CodeSysTemp, true},
		{"-ERR [SYS/PERM] gone", pop3client.CodeSysPerm, false},
		{"-ERR plain refusal", "", false},
	} {
		s := newFakeServer(t, func(c *fakeConn) {
			c.Send("+OK ready")
			c.Reply("CAPA", "+OK", "USER", ".")
			c.Reply("USER u", "+OK")
			c.Reply("PASS p", tc.reply)
		})
		ctx := testCtx(t, 10*time.Second)
		c, err := pop3client.Dial(ctx, plainOpts(s.Addr))
		if err != nil {
			t.Fatal(err)
		}
		err = c.Login(ctx, "u", "p")
		var perr *pop3client.Error
		if !errors.As(err, &perr) || perr.Code != tc.code || perr.Temporary() != tc.temporary || perr.Command != "PASS" {
			t.Errorf("%s: Login = %#v", tc.reply, err)
		}
		if !strings.Contains(err.Error(), "authentication failed") || !strings.Contains(err.Error(), tc.reply[5:]) {
			t.Errorf("%s: message %q lacks the server's words", tc.reply, err)
		}
		c.Close()
	}
}

func TestArgumentsWithLineBreaksAreRefused(t *testing.T) {
	s := newFakeServer(t, func(c *fakeConn) {
		c.Send("+OK ready")
		c.Reply("CAPA", "+OK", "USER", ".")
		c.Reply("QUIT", "+OK")
	})
	ctx := testCtx(t, 10*time.Second)
	c, err := pop3client.Dial(ctx, plainOpts(s.Addr))
	if err != nil {
		t.Fatal(err)
	}
	for _, up := range [][2]string{{"marie\r\nDELE 1", "pw"}, {"marie", "pw\nDELE 1"}, {"marie", "pw\x00"}} {
		if err := c.Login(ctx, up[0], up[1]); err == nil || !strings.Contains(err.Error(), "line break") {
			t.Errorf("Login(%q, %q) = %v, want a refusal", up[0], up[1], err)
		}
	}
	if err := c.Quit(ctx); err != nil {
		t.Fatal(err)
	}
	if got := s.Transcript(); !slices.Equal(got, []string{"CAPA", "QUIT"}) {
		t.Errorf("server received %q: something was sent", got)
	}
}

func TestTLSRequiredButNotOffered(t *testing.T) {
	for name, script := range map[string]func(c *fakeConn){
		"CAPA without STLS": func(c *fakeConn) {
			c.Send("+OK ready")
			c.Reply("CAPA", "+OK", "USER", ".")
			c.Read() // the client hangs up without sending STLS
		},
		"no CAPA, STLS refused": func(c *fakeConn) {
			c.Send("+OK ready")
			c.Reply("CAPA", "-ERR what?")
			c.Reply("STLS", "-ERR what?")
			c.Read()
		},
	} {
		s := newFakeServer(t, script)
		ctx := testCtx(t, 10*time.Second)
		_, err := pop3client.Dial(ctx, pop3client.Options{Address: s.Addr, TLS: pop3client.TLSStartTLS})
		if !errors.Is(err, pop3client.ErrTLSNotOffered) {
			t.Errorf("%s: Dial = %v, want ErrTLSNotOffered", name, err)
		}
		if slices.Contains(s.Transcript(), "USER") {
			t.Errorf("%s: credentials were sent", name)
		}
	}
}

func TestSTLSResponseInjectionRefused(t *testing.T) {
	s := newFakeServer(t, func(c *fakeConn) {
		c.Send("+OK ready")
		c.Reply("CAPA", "+OK", "STLS", ".")
		// A man in the middle appends a reply that would be read as if it
		// had come over TLS.
		c.Reply("STLS", "+OK go ahead", "+OK injected")
		c.Read()
	})
	ctx := testCtx(t, 10*time.Second)
	_, err := pop3client.Dial(ctx, pop3client.Options{Address: s.Addr})
	if !errors.Is(err, pop3client.ErrProtocol) {
		t.Errorf("Dial = %v, want a protocol error", err)
	}
}

func TestServerClosesInTheMiddleOfRetr(t *testing.T) {
	s := newFakeServer(t, func(c *fakeConn) {
		c.Send("+OK ready")
		c.Reply("CAPA", "+OK", "PIPELINING", ".")
		c.Expect("RETR 1")
		_, _ = c.conn.Write([]byte("+OK 5000 octets\r\nSubject: half\r\n\r\nthe first lines of"))
		// and the connection drops
	})
	ctx := testCtx(t, 10*time.Second)
	c, err := pop3client.Dial(ctx, plainOpts(s.Addr))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.RetrBytes(ctx, 1)
	var ce *pop3client.ConnError
	if !errors.As(err, &ce) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("RETR cut short = %v, want a ConnError wrapping io.ErrUnexpectedEOF", err)
	}
	if !strings.Contains(err.Error(), "closed the connection during RETR") {
		t.Errorf("message %q does not say what happened", err)
	}
	if err := c.Noop(ctx); !errors.Is(err, pop3client.ErrClosed) {
		t.Errorf("next command = %v, want ErrClosed", err)
	}
	// The pipelined path reports the same.
	s = newFakeServer(t, func(c *fakeConn) {
		c.Send("+OK ready")
		c.Reply("CAPA", "+OK", "PIPELINING", ".")
		c.Expect("RETR 1")
		_, _ = c.conn.Write([]byte("+OK\r\nfirst\r\n.\r\n+OK\r\nsecond, cut"))
	})
	c, err = pop3client.Dial(ctx, plainOpts(s.Addr))
	if err != nil {
		t.Fatal(err)
	}
	err = c.RetrMany(ctx, []int{1, 2}, func(int, io.Reader) error { return nil })
	if !errors.As(err, &ce) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("RetrMany cut short = %v", err)
	}
}

// silentServer accepts connections and never says anything.
func silentServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
			close(done)
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

func TestTimeouts(t *testing.T) {
	addr := silentServer(t)
	for _, mode := range []pop3client.TLSMode{pop3client.TLSStartTLS, pop3client.TLSImplicit} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		start := time.Now()
		_, err := pop3client.Dial(ctx, pop3client.Options{Address: addr, TLS: mode})
		cancel()
		var ce *pop3client.ConnError
		if !errors.As(err, &ce) || !ce.Timeout() || !strings.Contains(err.Error(), "timeout") {
			t.Errorf("%s: Dial to a silent server = %v, want a timeout", mode, err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: Dial took %v despite a 300 ms deadline", mode, d)
		}
	}
	// The idle timeout applies without a context deadline.
	start := time.Now()
	_, err := pop3client.Dial(context.Background(), pop3client.Options{Address: addr, IdleTimeout: 200 * time.Millisecond})
	if !strings.Contains(fmt.Sprint(err), "timeout") || time.Since(start) > 3*time.Second {
		t.Errorf("idle timeout: %v after %v", err, time.Since(start))
	}
}

func TestCancelDuringRetr(t *testing.T) {
	release := make(chan struct{})
	s := newFakeServer(t, func(c *fakeConn) {
		c.Send("+OK ready")
		c.Reply("CAPA", "+OK", ".")
		c.Expect("RETR 1")
		_, _ = c.conn.Write([]byte("+OK\r\nSubject: slow\r\n"))
		<-release // then nothing more
	})
	defer close(release)
	c, err := pop3client.Dial(testCtx(t, 10*time.Second), plainOpts(s.Addr))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m, err := c.Retr(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	if _, err := io.ReadFull(m, buf); err != nil { // the header line arrives
		t.Fatal(err)
	}
	// The user gives up while the rest of the message is awaited.
	stop := time.AfterFunc(50*time.Millisecond, cancel)
	defer stop.Stop()
	start := time.Now()
	_, err = io.ReadAll(m)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("read after cancel = %v, want context.Canceled", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("cancel took %v", time.Since(start))
	}
	_ = m.Close()
	if err := c.Noop(context.Background()); !errors.Is(err, pop3client.ErrClosed) {
		t.Errorf("after cancel: %v, want ErrClosed", err)
	}
}

func TestCleartextLoginRefusedByDefault(t *testing.T) {
	s := newFakeServer(t, func(c *fakeConn) {
		c.Send("+OK ready")
		c.Reply("CAPA", "+OK", "USER", ".")
		c.Reply("QUIT", "+OK")
	})
	ctx := testCtx(t, 10*time.Second)
	c, err := pop3client.Dial(ctx, pop3client.Options{Address: s.Addr, TLS: pop3client.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(ctx, "u", "p"); !errors.Is(err, pop3client.ErrCleartextLogin) {
		t.Errorf("Login = %v, want ErrCleartextLogin", err)
	}
	_ = c.Quit(ctx)
	if slices.ContainsFunc(s.Transcript(), func(l string) bool { return strings.HasPrefix(l, "USER") || strings.HasPrefix(l, "PASS") }) {
		t.Errorf("credentials were sent: %q", s.Transcript())
	}
}

func TestParseTLSMode(t *testing.T) {
	for in, want := range map[string]pop3client.TLSMode{"none": pop3client.TLSNone, "STARTTLS": pop3client.TLSStartTLS, "implicit": pop3client.TLSImplicit} {
		if got, err := pop3client.ParseTLSMode(in); got != want || err != nil {
			t.Errorf("ParseTLSMode(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := pop3client.ParseTLSMode("ssl"); err == nil {
		t.Error(`ParseTLSMode("ssl") accepted`)
	}
}
