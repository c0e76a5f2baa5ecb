//go:build !windows

// Python's poplib and fetchmail are Linux peers: not part of the Windows build
// of the tests.

package pop3server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/tests/testenv"
)

// TestPythonPoplib runs Python's poplib (an independent client) over STLS
// and over implicit TLS, verifying the server's certificate.
func TestPythonPoplib(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	body := m1 + strings.Repeat(strings.Repeat("x", 76)+"\r\n", 100)
	f := start(t, nil, body, m2)
	host, port, _ := strings.Cut(f.addr, ":")
	_, tport, _ := strings.Cut(f.tlsAddr, ":")
	script := `
import poplib, ssl, sys, json
host, port, tport, cafile, user, pw = sys.argv[1:7]
ctx = ssl.create_default_context(cafile=cafile)
p = poplib.POP3(host, int(port), timeout=10)
p.stls(context=ctx)
p.user(user); p.pass_(pw)
count, size = p.stat()
uidl = p.uidl()[1]
resp, lines, octets = p.retr(1)
top = p.top(2, 0)[1]
p.dele(2)
p.quit()
q = poplib.POP3_SSL(host, int(tport), context=ctx, timeout=10)
q.user(user); q.pass_(pw)
left = q.stat()[0]
q.quit()
print(json.dumps({"count": count, "size": size, "uidl": len(uidl), "retr": b"\r\n".join(lines).decode() + "\r\n", "octets": octets, "top": [l.decode() for l in top], "left": left}))
`
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := testenv.Run(ctx, nil, py, "-c", script, host, port, tport, f.caFile, user, pass)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{`"count": 2`, `"size": ` + itoa(len(body)+len(m2)), `"uidl": 2`, `"left": 1`, `"top": ["Subject: two", ""]`} {
		if !strings.Contains(s, want) {
			t.Errorf("poplib result %s lacks %s", s, want)
		}
	}
	if !strings.Contains(s, strings.Repeat(strings.Repeat("x", 76)+"\\r\\n", 100)) {
		t.Error("RETR through poplib lost the body")
	}
}

// TestFetchmail runs fetchmail over STLS with certificate checking and
// captures the mail as BSMTP.
func TestFetchmail(t *testing.T) {
	fm := testenv.RequireTool(t, "fetchmail", "fetchmail")
	f := start(t, nil, m1, m2)
	dir := t.TempDir()
	host, port, _ := strings.Cut(f.addr, ":")
	out := filepath.Join(dir, "out.bsmtp")
	rc := filepath.Join(dir, "fetchmailrc")
	os.WriteFile(rc, []byte("poll "+host+" protocol pop3 port "+port+" user \""+user+"\" password \""+pass+"\"\n"), 0o600)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	t.Setenv("HOME", dir)
	t.Setenv("FETCHMAILHOME", dir)
	_, err := testenv.Run(ctx, nil, fm, "-f", rc, "--nodetach", "--nosyslog", "--sslproto", "TLS1.2+", "--sslcertck",
		"--sslcertfile", f.caFile, "--sslcommonname", "localhost", "--bsmtp", out, "--fetchall", "--uidl")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if !strings.Contains(string(got), "Subject: one") || !strings.Contains(string(got), "..dot line") || !strings.Contains(string(got), "second") {
		t.Fatalf("fetchmail's BSMTP output lacks the messages:\n%s", got)
	}
	if ms, _ := f.store.List(user); len(ms) != 0 {
		t.Fatalf("fetchmail without --keep left %d messages (DELE at QUIT not applied)", len(ms))
	}
}
