//go:build !windows

// Drives the network with Python's smtplib and poplib, Linux peers: not part of
// the Windows build of the tests.

package testnet

import (
	"context"
	"strings"
	"testing"
	"time"

	"securemail/pop3client"
	"securemail/tests/testenv"
)

// TestEndToEndPythonClients sends with Python's smtplib (STARTTLS, AUTH)
// from a tester in B and fetches with Python's poplib (STLS) as a tester in
// F: submission -> b-server -> relay -> f-server -> POP3, bytes intact.
// Then our own pop3client fetches a second message.
func TestEndToEndPythonClients(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	tn := startNet(t, nil, nil)
	b, f := tn.country("B"), tn.country("F")
	bt, ft := b.Testers[1], f.Testers[2]
	from, to := b.Address(bt), f.Address(ft)
	msg := msgFor(from, to, "via python") + strings.Repeat("0123456789abcdef ", 4) + "\r\n"
	script := `
import smtplib, poplib, ssl, sys, time
host, sport, pport, cafile, frm, fpw, to, tpw, msg = sys.argv[1:10]
ctx = ssl.create_default_context(cafile=cafile)
s = smtplib.SMTP(host, int(sport), timeout=10)
s.starttls(context=ctx)
s.login(frm, fpw)
s.sendmail(frm, [to], msg.encode())
s.quit()
deadline = time.time() + 20
while True:
    p = poplib.POP3(host, int(pport), timeout=10)
    p.stls(context=ctx)
    p.user(to); p.pass_(tpw)
    n = p.stat()[0]
    if n > 0:
        lines = p.retr(1)[1]
        p.dele(1)
        p.quit()
        sys.stdout.buffer.write(b"\r\n".join(lines) + b"\r\n")
        break
    p.quit()
    if time.time() > deadline:
        sys.exit("no mail arrived")
    time.sleep(0.05)
`
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := testenv.Run(ctx, nil, py, "-c", script, tn.cfg.Host, itoa(b.SubmitPort), itoa(f.POP3Port), tn.caFile,
		from, bt.Password, to, ft.Password, msg)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != msg {
		t.Fatalf("poplib received %q, want the bytes smtplib sent %q", out, msg)
	}
	if len(tn.mailbox("F", 2)) != 0 {
		t.Fatal("DELE + QUIT through poplib did not remove the message")
	}

	// Our own POP3 client, over implicit TLS.
	msg2 := msgFor(from, to, "via our client")
	if err := tn.submit("B", 1, []string{to}, msg2); err != nil {
		t.Fatal(err)
	}
	tn.waitMailbox(t, "F", 2, 1)
	c, err := pop3client.Dial(ctx, pop3client.Options{Address: addr(tn.cfg.Host, f.POP3sPort), TLS: pop3client.TLSImplicit, RootCAs: tn.pool})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(ctx, to, ft.Password); err != nil {
		t.Fatal(err)
	}
	got, err := c.RetrBytes(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != msg2 {
		t.Fatalf("pop3client received %q, want %q", got, msg2)
	}
	if err := c.Quit(ctx); err != nil {
		t.Fatal(err)
	}
}
