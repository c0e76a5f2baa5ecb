package testnet

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"securemail/smtpclient"
	"securemail/testnet/queue"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

type testNet struct {
	*Network
	cfg    Config
	dir    string
	ca     *testca.CA
	caFile string // root certificate, PEM
	pool   *x509.CertPool
}

func startNet(t testing.TB, clk queue.Clock, tune func(*Config)) *testNet {
	t.Helper()
	ca, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.AuthFailureDelay = Duration{20 * time.Millisecond}
	if tune != nil {
		tune(&cfg)
	}
	if _, err := cfg.complete(defaultPortRange()); err != nil {
		t.Fatal(err)
	}
	n, err := Start(Options{Dir: dir, Config: cfg, CA: ca, Clock: clk, ControlInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	caFile := filepath.Join(dir, "root.pem")
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Root.Raw}), 0o600)
	pool := x509.NewCertPool()
	pool.AddCert(ca.Root)
	return &testNet{Network: n, cfg: cfg, dir: dir, ca: ca, caFile: caFile, pool: pool}
}

func (tn *testNet) country(code string) Country {
	for _, c := range tn.cfg.Countries {
		if c.Code == code {
			return c
		}
	}
	panic("no country " + code)
}

// submit sends msg as tester t of country code through submission with
// STARTTLS and AUTH PLAIN.
func (tn *testNet) submit(code string, ti int, to []string, msg string) error {
	co := tn.country(code)
	c, err := smtp.DialStartTLS(addr(tn.cfg.Host, co.SubmitPort), &tls.Config{RootCAs: tn.pool, ServerName: "localhost"})
	if err != nil {
		return err
	}
	defer c.Close()
	tr := co.Testers[ti]
	if err := c.Auth(sasl.NewPlainClient("", co.Address(tr), tr.Password)); err != nil {
		return err
	}
	if err := c.SendMail(co.Address(tr), to, strings.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}

func addr(host string, port int) string { return host + ":" + itoa(port) }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// mailbox returns the messages in a tester's mailbox, read from disk.
func (tn *testNet) mailbox(code string, ti int) []string {
	co := tn.country(code)
	nd := tn.nationals[co.Domain()]
	user := strings.ToLower(co.Address(co.Testers[ti]))
	ms, _ := nd.mail.List(user)
	var out []string
	for _, m := range ms {
		b, _ := nd.mail.Bytes(user, m.UID)
		out = append(out, string(b))
	}
	return out
}

// waitMailbox waits until the mailbox holds n messages.
func (tn *testNet) waitMailbox(t *testing.T, code string, ti, n int) []string {
	t.Helper()
	var got []string
	testenv.Eventually(t, time.Minute, func() error {
		if got = tn.mailbox(code, ti); len(got) < n {
			return fmt.Errorf("mailbox of %s tester %d has %d messages, want %d; queues %v", code, ti, len(got), n, tn.Queues())
		}
		return nil
	})
	return got
}

func msgFor(from, to, subject string) string {
	return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") + "@test>\r\n\r\nBody line 1\r\n.leading dot\r\n\r\nend\r\n"
}

func TestEndToEndBToF(t *testing.T) {
	tn := startNet(t, nil, nil)
	b, f := tn.country("B"), tn.country("F")
	from, to := b.Address(b.Testers[0]), f.Address(f.Testers[0])
	msg := msgFor(from, to, "hello F")
	if err := tn.submit("B", 0, []string{to}, msg); err != nil {
		t.Fatal(err)
	}
	got := tn.waitMailbox(t, "F", 0, 1)
	if got[0] != msg {
		t.Fatalf("F mailbox holds %q, want the bytes sent %q", got[0], msg)
	}
	// The evidence log shows the route: b-server -> relay (MX 1) -> f-server.
	// f-server logs the delivery just after the mailbox file appears.
	wants := []string{`"node":"b-server","event":"attempt"`, `"peer":"relay"`, `"node":"relay","event":"scanned"`, `"node":"f-server","event":"delivered"`}
	testenv.Eventually(t, time.Minute, func() error {
		ev, _ := os.ReadFile(filepath.Join(tn.dir, EventsFile))
		var missing []string
		for _, want := range wants {
			if !strings.Contains(string(ev), want) {
				missing = append(missing, want)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("evidence log lacks %s", strings.Join(missing, ", "))
		}
		return nil
	})
}

func TestOpenRelayAndAuthRefusals(t *testing.T) {
	tn := startNet(t, nil, nil)
	b, f := tn.country("B"), tn.country("F")
	tester, other := b.Address(b.Testers[0]), f.Address(f.Testers[0])
	tlsCfg := &tls.Config{RootCAs: tn.pool, ServerName: "localhost"}
	var se *smtp.SMTPError
	code := func(err error) int {
		if errors.As(err, &se) {
			return se.Code
		}
		t.Fatalf("want an SMTP refusal, got %v", err)
		return 0
	}
	// 1. Submission without AUTH.
	c, err := smtp.DialStartTLS(addr(tn.cfg.Host, b.SubmitPort), tlsCfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(tester, nil); code(err) != 530 && code(err) != 502 {
		t.Errorf("MAIL without AUTH: %v", err)
	}
	// 2. Wrong password: refused after the delay.
	start := time.Now()
	if err := c.Auth(sasl.NewPlainClient("", tester, "wrong")); code(err) != 535 || time.Since(start) < 20*time.Millisecond {
		t.Errorf("wrong password: %v after %v", err, time.Since(start))
	}
	c.Close()
	// 3. Authenticated, but another sender, or a recipient outside TESTA.
	c, _ = smtp.DialStartTLS(addr(tn.cfg.Host, b.SubmitPort), tlsCfg)
	if err := c.Auth(sasl.NewPlainClient("", tester, b.Testers[0].Password)); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(b.Address(b.Testers[1]), nil); code(err) != 553 {
		t.Errorf("MAIL FROM another user: %v", err)
	}
	if err := c.Mail(tester, nil); err != nil {
		t.Fatal(err)
	}
	for _, rcpt := range []string{"someone@example.com", "x@eu-admin.net.evil.org", "Nobody.Here@tcn.b.eu-admin.net", "a.b@tcn.xx.eu-admin.net"} {
		if err := c.Rcpt(rcpt, nil); err == nil || code(err) != 550 {
			t.Errorf("RCPT %s: %v, want 550", rcpt, err)
		}
	}
	c.Close()
	// 4. The relay, without a national server's certificate: refused.
	c, err = smtp.DialStartTLS(addr(tn.cfg.Host, tn.cfg.Relays[0].Port), tlsCfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(tester, nil); code(err) != 550 {
		t.Errorf("relay MAIL from a tester: %v", err)
	}
	c.Close()
	c, _ = smtp.Dial(addr(tn.cfg.Host, tn.cfg.Relays[0].Port))
	if err := c.Mail("", nil); code(err) != 550 {
		t.Errorf("relay MAIL in clear text: %v", err)
	}
	c.Close()
	// 5. F's inbound port, from a tester (not a relay): refused.
	c, _ = smtp.DialStartTLS(addr(tn.cfg.Host, f.InboundPort), tlsCfg)
	if err := c.Mail(tester, nil); code(err) != 550 {
		t.Errorf("inbound MAIL from a tester: %v", err)
	}
	c.Close()
	// 6. A national server's certificate, but mail outside eu-admin.net.
	c, _ = smtp.DialStartTLS(addr(tn.cfg.Host, tn.cfg.Relays[0].Port), tn.pki.clientConfig("b-server"))
	if err := c.Mail("spam@example.com", nil); code(err) != 550 {
		t.Errorf("relay MAIL FROM outside TESTA: %v", err)
	}
	if err := c.Mail(tester, nil); err != nil {
		t.Fatalf("relay MAIL from b-server: %v", err)
	}
	if err := c.Rcpt("victim@example.com", nil); code(err) != 550 {
		t.Errorf("relay RCPT outside TESTA: %v", err)
	}
	if err := c.Rcpt(other, nil); err != nil {
		t.Errorf("relay RCPT to F: %v", err)
	}
	c.Close()
	ev, _ := os.ReadFile(filepath.Join(tn.dir, EventsFile))
	if !strings.Contains(string(ev), `"event":"auth"`) || !strings.Contains(string(ev), `"event":"rejected"`) {
		t.Error("refusals and the failed login are not in the evidence log")
	}
}

func TestEICARRejectedByRelay(t *testing.T) {
	tn := startNet(t, nil, nil)
	b, f := tn.country("B"), tn.country("F")
	from, to := b.Address(b.Testers[0]), f.Address(f.Testers[0])
	for name, m := range eicarMessages() {
		// Hand the message to the relay as b-server would.
		hc := newHopClients()
		_, err := hc.Send(context.Background(), transfer{Addr: addr(tn.cfg.Host, tn.cfg.Relays[0].Port),
			TLS: tn.pki.clientConfig("b-server"), Helo: "b-server", From: from, To: []string{to}, Body: []byte(m)})
		hc.Close()
		var se *smtpclient.Error
		if !errors.As(err, &se) || se.Code != 554 || queue.IsTemporary(err) {
			t.Errorf("%s: relay answered %v, want 554", name, err)
		}
	}
	ev, _ := os.ReadFile(filepath.Join(tn.dir, EventsFile))
	if n := strings.Count(string(ev), "virus found: EICAR"); n != 2 {
		t.Errorf("evidence log has %d virus rejections, want 2", n)
	}
	if len(tn.mailbox("F", 0)) != 0 {
		t.Error("an infected message reached the mailbox")
	}
}
