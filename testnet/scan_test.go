package testnet

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/binary"
	"io"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func eicarMessages() map[string]string {
	b64 := base64.StdEncoding.EncodeToString([]byte(eicar))
	return map[string]string{
		"plain text": "Subject: t\r\n\r\n" + eicar + "\r\n",
		"base64 attachment": "Subject: t\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n" +
			"Content-Type: application/octet-stream; name=eicar.com\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=eicar.com\r\n\r\n" +
			b64[:40] + "\r\n" + b64[40:] + "\r\n--b--\r\n",
	}
}

func TestFindEICAR(t *testing.T) {
	for name, m := range eicarMessages() {
		if got := findEICAR([]byte(m)); got == "" {
			t.Errorf("%s: EICAR not found", name)
		}
	}
	if got := findEICAR([]byte("Subject: clean\r\n\r\nEICAR is a test file, not a virus.\r\n")); got != "" {
		t.Errorf("clean message flagged as %s", got)
	}
}

// fakeClamd speaks clamd's INSTREAM protocol on a unix socket, or on
// Windows on TCP (as ClamAV for Windows does; Wine 8 has no unix sockets).
func fakeClamd(t *testing.T) string {
	network, addr := "unix", filepath.Join(t.TempDir(), "clamd.sock")
	if runtime.GOOS == "windows" {
		network, addr = "tcp", "127.0.0.1:0"
	}
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Fatalf("no %s socket for the fake clamd: %v", network, err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			r := bufio.NewReader(c)
			cmd, _ := r.ReadString(0)
			var data []byte
			for cmd == "zINSTREAM\x00" {
				var n [4]byte
				if _, err := io.ReadFull(r, n[:]); err != nil {
					break
				}
				size := binary.BigEndian.Uint32(n[:])
				if size == 0 {
					break
				}
				chunk := make([]byte, size)
				io.ReadFull(r, chunk)
				data = append(data, chunk...)
			}
			if strings.Contains(string(data), "WORM") {
				io.WriteString(c, "stream: Test.Worm FOUND\x00")
			} else {
				io.WriteString(c, "stream: OK\x00")
			}
			c.Close()
		}
	}()
	return l.Addr().String()
}

func TestClamdInstream(t *testing.T) {
	sock := fakeClamd(t)
	s := scanner{clamd: sock}
	if v, err := s.scan(context.Background(), []byte("Subject: x\r\n\r\nWORM\r\n")); err != nil || v != "Test.Worm" {
		t.Fatalf("scan = %q, %v; want Test.Worm", v, err)
	}
	if v, err := s.scan(context.Background(), []byte("Subject: x\r\n\r\nclean\r\n")); err != nil || v != "" {
		t.Fatalf("clean scan = %q, %v", v, err)
	}
	if _, err := (scanner{clamd: filepath.Join(t.TempDir(), "none")}).scan(context.Background(), []byte("x")); err == nil {
		t.Fatal("a missing clamd was not reported")
	}
}
