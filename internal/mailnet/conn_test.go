package mailnet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

func pipe(t *testing.T, idle time.Duration) (*Conn, net.Conn) {
	t.Helper()
	a, b := net.Pipe()
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	return NewConn(a, idle), b
}

func TestCancelInterruptsBlockedRead(t *testing.T) {
	c, peer := pipe(t, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	c.Arm(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 1))
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Read after cancel = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Read still blocked 10 s after the context was cancelled")
	}
	if err := c.Disarm(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Disarm = %v, want context.Canceled", err)
	}
	go func() { _, _ = peer.Read(make([]byte, 1)) }()
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatalf("Write after Disarm still sees the old context: %v", err)
	}
}

func TestIdleTimeoutBoundsRead(t *testing.T) {
	c, _ := pipe(t, 20*time.Millisecond)
	c.Arm(context.Background())
	defer func() { _ = c.Disarm() }()
	_, err := c.Read(make([]byte, 1))
	if !IsTimeout(err) {
		t.Fatalf("Read from a silent peer = %v, want a timeout", err)
	}
}

func TestEndedContextFailsAtOnce(t *testing.T) {
	c, _ := pipe(t, time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	c.Arm(ctx)
	defer func() { _ = c.Disarm() }()
	if _, err := c.Write([]byte("x")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Write under an expired context = %v, want context.DeadlineExceeded", err)
	}
}

func TestTapCopiesBytesRead(t *testing.T) {
	c, peer := pipe(t, time.Minute)
	go func() { _, _ = peer.Write([]byte("220 hello\r\n250 after\r\n")) }()
	var tap bytes.Buffer
	c.SetTap(&tap)
	buf := make([]byte, 11)
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatal(err)
	}
	c.SetTap(nil)
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatal(err)
	}
	if got := tap.String(); got != "220 hello\r\n" {
		t.Fatalf("tap got %q, want only the bytes read while it was set", got)
	}
}
