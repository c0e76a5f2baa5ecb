package pop3server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// Server is a POP3 server. Set its exported fields before Serve; zero
// values take the defaults named in each field's comment.
type Server struct {
	Backend Backend
	// Hostname appears in the greeting; "localhost".
	Hostname string
	// TLSConfig enables STLS (and ServeTLS). Nil: no TLS.
	TLSConfig *tls.Config
	// AllowInsecureAuth permits USER/PASS and AUTH before STLS even when
	// TLSConfig is set. Without TLSConfig authentication is always allowed.
	AllowInsecureAuth bool
	// IdleTimeout ends a silent session; 10 minutes (RFC 1939 §3).
	IdleTimeout time.Duration
	// AuthFailureDelay is waited before answering a failed login; 2 s.
	AuthFailureDelay time.Duration
	// MaxLineLength bounds a command line; 512 octets.
	MaxLineLength int
	// MaxAuthFailures ends the session after so many failed logins; 3.
	MaxAuthFailures int
	// ErrorLog receives panics and I/O errors; nil logs to stderr.
	ErrorLog *log.Logger
	// OnAuth, if set, is told of every login attempt (for the evidence log).
	OnAuth func(user string, remote net.Addr, ok bool)

	mu        sync.Mutex
	listeners map[net.Listener]bool
	conns     map[*session]bool
	locked    map[string]bool
	closed    bool
	done      chan struct{}
	wg        sync.WaitGroup
}

// NewServer returns a server with the defaults for backend.
func NewServer(be Backend) *Server { return &Server{Backend: be} }

// ErrServerClosed is returned by Serve after Close or Shutdown.
var ErrServerClosed = errors.New("pop3server: server closed")

func (s *Server) init() {
	if s.listeners == nil {
		s.listeners = map[net.Listener]bool{}
		s.conns = map[*session]bool{}
		s.locked = map[string]bool{}
		s.done = make(chan struct{})
	}
}

func (s *Server) hostname() string {
	if s.Hostname == "" {
		return "localhost"
	}
	return s.Hostname
}

func (s *Server) idle() time.Duration {
	if s.IdleTimeout <= 0 {
		return 10 * time.Minute
	}
	return s.IdleTimeout
}

func (s *Server) authDelay() time.Duration {
	if s.AuthFailureDelay == 0 {
		return 2 * time.Second
	}
	return s.AuthFailureDelay
}

func (s *Server) maxLine() int {
	if s.MaxLineLength <= 0 {
		return 512
	}
	return s.MaxLineLength
}

func (s *Server) maxAuthFailures() int {
	if s.MaxAuthFailures <= 0 {
		return 3
	}
	return s.MaxAuthFailures
}

func (s *Server) logf(format string, args ...any) {
	if s.ErrorLog != nil {
		s.ErrorLog.Printf(format, args...)
		return
	}
	fmt.Fprintf(os.Stderr, "pop3server: "+format+"\n", args...)
}

// Serve accepts connections on l until Close or Shutdown. Connections are
// plain (with STLS when TLSConfig is set).
func (s *Server) Serve(l net.Listener) error { return s.serve(l, false) }

// ServeTLS accepts implicit-TLS connections (POP3S, RFC 8314) on l.
func (s *Server) ServeTLS(l net.Listener) error {
	if s.TLSConfig == nil {
		return errors.New("pop3server: ServeTLS needs a TLSConfig")
	}
	return s.serve(tls.NewListener(l, s.TLSConfig), true)
}

func (s *Server) serve(l net.Listener, isTLS bool) error {
	s.mu.Lock()
	s.init()
	if s.closed {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.listeners[l] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
		l.Close()
	}()
	var backoff time.Duration
	for {
		c, err := l.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return fmt.Errorf("pop3server: %w", err)
		}
		backoff = 0
		sess := newSession(s, c, isTLS)
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return ErrServerClosed
		}
		s.conns[sess] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, sess)
				s.mu.Unlock()
			}()
			sess.serve()
		}()
	}
}

// Close stops listening and closes every connection at once; deletions of
// sessions that did not reach QUIT are not applied.
func (s *Server) Close() error {
	s.mu.Lock()
	s.init()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
	for l := range s.listeners {
		l.Close()
	}
	for c := range s.conns {
		c.conn.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// Shutdown stops listening and waits for sessions to end (each at its next
// command gets "-ERR server shutting down") or for ctx, then closes.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.init()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
	for l := range s.listeners {
		l.Close()
	}
	for c := range s.conns {
		// Wake sessions waiting for a command; they see done and leave.
		c.conn.SetReadDeadline(time.Now())
	}
	s.mu.Unlock()
	finished := make(chan struct{})
	go func() { s.wg.Wait(); close(finished) }()
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
		s.Close()
		return fmt.Errorf("pop3server: shutdown: %w", ctx.Err())
	}
}

// lock claims user's mailbox for one session.
func (s *Server) lock(user string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(user)
	if s.locked[k] {
		return false
	}
	s.locked[k] = true
	return true
}

func (s *Server) unlock(user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.locked, strings.ToLower(user))
}
