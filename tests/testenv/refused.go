package testenv

import (
	"fmt"
	"net"
	"strconv"
	"syscall"
	"testing"
)

// RefusedAddr returns host:port on ip (an IPv4 address such as
// "127.0.0.1") where a connection is refused for the whole test: the port
// is held by a socket that is bound but does not listen, so no other
// program can start listening there meanwhile (as it could on a port that
// was merely free a moment ago).
func RefusedAddr(t testing.TB, ip string) string {
	t.Helper()
	a := net.ParseIP(ip).To4()
	if a == nil {
		t.Fatalf("testenv: %q is not an IPv4 address", ip)
	}
	port, closeFn, err := bindWithoutListening([4]byte(a))
	if err != nil {
		t.Fatalf("testenv: no port to refuse connections on %s: %v", ip, err)
	}
	t.Cleanup(func() { _ = closeFn() })
	return net.JoinHostPort(ip, strconv.Itoa(port))
}

// bindWithoutListening binds a TCP socket to a port the system chooses on
// ip and does not listen on it.
func bindWithoutListening(ip [4]byte) (int, func() error, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, tcpProto)
	if err != nil {
		return 0, nil, err
	}
	closeFn := func() error { return closeSock(fd) }
	sa, err := bindAndName(fd, ip)
	if err != nil {
		closeFn()
		return 0, nil, err
	}
	return sa.Port, closeFn, nil
}

func bindAndName(fd sockFD, ip [4]byte) (*syscall.SockaddrInet4, error) {
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: ip}); err != nil {
		return nil, err
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		return nil, err
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		return nil, fmt.Errorf("the socket's address is %T", sa)
	}
	return in4, nil
}
