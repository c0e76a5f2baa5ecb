package testnet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-message"
)

// eicar is the EICAR anti-virus test file, written in two pieces so that
// this source file itself does not trip a virus scanner.
const eicar = `X5O!P%@AP[4\PZX54(P^)7CC)7}$` + `EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`

// scanner checks relayed mail for viruses.
type scanner struct {
	clamd string // unix socket path or host:port; "" = EICAR check only
}

// scan returns the name of the virus found, or "".
func (s scanner) scan(ctx context.Context, msg []byte) (string, error) {
	if name := findEICAR(msg); name != "" {
		return name, nil
	}
	if s.clamd != "" {
		return clamdScan(ctx, s.clamd, msg)
	}
	return "", nil
}

// findEICAR looks for the test file in the raw message and in every MIME
// part after its transfer encoding (base64, quoted-printable) is undone.
func findEICAR(msg []byte) string {
	if bytes.Contains(msg, []byte(eicar)) {
		return "EICAR-Test-File"
	}
	e, err := message.Read(bytes.NewReader(msg))
	if e == nil {
		return ""
	}
	_ = err // an unknown charset or encoding still leaves a usable entity
	found := ""
	e.Walk(func(_ []int, part *message.Entity, err error) error {
		if part == nil || part.MultipartReader() != nil {
			return nil
		}
		b, _ := io.ReadAll(io.LimitReader(part.Body, 64<<20))
		if bytes.Contains(b, []byte(eicar)) {
			found = "EICAR-Test-File"
			return io.EOF
		}
		return nil
	})
	return found
}

// clamdScan sends msg to clamd with INSTREAM and returns the virus name it
// reports, or "" for a clean message.
func clamdScan(ctx context.Context, addr string, msg []byte) (string, error) {
	// host:port with a numeric port is TCP; anything else is a socket path
	// (a Windows path has no "/", so the separator alone cannot tell).
	network := "unix"
	if _, port, err := net.SplitHostPort(addr); err == nil && port != "" && strings.Trim(port, "0123456789") == "" {
		network = "tcp"
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return "", fmt.Errorf("testnet: clamd at %s does not answer: %w", addr, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	w := bufio.NewWriter(c)
	w.WriteString("zINSTREAM\x00")
	var n [4]byte
	for len(msg) > 0 {
		chunk := msg[:min(len(msg), 64<<10)]
		msg = msg[len(chunk):]
		binary.BigEndian.PutUint32(n[:], uint32(len(chunk)))
		w.Write(n[:])
		w.Write(chunk)
	}
	binary.BigEndian.PutUint32(n[:], 0)
	w.Write(n[:])
	if err := w.Flush(); err != nil {
		return "", fmt.Errorf("testnet: clamd: %w", err)
	}
	reply, err := bufio.NewReader(c).ReadString('\x00')
	if err != nil && reply == "" {
		return "", fmt.Errorf("testnet: clamd: %w", err)
	}
	reply = strings.TrimRight(reply, "\x00\n")
	switch {
	case strings.HasSuffix(reply, " FOUND"):
		r := strings.TrimSuffix(reply, " FOUND")
		if i := strings.Index(r, ": "); i >= 0 {
			r = r[i+2:]
		}
		return r, nil
	case strings.HasSuffix(reply, ": OK"):
		return "", nil
	default:
		return "", fmt.Errorf("testnet: clamd answered %q", reply)
	}
}
