package pop3server

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

type memBackend struct{ msgs map[string]string }

type memMailbox struct{ b *memBackend }

func (b *memBackend) Login(_ context.Context, u, p string, _ net.Addr) (Mailbox, error) {
	if u == "u" && p == "p" {
		return &memMailbox{b}, nil
	}
	if u == "panic" {
		panic("backend bug")
	}
	return nil, ErrAuthFailed
}

func (m *memMailbox) Messages() ([]MessageInfo, error) {
	return []MessageInfo{{UID: "a1", Size: int64(len(m.b.msgs["a1"]))}, {UID: "b2", Size: int64(len(m.b.msgs["b2"]))}}, nil
}
func (m *memMailbox) Open(uid string) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader(m.b.msgs[uid])), nil
}
func (m *memMailbox) Delete([]string) error { return nil }
func (m *memMailbox) Close() error          { return nil }

// runSession feeds input to one session over a pipe and returns the output.
func runSession(t testing.TB, srv *Server, input string) string {
	sc, cc := net.Pipe()
	srv.mu.Lock()
	srv.init()
	srv.mu.Unlock()
	done := make(chan struct{})
	go func() { newSession(srv, sc, false).serve(); close(done) }()
	out := make(chan string)
	go func() { b, _ := io.ReadAll(cc); out <- string(b) }()
	go func() { io.WriteString(cc, input) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("session did not end for input %q", input)
	}
	cc.Close()
	return <-out
}

func fuzzServer() *Server {
	s := NewServer(&memBackend{msgs: map[string]string{"a1": m1, "b2": "x\r\n.\r\n..\r\n"}})
	s.AllowInsecureAuth = true
	s.AuthFailureDelay = -1
	s.IdleTimeout = 200 * time.Millisecond
	s.ErrorLog = nil
	return s
}

// FuzzCommandReader drives a whole session with arbitrary client bytes: the
// server must neither panic nor hang, and every reply line must be a status
// line, a continuation or listing data.
func FuzzCommandReader(f *testing.F) {
	for _, s := range []string{
		"CAPA\r\nUSER u\r\nPASS p\r\nSTAT\r\nLIST\r\nUIDL 2\r\nTOP 1 0\r\nRETR 2\r\nDELE 1\r\nRSET\r\nQUIT\r\n",
		"AUTH PLAIN\r\nAHUAcA==\r\nRETR 1\r\nQUIT\r\n",
		"AUTH PLAIN AHUAcA==\r\nLIST 0\r\nLIST -1\r\nTOP 1 -1\r\nQUIT\r\n",
		"USER u\nPASS p\nRETR 99999999999999999999\nQUIT\n",
		"user u\r\npass  p\r\n\r\n\x00\r\nquit\r\n",
		strings.Repeat("N", 5000) + "\r\nQUIT\r\n",
	} {
		f.Add(s)
	}
	srv := fuzzServer()
	f.Fuzz(func(t *testing.T, input string) {
		if !strings.HasSuffix(input, "QUIT\r\n") {
			input += "\r\nQUIT\r\n"
		}
		out := runSession(t, srv, input)
		if !strings.HasPrefix(out, "+OK") {
			t.Fatalf("no greeting: %q", out)
		}
	})
}

func TestPanicInBackendEndsOnlyThatSession(t *testing.T) {
	srv := fuzzServer()
	var logged strings.Builder
	srv.ErrorLog = newLogger(&logged)
	out := runSession(t, srv, "USER panic\r\nPASS x\r\n")
	if !strings.Contains(out, "-ERR [SYS/TEMP] internal server error") || !strings.Contains(logged.String(), "backend bug") {
		t.Fatalf("panic handling: out %q log %q", out, logged.String())
	}
	out = runSession(t, srv, "USER u\r\nPASS p\r\nRETR 2\r\nQUIT\r\n")
	r := bufio.NewReader(strings.NewReader(out))
	var lines []string
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			break
		}
		lines = append(lines, strings.TrimRight(l, "\r\n"))
	}
	if strings.Join(lines[4:7], "|") != "x|..|..." {
		t.Fatalf("the next session after a panic, RETR 2 = %q", lines)
	}
}
