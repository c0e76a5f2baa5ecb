package testenv

import (
	"net"
	"strings"
	"testing"
	"time"
)

// TestRefusedAddrRefusesAndStaysTaken: a connection to the address is
// refused, and no listener can take the port while the test runs.
func TestRefusedAddrRefusesAndStaysTaken(t *testing.T) {
	addr := RefusedAddr(t, "127.0.0.1")
	_, err := net.DialTimeout("tcp", addr, 30*time.Second)
	if err == nil || !strings.Contains(err.Error(), "refused") { // Windows: "actively refused it"
		t.Fatalf("dial %s = %v; want connection refused", addr, err)
	}
	if l, err := net.Listen("tcp", addr); err == nil {
		l.Close()
		t.Fatalf("a listener took %s, which RefusedAddr holds", addr)
	}
}
