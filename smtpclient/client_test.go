package smtpclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const testMsg = "From: Marie.Curie@tcn.f.eu-admin.net\r\nTo: Jan.Novak@tcn.cz.eu-admin.net\r\nSubject: test\r\n\r\nHello.\r\n.leading dot\r\n"

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func fakeOpts(f *fakeServer, mode TLSMode) Options {
	return Options{Address: f.Addr, TLS: mode, RootCAs: f.Pool, Username: "marie", Password: "secret", LocalName: "client.test"}
}

func TestSendSTARTTLSAuthAndDSN(t *testing.T) {
	f := startFake(t, false, func(s *smtp.Server) { s.EnableDSN = true; s.MaxMessageBytes = 1 << 20 })
	env := Envelope{
		From: "Marie.Curie@tcn.f.eu-admin.net",
		To:   []string{"Jan.Novak@tcn.cz.eu-admin.net"},
		DSN:  &DSN{Return: DSNReturnHeaders, Notify: []string{DSNNotifyFailure, DSNNotifyDelay}, EnvelopeID: "env-42"},
	}
	res, err := Send(ctxT(t), fakeOpts(f, TLSStartTLS), env, strings.NewReader(testMsg))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(res.Accepted) != 1 || len(res.Refused) != 0 || !res.DSN {
		t.Errorf("result = %+v, want one accepted recipient with DSN", res)
	}
	got := f.Backend.messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	m := got[0]
	if m.User != "marie" {
		t.Errorf("the message was not sent after authentication (user %q)", m.User)
	}
	if string(m.Data) != testMsg {
		t.Errorf("server received %q, want %q", m.Data, testMsg)
	}
	if m.MailOpts.Return != smtp.DSNReturnHeaders || m.MailOpts.EnvelopeID != "env-42" {
		t.Errorf("MAIL FROM DSN parameters = RET %q ENVID %q, want HDRS env-42", m.MailOpts.Return, m.MailOpts.EnvelopeID)
	}
	if m.MailOpts.Size != int64(len(testMsg)) {
		t.Errorf("MAIL FROM SIZE = %d, want %d", m.MailOpts.Size, len(testMsg))
	}
	if n := m.RcptOpts[0]; n == nil || len(n.Notify) != 2 || n.Notify[0] != smtp.DSNNotifyFailure || n.Notify[1] != smtp.DSNNotifyDelayed {
		t.Errorf("RCPT TO NOTIFY = %+v, want FAILURE,DELAY", n)
	}
}

func TestImplicitTLSAndAuthLogin(t *testing.T) {
	f := startFake(t, true, nil)
	f.Backend.mechs = []string{sasl.Login}
	c, err := Dial(ctxT(t), fakeOpts(f, TLSImplicit))
	if err != nil {
		t.Fatalf("Dial implicit TLS with AUTH LOGIN: %v", err)
	}
	defer c.Close()
	st, ok := c.TLSState()
	if !ok || st.Version < tls.VersionTLS12 {
		t.Errorf("TLS state = %v, %v; want TLS 1.2 or later", st.Version, ok)
	}
	if !c.Authenticated() || c.AuthMechanism() != "LOGIN" {
		t.Errorf("Authenticated() = %v, AuthMechanism() = %q after a successful AUTH LOGIN", c.Authenticated(), c.AuthMechanism())
	}
	if !strings.HasPrefix(c.Banner(), "220 fake.test") {
		t.Errorf("Banner() = %q, want the server's greeting", c.Banner())
	}
	if ok, v := c.Extension("AUTH"); !ok || v != "LOGIN" {
		t.Errorf("Extension(AUTH) = %v %q, want LOGIN; capabilities %q", ok, v, c.Capabilities())
	}
	if _, err := c.Send(ctxT(t), Envelope{From: "a@b.example", To: []string{"c@d.example"}}, strings.NewReader(testMsg)); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}

func TestSeveralMessagesOnOneConnection(t *testing.T) {
	f := startFake(t, false, nil)
	f.Backend.refuse["nobody@d.example"] = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	c, err := Dial(ctxT(t), fakeOpts(f, TLSStartTLS))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < 3; i++ {
		if _, err := c.Send(ctxT(t), Envelope{From: "a@b.example", To: []string{"c@d.example"}}, strings.NewReader(testMsg)); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
		// A transaction refused in between must not break the session.
		if _, err := c.Send(ctxT(t), Envelope{From: "a@b.example", To: []string{"nobody@d.example"}}, strings.NewReader(testMsg)); !errors.Is(err, ErrAllRefused) {
			t.Fatalf("all recipients refused: got %v, want ErrAllRefused", err)
		}
	}
	if err := c.Quit(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Backend.messages()); n != 3 {
		t.Errorf("server received %d messages on one connection, want 3", n)
	}
	if _, err := c.Send(ctxT(t), Envelope{From: "a@b.example", To: []string{"c@d.example"}}, strings.NewReader(testMsg)); !errors.Is(err, ErrClosed) {
		t.Errorf("Send after Quit: got %v, want ErrClosed", err)
	}
}

func TestWrongPassword(t *testing.T) {
	f := startFake(t, false, nil)
	o := fakeOpts(f, TLSStartTLS)
	o.Password = "wrong"
	_, err := Dial(ctxT(t), o)
	e, ok := errorsAs[*Error](err)
	if !ok || e.Command != "AUTH" || e.Code != 535 || e.Temporary() {
		t.Fatalf("wrong password: got %v, want a permanent AUTH *Error 535", err)
	}
	if !strings.Contains(err.Error(), "authentication failed") || !strings.Contains(err.Error(), "check the user name and password") {
		t.Errorf("error does not say what failed and what to do: %v", err)
	}
}

func TestNoPasswordWithoutTLS(t *testing.T) {
	_, err := Dial(ctxT(t), Options{Address: "127.0.0.1:1", TLS: TLSNone, Username: "marie", Password: "secret"})
	if !errors.Is(err, ErrCleartextAuth) {
		t.Errorf("credentials with TLS none: got %v, want ErrCleartextAuth", err)
	}

	// A plain session needs no permission, and never sends the password
	// unless a cleartext login was allowed.
	addr, lines := scripted(t, func(c *scriptConn) { c.serve([]string{"AUTH PLAIN LOGIN"}, nil, nil) })
	c, err := Dial(ctxT(t), Options{Address: addr, TLS: TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Auth(ctxT(t), "marie", "secret"); !errors.Is(err, ErrCleartextAuth) {
		t.Errorf("Auth on a plain connection: got %v, want ErrCleartextAuth", err)
	}
	_ = c.Quit(ctxT(t))
	for _, l := range transcript(t, lines) {
		if strings.HasPrefix(strings.ToUpper(l), "AUTH") {
			t.Errorf("the client sent %q over a plain connection", l)
		}
	}

	// Allowed explicitly, the password goes out in clear.
	addr, lines = scripted(t, func(c *scriptConn) { c.serve([]string{"AUTH PLAIN LOGIN"}, nil, nil) })
	_, err = Dial(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true, Username: "marie", Password: "secret"})
	if e, ok := errorsAs[*Error](err); !ok || e.Command != "AUTH" {
		t.Errorf("the scripted server refuses AUTH: got %v, want its refusal", err)
	}
	sent := false
	for _, l := range transcript(t, lines) {
		sent = sent || strings.HasPrefix(strings.ToUpper(l), "AUTH PLAIN")
	}
	if !sent {
		t.Error("with AllowCleartextLogin the client did not send AUTH PLAIN")
	}
}

func TestTLSRequiredButNotOffered(t *testing.T) {
	addr, lines := scripted(t, func(c *scriptConn) { c.serve([]string{"SIZE 1000", "AUTH PLAIN"}, nil, nil) })
	_, err := Dial(ctxT(t), Options{Address: addr, Username: "marie", Password: "secret"})
	if !errors.Is(err, ErrTLSNotOffered) {
		t.Fatalf("got %v, want ErrTLSNotOffered", err)
	}
	if !strings.Contains(err.Error(), addr+" does not offer STARTTLS") {
		t.Errorf("error does not name the server: %v", err)
	}
	for _, l := range transcript(t, lines) {
		if !strings.HasPrefix(l, "EHLO") && l != "QUIT" {
			t.Errorf("the client sent %q to a server without STARTTLS", l)
		}
	}
}

func TestTLSNotOfferedByAnOldServer(t *testing.T) {
	// EHLO unknown: go-smtp falls back to HELO, which has no extensions.
	addr, _ := scripted(t, func(c *scriptConn) {
		c.send("220 old.test SMTP")
		for {
			switch l := c.expect(); {
			case l == "":
				return
			case strings.HasPrefix(l, "EHLO"):
				c.send("502 5.5.2 what?")
			case strings.HasPrefix(l, "HELO"):
				c.send("250 old.test")
			case l == "QUIT":
				c.send("221 bye")
				return
			default:
				c.send("502 5.5.2 what?")
			}
		}
	})
	if _, err := Dial(ctxT(t), Options{Address: addr}); !errors.Is(err, ErrTLSNotOffered) {
		t.Errorf("got %v, want ErrTLSNotOffered", err)
	}
}

func TestUntrustedCertificate(t *testing.T) {
	f := startFake(t, false, nil)
	other := newTestPKI(t, "someone else")
	o := fakeOpts(f, TLSStartTLS)
	o.RootCAs = other.pool
	_, err := Dial(ctxT(t), o)
	ce, ok := errorsAs[*ConnError](err)
	if !ok || !IsCertificateError(err) || ce.Step != "TLS handshake" {
		t.Fatalf("got %v, want a certificate error at the TLS handshake", err)
	}
	if !strings.Contains(err.Error(), "not trusted for 127.0.0.1") {
		t.Errorf("error does not say the certificate is not trusted for the host: %v", err)
	}

	// The same with implicit TLS, and a name the certificate does not list.
	fi := startFake(t, true, nil)
	o = fakeOpts(fi, TLSImplicit)
	o.ServerName = "mail.tcn.f.eu-admin.net"
	_, err = Dial(ctxT(t), o)
	if !IsCertificateError(err) || !strings.Contains(err.Error(), "not valid for mail.tcn.f.eu-admin.net") {
		t.Errorf("wrong name: got %v, want a certificate error naming the host", err)
	}
}

func TestServerDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = Send(ctxT(t), Options{Address: addr}, Envelope{From: "a@b.example", To: []string{"c@d.example"}}, strings.NewReader(testMsg))
	ce, ok := errorsAs[*ConnError](err)
	if !ok || ce.Step != "connect" || !strings.Contains(err.Error(), "connection refused by "+addr) {
		t.Errorf("got %v, want connection refused at connect", err)
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	release := make(chan struct{})
	addr, _ := scripted(t, func(c *scriptConn) { <-release }) // never greets
	t.Cleanup(func() { close(release) })                      // runs before scripted's cleanup

	start := time.Now()
	_, err := Dial(ctxT(t), Options{Address: addr, DialTimeout: 300 * time.Millisecond})
	ce, ok := errorsAs[*ConnError](err)
	if !ok || !ce.Timeout() || ce.Step != "greeting" || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("silent server: got %v, want a timeout during the greeting", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Dial took %v with a 300 ms timeout", d)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Dial(ctx, Options{Address: addr})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) && !strings.Contains(fmtErr(err), "cancel") {
			t.Errorf("cancelled Dial: got %v, want a cancellation", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Dial did not return after its context was cancelled")
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestStalledServerDuringData(t *testing.T) {
	// The server accepts the transaction, then stops reading the message
	// (and, if asked, cancels the client's context at that moment).
	stall := make(chan struct{})
	defer close(stall) // before scripted's cleanup waits for the handler
	atData := make(chan struct{}, 4)
	addr, _ := scripted(t, func(c *scriptConn) {
		c.send("220 scripted.test ESMTP")
		for {
			l := c.expect()
			switch {
			case l == "":
				return
			case strings.HasPrefix(l, "EHLO"):
				c.send("250 scripted.test")
			case l == "DATA":
				c.send("354 go ahead")
				atData <- struct{}{}
				<-stall
				return
			default:
				c.send("250 ok")
			}
		}
	})
	big := "Subject: big\r\n\r\n" + strings.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n", 1<<17) // 8.5 MB
	env := Envelope{From: "a@b.example", To: []string{"c@d.example"}}

	t.Run("idle timeout", func(t *testing.T) {
		c, err := Dial(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true, IdleTimeout: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Send(ctxT(t), env, strings.NewReader(big))
		if ce, ok := errorsAs[*ConnError](err); !ok || !ce.Timeout() || ce.Step != "DATA" {
			t.Errorf("stalled server: got %v, want a timeout during DATA", err)
		}
		if _, err := c.Send(ctxT(t), env, strings.NewReader(testMsg)); err == nil || !strings.Contains(err.Error(), "unusable") {
			t.Errorf("Send on a broken connection: got %v, want it refused", err)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		c, err := Dial(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for len(atData) > 0 { // the signal of the previous subtest
			<-atData
		}
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-atData; cancel() }()
		done := make(chan error, 1)
		go func() { _, err := c.Send(ctx, env, strings.NewReader(big)); done <- err }()
		select {
		case err := <-done:
			if ce, ok := errorsAs[*ConnError](err); !ok || !errors.Is(err, context.Canceled) || ce.Step != "DATA" {
				t.Errorf("cancelled during DATA: got %v", err)
			}
			if !strings.Contains(err.Error(), "was cancelled") {
				t.Errorf("sentence: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("Send did not return after its context was cancelled")
		}
	})
}

func TestOneOfThreeRecipientsRefused(t *testing.T) {
	msgs := make(chan []byte, 1)
	addr, _ := scripted(t, func(c *scriptConn) {
		c.serve([]string{"8BITMIME", "SIZE 100000"}, map[string]string{
			"busy@d.example":    "450 4.2.1 mailbox busy",
			"unknown@d.example": "550 5.1.1 no such user",
		}, msgs)
	})
	env := Envelope{From: "a@b.example", To: []string{"c@d.example", "busy@d.example", "unknown@d.example", "e@d.example"}}
	res, err := Send(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true}, env, strings.NewReader(testMsg))
	if err != nil {
		t.Fatalf("Send with some recipients refused: %v", err)
	}
	if strings.Join(res.Accepted, ",") != "c@d.example,e@d.example" {
		t.Errorf("Accepted = %q", res.Accepted)
	}
	if len(res.Refused) != 2 {
		t.Fatalf("Refused = %+v, want 2", res.Refused)
	}
	busy, unknown := res.Refused[0], res.Refused[1]
	if busy.Recipient != "busy@d.example" || !busy.Temporary() || busy.Err.Code != 450 || busy.Err.EnhancedCode != (EnhancedCode{4, 2, 1}) {
		t.Errorf("busy recipient: %+v, want temporary 450 4.2.1", busy.Err)
	}
	if unknown.Recipient != "unknown@d.example" || unknown.Temporary() || unknown.Err.Code != 550 {
		t.Errorf("unknown recipient: %+v, want permanent 550", unknown.Err)
	}
	if !strings.Contains(unknown.Error(), "refused the recipient <unknown@d.example>") || !strings.Contains(unknown.Error(), "permanent") {
		t.Errorf("refusal sentence: %v", unknown)
	}
	if !strings.Contains(busy.Error(), "temporary: try again later") {
		t.Errorf("temporary refusal sentence: %v", busy)
	}
	if res.Reply != "2.0.0 queued as 42" {
		t.Errorf("Reply = %q", res.Reply)
	}
	select {
	case data := <-msgs:
		if string(data) != strings.ReplaceAll(testMsg, "\r\n.", "\r\n..") {
			t.Errorf("server received %q", data)
		}
	default:
		t.Error("the message was not sent to the accepted recipients")
	}
}

func TestAllRecipientsRefusedTemporarily(t *testing.T) {
	addr, lines := scripted(t, func(c *scriptConn) {
		c.serve(nil, map[string]string{"a@d.example": "451 4.3.0 try later", "b@d.example": "452 4.5.3 too many"}, nil)
	})
	res, err := Send(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true},
		Envelope{From: "x@b.example", To: []string{"a@d.example", "b@d.example"}}, strings.NewReader(testMsg))
	if !errors.Is(err, ErrAllRefused) {
		t.Fatalf("got %v, want ErrAllRefused", err)
	}
	e, ok := errorsAs[*Error](err)
	if !ok || !e.Temporary() {
		t.Errorf("errors.As(*Error) = %v, %v; want a temporary refusal", e, ok)
	}
	if res == nil || len(res.Refused) != 2 || len(res.Accepted) != 0 {
		t.Errorf("result = %+v", res)
	}
	tr := strings.Join(transcript(t, lines), "\n")
	if strings.Contains(tr, "DATA") || !strings.Contains(tr, "RSET") {
		t.Errorf("transcript:\n%s\nwant RSET and no DATA", tr)
	}
}

func TestDataRefused(t *testing.T) {
	addr, _ := scripted(t, func(c *scriptConn) {
		c.send("220 scripted.test ESMTP")
		for {
			l := c.expect()
			switch {
			case l == "":
				return
			case strings.HasPrefix(l, "EHLO"):
				c.send("250 scripted.test")
			case l == "DATA":
				c.send("354 go ahead")
				for c.expect() != "." {
				}
				c.send("451 4.3.0 queue file write error")
			case l == "QUIT":
				c.send("221 bye")
				return
			default:
				c.send("250 ok")
			}
		}
	})
	res, err := Send(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true},
		Envelope{From: "x@b.example", To: []string{"a@d.example"}}, strings.NewReader(testMsg))
	e, ok := errorsAs[*Error](err)
	if !ok || e.Command != "DATA" || !e.Temporary() || e.Code != 451 {
		t.Fatalf("got %v, want a temporary DATA refusal", err)
	}
	if res == nil || len(res.Accepted) != 0 {
		t.Errorf("a refused message must have no accepted recipients: %+v", res)
	}
}

func TestServerClosesDuringData(t *testing.T) {
	addr, _ := scripted(t, func(c *scriptConn) {
		c.send("220 scripted.test ESMTP")
		for {
			l := c.expect()
			switch {
			case l == "":
				return
			case strings.HasPrefix(l, "EHLO"):
				c.send("250 scripted.test")
			case l == "DATA":
				c.send("354 go ahead")
				c.expect()
				return // hang up in the middle of the message
			default:
				c.send("250 ok")
			}
		}
	})
	_, err := Send(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true},
		Envelope{From: "x@b.example", To: []string{"a@d.example"}}, strings.NewReader(testMsg))
	if ce, ok := errorsAs[*ConnError](err); !ok || ce.Step != "DATA" {
		t.Fatalf("got %v, want a connection failure during DATA", err)
	}
}

func TestBannerRefused(t *testing.T) {
	addr, _ := scripted(t, func(c *scriptConn) { c.send("554 5.3.2 no service for you") })
	_, err := Dial(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true})
	e, ok := errorsAs[*Error](err)
	if !ok || e.Command != "greeting" || e.Code != 554 {
		t.Errorf("got %v, want the greeting refused with 554", err)
	}
}

func TestInvalidArgumentsSendNothing(t *testing.T) {
	// The address has no server: any attempt to connect would fail with a
	// ConnError instead of the validation error.
	o := Options{Address: "127.0.0.1:1"}
	for _, env := range []Envelope{
		{From: "a@b.example\r\nRCPT TO:<evil@x.example>", To: []string{"c@d.example"}},
		{From: "a@b.example", To: []string{"c@d.example\n"}},
		{From: "a@b.example", To: []string{"<c@d.example>"}},
		{From: "a@b.example", To: nil},
		{From: "a@b.example", To: []string{"c@d.example"}, DSN: &DSN{Notify: []string{"NEVER", "SUCCESS"}}},
		{From: "a@b.example", To: []string{"c@d.example"}, DSN: &DSN{EnvelopeID: "id\r\n"}},
	} {
		if _, err := Send(ctxT(t), o, env, strings.NewReader(testMsg)); !errors.Is(err, ErrBadAddress) {
			t.Errorf("%+v: got %v, want ErrBadAddress", env, err)
		}
	}
	if _, err := Dial(ctxT(t), Options{Address: "127.0.0.1:1", LocalName: "x\r\nMAIL FROM:<>"}); !errors.Is(err, ErrBadAddress) {
		t.Errorf("CR/LF in the local name: got %v", err)
	}
}

func TestSizeRefusedBeforeSending(t *testing.T) {
	f := startFake(t, false, func(s *smtp.Server) { s.MaxMessageBytes = 1000 })
	c, err := Dial(ctxT(t), fakeOpts(f, TLSStartTLS))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if max, ok := c.MaxSize(); !ok || max != 1000 {
		t.Errorf("MaxSize = %d, %v", max, ok)
	}
	big := "Subject: big\r\n\r\n" + strings.Repeat("x", 70) + "\r\n"
	big += strings.Repeat(big[16:], 20)
	_, err = c.Send(ctxT(t), Envelope{From: "a@b.example", To: []string{"c@d.example"}}, strings.NewReader(big))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if !strings.Contains(err.Error(), "accepts at most 1 KB (1000 octets)") || !strings.Contains(err.Error(), "nothing was sent") {
		t.Errorf("error does not give the sizes: %v", err)
	}
	// The client is still usable, and a small message goes through.
	if _, err := c.Send(ctxT(t), Envelope{From: "a@b.example", To: []string{"c@d.example"}}, strings.NewReader(testMsg)); err != nil {
		t.Fatalf("small message after a refused large one: %v", err)
	}
	if got := f.Backend.messages(); len(got) != 1 || string(got[0].Data) != testMsg {
		t.Errorf("server received %d messages, want only the small one", len(got))
	}
}

func TestEightBitAndUTF8Decisions(t *testing.T) {
	eightBody := "Subject: Grüße\r\n\r\nÀ bientôt\r\n" // 8-bit header and body
	eightBodyOnly := "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n\r\nÀ bientôt\r\n"

	t.Run("8BITMIME missing", func(t *testing.T) {
		addr, lines := scripted(t, func(c *scriptConn) { c.serve([]string{"SIZE 100000"}, nil, nil) })
		_, err := Send(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true},
			Envelope{From: "a@b.example", To: []string{"c@d.example"}}, strings.NewReader(eightBodyOnly))
		if !errors.Is(err, Err8BitMIME) {
			t.Fatalf("got %v, want Err8BitMIME", err)
		}
		for _, l := range transcript(t, lines) {
			if strings.HasPrefix(l, "MAIL") {
				t.Errorf("the client sent %q although the message cannot go", l)
			}
		}
	})
	t.Run("8BITMIME offered", func(t *testing.T) {
		addr, lines := scripted(t, func(c *scriptConn) { c.serve([]string{"8BITMIME", "SIZE 100000"}, nil, nil) })
		res, err := Send(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true},
			Envelope{From: "a@b.example", To: []string{"c@d.example"}}, strings.NewReader(eightBodyOnly))
		if err != nil || !res.EightBit || res.UTF8 {
			t.Fatalf("Send = %+v, %v; want an 8-bit, non-UTF8 send", res, err)
		}
		want := "MAIL FROM:<a@b.example> BODY=8BITMIME SIZE=" + strconv.Itoa(len(eightBodyOnly))
		if tr := transcript(t, lines); !contains(tr, want) {
			t.Errorf("transcript %q lacks %q", tr, want)
		}
	})
	t.Run("SMTPUTF8 missing for the header", func(t *testing.T) {
		addr, _ := scripted(t, func(c *scriptConn) { c.serve([]string{"8BITMIME"}, nil, nil) })
		_, err := Send(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true},
			Envelope{From: "a@b.example", To: []string{"c@d.example"}}, strings.NewReader(eightBody))
		if !errors.Is(err, ErrSMTPUTF8) || !strings.Contains(err.Error(), "the message header has non-ASCII") {
			t.Fatalf("got %v, want ErrSMTPUTF8 for the header", err)
		}
	})
	t.Run("SMTPUTF8 for an address", func(t *testing.T) {
		f := startFake(t, false, func(s *smtp.Server) { s.EnableSMTPUTF8 = true })
		res, err := Send(ctxT(t), fakeOpts(f, TLSStartTLS),
			Envelope{From: "a@b.example", To: []string{"josé@d.example"}}, strings.NewReader(testMsg))
		if err != nil || !res.UTF8 {
			t.Fatalf("Send = %+v, %v", res, err)
		}
		if got := f.Backend.messages(); len(got) != 1 || !got[0].MailOpts.UTF8 || got[0].Rcpts[0] != "josé@d.example" {
			t.Errorf("server received %+v, want SMTPUTF8 and the UTF-8 recipient", got)
		}
	})
	t.Run("DSN not advertised", func(t *testing.T) {
		addr, lines := scripted(t, func(c *scriptConn) { c.serve([]string{"8BITMIME"}, nil, nil) })
		res, err := Send(ctxT(t), Options{Address: addr, TLS: TLSNone, AllowCleartextLogin: true},
			Envelope{From: "a@b.example", To: []string{"c@d.example"}, DSN: &DSN{Return: DSNReturnFull, Notify: []string{DSNNotifySuccess}, EnvelopeID: "x"}},
			strings.NewReader(testMsg))
		if err != nil || res.DSN {
			t.Fatalf("Send = %+v, %v; want sent without DSN", res, err)
		}
		for _, l := range transcript(t, lines) {
			if strings.Contains(l, "RET=") || strings.Contains(l, "NOTIFY=") || strings.Contains(l, "ENVID=") {
				t.Errorf("DSN parameter sent to a server without DSN: %q", l)
			}
		}
	})
}

func TestMessageChecks(t *testing.T) {
	line998 := "Subject: x\r\n\r\n" + strings.Repeat("a", 998) + "\r\n"
	line999 := "Subject: x\r\n\r\n" + strings.Repeat("a", 999) + "\r\n"
	info, _, err := prepare(strings.NewReader(line998))
	if err != nil || info.check() != nil || info.size != int64(len(line998)) {
		t.Errorf("998-octet line: %+v, %v", info, info.check())
	}
	info, _, _ = prepare(strings.NewReader(line999))
	if err := info.check(); !errors.Is(err, ErrBadMessage) || !strings.Contains(err.Error(), "line 3 of the message is 999 octets") {
		t.Errorf("999-octet line: got %v", err)
	}
	info, _, _ = prepare(bytes.NewReader([]byte("Subject: x\r\n\r\na\x00b\r\n")))
	if err := info.check(); !errors.Is(err, ErrBadMessage) || !strings.Contains(err.Error(), "NUL") {
		t.Errorf("NUL byte: got %v", err)
	}
	// Bare LF is counted as CRLF (the dot writer sends it so).
	info, _, _ = prepare(strings.NewReader("Subject: x\n\nbody\n"))
	if info.size != int64(len("Subject: x\r\n\r\nbody\r\n")) || info.eightBody || info.eightHeader {
		t.Errorf("bare LF message: %+v", info)
	}
	// A seekable reader is scanned and rewound, not copied.
	r := bytes.NewReader([]byte(testMsg))
	_, body, _ := prepare(r)
	if body != r {
		t.Error("a seekable message was copied into memory")
	}
}

func TestParseTLSMode(t *testing.T) {
	for in, want := range map[string]TLSMode{"none": TLSNone, "STARTTLS": TLSStartTLS, " implicit ": TLSImplicit} {
		if got, err := ParseTLSMode(in); err != nil || got != want {
			t.Errorf("ParseTLSMode(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseTLSMode("ssl"); err == nil {
		t.Error("ParseTLSMode(ssl) accepted")
	}
	var zero Options
	zero.Address = "h:1"
	if o, _ := zero.withDefaults(); o.TLS != TLSStartTLS {
		t.Errorf("the zero TLS mode is %q, want starttls", o.TLS)
	}
	if cfg := (Options{ServerName: "mail.example", RootCAs: x509.NewCertPool()}).tlsConfig(); cfg.ServerName != "mail.example" || cfg.MinVersion < tls.VersionTLS12 {
		t.Errorf("tlsConfig = %+v", cfg)
	}
}

func contains(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}
