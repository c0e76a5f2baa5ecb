package testnet

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// chanListener hands out connections pushed into it.
type chanListener struct {
	ch   chan net.Conn
	done chan struct{}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}
func (l *chanListener) Close() error   { return nil }
func (l *chanListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

// FuzzSMTPCommands drives the submission and relay listeners (go-smtp's
// command reader with the network's sessions behind it) with arbitrary
// client bytes: no panic, no hang, nothing relayed without authentication.
func FuzzSMTPCommands(f *testing.F) {
	for _, s := range []string{
		"EHLO x\r\nMAIL FROM:<a@tcn.b.eu-admin.net>\r\nRCPT TO:<b@example.com>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n",
		"EHLO x\r\nAUTH PLAIN AGEAYg==\r\nMAIL FROM:<> ENVID=x\r\nRSET\r\nNOOP\r\nVRFY a\r\nQUIT\r\n",
		"HELO\r\nMAIL FROM:<\"a b\"@tcn.b.eu-admin.net> SIZE=99999999999\r\nRCPT TO:<@x:y@z>\r\nBDAT 5 LAST\r\nabcde",
		"EHLO x\r\nSTARTTLS\r\n\x16\x03\x01garbage",
		strings.Repeat("A", 3000) + "\r\nQUIT\r\n",
	} {
		f.Add(s)
	}
	tn := startNet(f, nil, nil)
	f.Fuzz(func(t *testing.T, input string) {
		for _, r := range []role{roleSubmit, roleRelay} {
			var nd *node
			if r == roleSubmit {
				nd = tn.nationals[tn.country("B").Domain()]
			} else {
				nd = tn.relays[0]
			}
			s := nd.newSMTPServer(r)
			s.ReadTimeout = 200 * time.Millisecond
			l := &chanListener{ch: make(chan net.Conn, 1), done: make(chan struct{})}
			go s.Serve(l)
			cc, sc := net.Pipe()
			l.ch <- sc
			go func() { io.WriteString(cc, input+"\r\nQUIT\r\n") }()
			out := make(chan string)
			go func() { b, _ := io.ReadAll(cc); out <- string(b) }()
			var got string
			select {
			case got = <-out:
			case <-time.After(10 * time.Second):
				t.Fatalf("session did not end for %q", input)
			}
			close(l.done)
			s.Close()
			if !strings.HasPrefix(got, "220 ") {
				t.Fatalf("no greeting: %q", got)
			}
			if strings.Contains(got, "250 2.0.0 OK: queued") {
				t.Fatalf("a message was accepted without authentication or a node certificate: %q", input)
			}
		}
	})
}
