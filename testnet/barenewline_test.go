package testnet

import (
	"context"
	"strings"
	"testing"
	"time"

	"securemail/tests/testenv"
)

// TestBareNewlineRefused: the submission server refuses, after DATA, a message with a bare CR or a bare LF, as
// Postfix's smtpd_forbid_bare_newline does, with a 5.x.x reply that says what to do; a CRLF message passes. The
// client is Python's smtplib, which sends bytes as they are (our Go client's DotWriter would fix bare LFs).
func TestBareNewlineRefused(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	tn := startNet(t, nil, nil)
	b, f := tn.country("B"), tn.country("F")
	bt := b.Testers[0]
	from, to := b.Address(bt), f.Address(f.Testers[0])
	script := `
import smtplib, ssl, sys
host, sport, cafile, frm, fpw, to = sys.argv[1:7]
ctx = ssl.create_default_context(cafile=cafile)
for name, msg in [
        ("bare-lf", b"From: " + frm.encode() + b"\nTo: " + to.encode() + b"\nSubject: lf\n\nbody\n"),
        ("bare-cr", b"Subject: x\rFrom: other@tcn.f.eu-admin.net\r\nFrom: " + frm.encode() + b"\r\nTo: " + to.encode() + b"\r\n\r\nbody\r\n"),
        ("crlf", b"From: " + frm.encode() + b"\r\nTo: " + to.encode() + b"\r\nSubject: ok\r\n\r\nbody\r\n")]:
    s = smtplib.SMTP(host, int(sport), timeout=10)
    s.starttls(context=ctx)
    s.login(frm, fpw)
    try:
        s.sendmail(frm, [to], msg)
        print(name, "accepted")
    except smtplib.SMTPDataError as e:
        print(name, e.smtp_code, e.smtp_error.decode())
    s.quit()
`
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := testenv.Run(ctx, nil, py, "-c", script, tn.cfg.Host, itoa(b.SubmitPort), tn.caFile, from, bt.Password, to)
	if err != nil {
		t.Fatal(err)
	}
	want := "bare-lf 550 5.5.2 bare CR or LF in message text; use CRLF line endings\n" +
		"bare-cr 550 5.5.2 bare CR or LF in message text; use CRLF line endings\n" +
		"crlf accepted\n"
	if string(out) != want {
		t.Fatalf("smtplib saw\n%s\nwant\n%s", out, want)
	}
	got := tn.waitMailbox(t, "F", 0, 1)
	if len(got) != 1 || !strings.Contains(got[0], "Subject: ok") {
		t.Fatalf("mailbox holds %q, want only the CRLF message", got)
	}
}

func TestHasBareNewline(t *testing.T) {
	for in, want := range map[string]bool{
		"a\r\nb\r\n": false, "": false, "a\nb": true, "a\rb\r\n": true, "a\r": true, "a\r\r\n": true, "\r\n\r\n": false,
	} {
		if got := hasBareNewline([]byte(in)); got != want {
			t.Errorf("hasBareNewline(%q) = %v, want %v", in, got, want)
		}
	}
}
