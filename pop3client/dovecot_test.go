//go:build !windows

// These tests start Dovecot, a Linux daemon: not part of the Windows build of
// the tests.

package pop3client_test

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"securemail/pop3client"
	"securemail/tests/testenv"
)

// testMessages are the messages whose bytes must survive a POP3 round trip:
// dot-stuffing, a 998-octet line, 8-bit text, and a 10 MB attachment.
func testMessages(t testing.TB) map[string][]byte {
	t.Helper()
	hdr := func(subject string) string {
		return "From: Marie.Curie@tcn.f.eu-admin.net\r\nTo: Alan.Turing@tcn.gb.eu-admin.net\r\n" +
			"Subject: " + subject + "\r\nMessage-ID: <" + subject + "@test>\r\nMIME-Version: 1.0\r\n"
	}
	long := strings.Repeat("x", 998)
	att := make([]byte, 7_600_000) // ~10 MB once base64-encoded
	if _, err := rand.Read(att); err != nil {
		t.Fatal(err)
	}
	var b64 strings.Builder
	enc := base64.StdEncoding.EncodeToString(att)
	for i := 0; i < len(enc); i += 76 {
		b64.WriteString(enc[i:min(i+76, len(enc))])
		b64.WriteString("\r\n")
	}
	return map[string][]byte{
		"dots": []byte(hdr("dots") + "Content-Type: text/plain\r\n\r\n.a line starting with a dot\r\n..two dots\r\n.\r\n" +
			" .\r\nlast line without dot\r\n"),
		"long": []byte(hdr("long") + "Content-Type: text/plain\r\n\r\n" + long + "\r\n" + "." + long[1:] + "\r\n"),
		"8bit": []byte(hdr("8bit") + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
			"Grüße aus Köln, ça va? Ελληνικά — \xff\xfe raw octets\r\n\r\n"),
		"10mb": []byte(hdr("10mb") + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n" +
			"--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64.String() + "--b--\r\n"),
	}
}

func startDovecot(t testing.TB, host string) *testenv.Dovecot {
	t.Helper()
	return testenv.StartDovecot(t, testenv.DovecotOptions{
		Users: map[string]string{"marie": "Curie-1867", "alan": "Turing-1912"},
		Host:  host,
	})
}

// TestDovecotRoundTripIsByteIdentical delivers the test messages into a
// real Dovecot Maildir and fetches them over STLS and over POP3S.
func TestDovecotRoundTripIsByteIdentical(t *testing.T) {
	d := startDovecot(t, "")
	msgs := testMessages(t)
	order := []string{"dots", "long", "8bit", "10mb"}
	for _, k := range order {
		d.Deliver(t, "marie", msgs[k])
	}
	for _, tc := range []struct {
		mode pop3client.TLSMode
		addr string
	}{{pop3client.TLSStartTLS, d.POP3}, {pop3client.TLSImplicit, d.POP3S}} {
		t.Run(string(tc.mode), func(t *testing.T) {
			ctx := testCtx(t, 60*time.Second)
			c, err := pop3client.Dial(ctx, pop3client.Options{Address: tc.addr, TLS: tc.mode, RootCAs: d.CAPool, ServerName: "localhost"})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if st, ok := c.TLSState(); !ok || st.Version < 0x0303 {
				t.Fatalf("connection not protected by TLS 1.2+: %v", ok)
			}
			if err := c.Login(ctx, "marie", "Curie-1867"); err != nil {
				t.Fatal(err)
			}
			count, size, err := c.Stat(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var want int64
			for _, m := range msgs {
				want += int64(len(m))
			}
			if count != len(msgs) || size != want {
				t.Errorf("STAT = %d messages, %d octets; want %d, %d", count, size, len(msgs), want)
			}
			// Maildir order is not delivery order: match by Message-ID.
			byID := func(b []byte) string {
				i := bytes.Index(b, []byte("Message-ID: <"))
				j := bytes.IndexByte(b[i:], '@')
				return string(b[i+13 : i+j])
			}
			seen := map[string]bool{}
			for n := 1; n <= count; n++ {
				got, err := c.RetrBytes(ctx, n)
				if err != nil {
					t.Fatalf("RETR %d: %v", n, err)
				}
				id := byID(got)
				if !bytes.Equal(got, msgs[id]) {
					t.Errorf("message %q changed in transit: got %d octets, want %d", id, len(got), len(msgs[id]))
				}
				seen[id] = true
			}
			// The pipelined path returns the same bytes.
			nums := make([]int, count)
			for i := range nums {
				nums[i] = i + 1
			}
			err = c.RetrMany(ctx, nums, func(n int, r io.Reader) error {
				got, err := io.ReadAll(r)
				if err != nil {
					return err
				}
				if id := byID(got); !bytes.Equal(got, msgs[id]) {
					return fmt.Errorf("pipelined message %q changed in transit", id)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) != len(msgs) {
				t.Errorf("fetched %v, want all of %v", seen, order)
			}
			if err := c.Quit(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestDovecotVerbs exercises every verb against Dovecot.
func TestDovecotVerbs(t *testing.T) {
	d := startDovecot(t, "")
	for i := range 3 {
		d.Deliver(t, "alan", []byte(fmt.Sprintf("Subject: %d\r\n\r\nline one\r\nline two\r\n", i)))
	}
	ctx := testCtx(t, 30*time.Second)
	c, err := pop3client.Dial(ctx, pop3client.Options{Address: d.POP3, RootCAs: d.CAPool})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, capa := range []string{"PIPELINING", "UIDL", "TOP", "USER"} {
		if !c.Capabilities().Has(capa) {
			t.Errorf("capability %s missing after STLS: %v", capa, c.Capabilities())
		}
	}
	if c.Capabilities().Has("STLS") {
		t.Errorf("STLS still advertised after TLS: %v", c.Capabilities())
	}
	if err := c.Login(ctx, "alan", "Turing-1912"); err != nil {
		t.Fatal(err)
	}
	if !c.Capabilities().Has("PIPELINING") {
		t.Errorf("Dovecot should advertise PIPELINING: %v", c.Capabilities())
	}
	list, err := c.List(ctx)
	if err != nil || len(list) != 3 || list[0].Size != 34 {
		t.Fatalf("LIST = %v, %v", list, err)
	}
	one, err := c.ListOne(ctx, 2)
	if err != nil || one != (pop3client.MessageInfo{Num: 2, Size: 34}) {
		t.Errorf("LIST 2 = %v, %v", one, err)
	}
	uids, err := c.UIDL(ctx)
	if err != nil || len(uids) != 3 || uids[0].UID == uids[1].UID {
		t.Errorf("UIDL = %v, %v", uids, err)
	}
	u, err := c.UIDLOne(ctx, 3)
	if err != nil || u != uids[2] {
		t.Errorf("UIDL 3 = %v, %v; want %v", u, err, uids[2])
	}
	top, err := c.Top(ctx, 1, 1)
	if err != nil || !bytes.HasSuffix(top, []byte("\r\n\r\nline one\r\n")) {
		t.Errorf("TOP 1 1 = %q, %v", top, err)
	}
	if err := c.Noop(ctx); err != nil {
		t.Error(err)
	}
	if err := c.Dele(ctx, 1); err != nil {
		t.Fatal(err)
	}
	var perr *pop3client.Error
	if _, err := c.RetrBytes(ctx, 1); !errors.As(err, &perr) {
		t.Errorf("RETR of a deleted message = %v, want a -ERR", err)
	}
	if err := c.Rset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RetrBytes(ctx, 1); err != nil {
		t.Errorf("RETR after RSET: %v", err)
	}
	if err := c.Dele(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(ctx); err != nil {
		t.Fatal(err)
	}
	// QUIT removed message 3.
	c, err = pop3client.Dial(ctx, pop3client.Options{Address: d.POP3S, TLS: pop3client.TLSImplicit, RootCAs: d.CAPool})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(ctx, "alan", "Turing-1912"); err != nil {
		t.Fatal(err)
	}
	if n, _, err := c.Stat(ctx); err != nil || n != 2 {
		t.Errorf("after DELE and QUIT: STAT = %d, %v; want 2", n, err)
	}
}

// TestDovecotFailures: wrong password (on its own loopback address, because
// Dovecot delays the next login from an address that failed), untrusted
// certificate, cleartext login refused, and a refused connection.
func TestDovecotFailures(t *testing.T) {
	d := startDovecot(t, "127.0.0.9")
	ctx := testCtx(t, 30*time.Second)

	t.Run("wrong password", func(t *testing.T) {
		c, err := pop3client.Dial(ctx, pop3client.Options{Address: d.POP3, RootCAs: d.CAPool})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		err = c.Login(ctx, "marie", "wrong")
		var perr *pop3client.Error
		if !errors.As(err, &perr) || perr.Code != pop3client.CodeAuth {
			t.Fatalf("Login with a wrong password = %v, want an [AUTH] error", err)
		}
		if !strings.Contains(err.Error(), "authentication failed") {
			t.Errorf("message %q does not say authentication failed", err)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		for _, tc := range []struct {
			mode pop3client.TLSMode
			addr string
		}{{pop3client.TLSStartTLS, d.POP3}, {pop3client.TLSImplicit, d.POP3S}} {
			_, err := pop3client.Dial(ctx, pop3client.Options{Address: tc.addr, TLS: tc.mode, RootCAs: x509.NewCertPool()})
			if !pop3client.IsCertificateError(err) || !strings.Contains(err.Error(), "not trusted for 127.0.0.9") {
				t.Errorf("%s with an empty pool: %v, want a certificate error naming the host", tc.mode, err)
			}
		}
	})
	t.Run("wrong host name", func(t *testing.T) {
		_, err := pop3client.Dial(ctx, pop3client.Options{Address: d.POP3S, TLS: pop3client.TLSImplicit, RootCAs: d.CAPool, ServerName: "pop.example.org"})
		if !pop3client.IsCertificateError(err) || !strings.Contains(err.Error(), "pop.example.org") {
			t.Errorf("Dial for another name: %v, want a certificate error naming pop.example.org", err)
		}
	})
	t.Run("cleartext login refused", func(t *testing.T) {
		c, err := pop3client.Dial(ctx, pop3client.Options{Address: d.POP3, TLS: pop3client.TLSNone})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Login(ctx, "marie", "Curie-1867"); !errors.Is(err, pop3client.ErrCleartextLogin) {
			t.Errorf("Login without TLS = %v, want ErrCleartextLogin", err)
		}
	})
	t.Run("server down", func(t *testing.T) {
		addr := testenv.RefusedAddr(t, "127.0.0.9")
		_, err := pop3client.Dial(ctx, pop3client.Options{Address: addr})
		var ce *pop3client.ConnError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("Dial to a closed port = %v, want connection refused", err)
		}
	})
}

// TestDovecotCleartextWhenAllowed logs in without TLS when the account
// explicitly allows it (with USER/PASS: AUTH PLAIN is used only over TLS).
func TestDovecotCleartextWhenAllowed(t *testing.T) {
	d := startDovecot(t, "127.0.0.10")
	ctx := testCtx(t, 30*time.Second)
	c, err := pop3client.Dial(ctx, pop3client.Options{Address: d.POP3, TLS: pop3client.TLSNone, AllowCleartextLogin: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := c.TLSState(); ok {
		t.Fatal("TLS in none mode")
	}
	if err := c.Login(ctx, "marie", "Curie-1867"); err != nil {
		t.Fatal(err)
	}
	if n, _, err := c.Stat(ctx); err != nil || n != 0 {
		t.Errorf("STAT = %d, %v", n, err)
	}
}

// BenchmarkDovecotFetch fetches 200 messages of 20 KB over STLS from a real
// Dovecot, pipelined (RetrMany) and one RETR at a time.
func BenchmarkDovecotFetch(b *testing.B) {
	d := testenv.StartDovecot(b, testenv.DovecotOptions{Users: map[string]string{"bench": "pw"}})
	msg := []byte("Subject: bench\r\n\r\n" + strings.Repeat(strings.Repeat("x", 74)+"\r\n", 20<<10/76))
	const count = 200
	for range count {
		d.Deliver(b, "bench", msg)
	}
	ctx := testCtx(b, 10*time.Minute)
	nums := make([]int, count)
	for i := range nums {
		nums[i] = i + 1
	}
	fetch := func(b *testing.B, pipelined bool) {
		b.SetBytes(int64(count * len(msg)))
		for b.Loop() {
			c, err := pop3client.Dial(ctx, pop3client.Options{Address: d.POP3, RootCAs: d.CAPool})
			if err != nil {
				b.Fatal(err)
			}
			if err := c.Login(ctx, "bench", "pw"); err != nil {
				b.Fatal(err)
			}
			if pipelined {
				err = c.RetrMany(ctx, nums, func(_ int, r io.Reader) error { _, err := io.Copy(io.Discard, r); return err })
			} else {
				for _, n := range nums {
					if _, err = c.RetrTo(ctx, n, io.Discard); err != nil {
						break
					}
				}
			}
			if err != nil {
				b.Fatal(err)
			}
			if err := c.Quit(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("pipelined", func(b *testing.B) { fetch(b, true) })
	b.Run("sequential", func(b *testing.B) { fetch(b, false) })
}
