package roundtrip

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"securemail/pop3client"
	"securemail/smime"
	"securemail/smime/envelope"
	"securemail/smime/identity"
	"securemail/smtpclient"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

const (
	marie = "Marie.Curie@tcn.f.eu-admin.net"
	jan   = "Jan.Novak@tcn.cz.eu-admin.net"
	anna  = "Anna.Svensson@tcn.s.eu-admin.net"
	// Refused by Postfix's check_recipient_access map.
	refused = "Pierre.Refus@tcn.f.eu-admin.net"
	busy    = "Karl.Busy@tcn.d.eu-admin.net"
)

// peers is a Dovecot with a SASL socket and a Postfix delivering into its
// Maildirs, both stopped when the test ends.
type peers struct {
	dc *testenv.Dovecot
	pf *testenv.Postfix
}

func startPeers(t *testing.T) peers {
	t.Helper()
	dc := testenv.StartDovecot(t, testenv.DovecotOptions{
		Users:      map[string]string{"marie": "marie-pw", "jan": "jan-pw", "anna": "anna-pw"},
		AuthSocket: true,
	})
	pf := testenv.StartPostfix(t, testenv.PostfixOptions{
		Users: map[string]string{
			marie: dc.Maildir("marie"),
			jan:   dc.Maildir("jan"),
			anna:  dc.Maildir("anna"),
		},
		MailUID:    dc.MailUID,
		MailGID:    dc.MailGID,
		AuthSocket: dc.AuthSocket,
		Refuse: map[string]string{
			refused: "550 5.1.1 no such person here",
			busy:    "450 4.2.1 mailbox busy, try later",
		},
	})
	return peers{dc: dc, pf: pf}
}

func (p peers) submission(user, password string) smtpclient.Options {
	return smtpclient.Options{
		Address:   p.pf.Submission,
		TLS:       smtpclient.TLSStartTLS,
		RootCAs:   p.pf.CAPool,
		Username:  user,
		Password:  password,
		LocalName: "client.tcn.cz.eu-admin.net",
	}
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// header builds the header every test message starts with. The Date is
// now: a signature made long after the message's Date is judged invalid.
func header(id, subject string, extra ...string) string {
	h := "Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		"From: Jan Novak <" + jan + ">\r\n" +
		"To: Marie Curie <" + marie + ">\r\n" +
		"Subject: " + subject + "\r\n" +
		"Message-ID: <" + id + "@tcn.cz.eu-admin.net>\r\n" +
		"MIME-Version: 1.0\r\n"
	for _, e := range extra {
		h += e + "\r\n"
	}
	return h + "\r\n"
}

// testMessages returns the messages of the acceptance list, keyed by their
// Message-ID's local part.
func testMessages(t *testing.T) (map[string][]byte, *identity.Identity, []*x509.Certificate) {
	t.Helper()
	msgs := map[string][]byte{}

	msgs["dots"] = []byte(header("dots", "Lines starting with a dot", "Content-Type: text/plain; charset=us-ascii") +
		".leading dot\r\n..two dots\r\n.\r\nThe line above is a single dot; SMTP and POP3 must stuff and unstuff it.\r\n. space\r\n")

	long := strings.Repeat("0123456789", 99) + "abcdefgh" // 998 octets
	if len(long) != 998 {
		t.Fatalf("long line is %d octets", len(long))
	}
	msgs["long"] = []byte(header("long", "A line of 998 octets", "Content-Type: text/plain; charset=us-ascii") + long + "\r\nend\r\n")

	msgs["8bit"] = []byte(header("8bit", "8-bit text", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit") +
		"Grüße aus Zürich, à bientôt, Ελληνικά, Český, ÆØÅ.\r\n\xe2\x82\xac 42\r\n")

	att := make([]byte, 10<<20)
	if _, err := rand.Read(att); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(header("attachment", "A 10 MB attachment", `Content-Type: multipart/mixed; boundary="b1"`))
	b.WriteString("--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThe card file is attached.\r\n")
	b.WriteString("--b1\r\nContent-Type: application/octet-stream; name=\"card.bin\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"card.bin\"\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(att)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--b1--\r\n")
	msgs["attachment"] = []byte(b.String())

	// S/MIME: signed by Jan, encrypted for Marie (and Jan's Sent copy).
	ca, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	janID, err := ca.Issue(testca.IssueOptions{Email: jan, Key: testca.P256})
	if err != nil {
		t.Fatal(err)
	}
	marieID, err := ca.Issue(testca.IssueOptions{Email: marie})
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(header("smime", "Signed and encrypted", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit") +
		"Dossier 42: the card data, for your eyes only. Grüße.\r\n")
	signed, err := smime.SignMessage(plain, &identity.Identity{PrivateKey: janID.PrivateKey, Certificate: janID.Certificate, Chain: janID.Chain}, smime.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := smime.EncryptMessage(signed, []*x509.Certificate{marieID.Certificate, janID.Certificate}, smime.EncryptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	msgs["smime"] = sealed
	marieKey := &identity.Identity{PrivateKey: marieID.PrivateKey, Certificate: marieID.Certificate}
	return msgs, marieKey, []*x509.Certificate{ca.Root}
}

// traceFields are the header fields Postfix prepends on delivery.
var traceFields = map[string]bool{"return-path": true, "x-original-to": true, "delivered-to": true, "received": true}

// stripTrace removes the trace header fields at the top of a delivered
// message and returns them and the rest, untouched.
func stripTrace(msg []byte) (trace, rest []byte) {
	p := 0
	for p < len(msg) {
		colon := bytes.IndexByte(msg[p:], ':')
		eol := bytes.Index(msg[p:], []byte("\r\n"))
		if colon < 0 || eol < 0 || colon > eol || !traceFields[strings.ToLower(string(msg[p:p+colon]))] {
			break
		}
		p += eol + 2
		for p < len(msg) && (msg[p] == ' ' || msg[p] == '\t') { // folded continuation lines
			eol = bytes.Index(msg[p:], []byte("\r\n"))
			if eol < 0 {
				break
			}
			p += eol + 2
		}
	}
	return msg[:p], msg[p:]
}

var messageIDRe = regexp.MustCompile(`(?m)^Message-ID: <([a-z0-9]+)@tcn\.cz\.eu-admin\.net>\r$`)

// fetchAll logs in to Dovecot over STLS and returns every message, keyed
// by the local part of its Message-ID.
func fetchAll(t *testing.T, p peers, user, password string) map[string][]byte {
	t.Helper()
	ctx := ctxFor(t, 2*time.Minute)
	c, err := pop3client.Dial(ctx, pop3client.Options{Address: p.dc.POP3, TLS: pop3client.TLSStartTLS, RootCAs: p.dc.CAPool})
	if err != nil {
		t.Fatalf("POP3 connect: %v", err)
	}
	defer c.Close()
	if err := c.Login(ctx, user, password); err != nil {
		t.Fatalf("POP3 login: %v", err)
	}
	list, err := c.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, m := range list {
		data, err := c.RetrBytes(ctx, m.Num)
		if err != nil {
			t.Fatalf("RETR %d: %v", m.Num, err)
		}
		id := "?"
		if sm := messageIDRe.FindSubmatch(data); sm != nil {
			id = string(sm[1])
		}
		if _, dup := out[id]; dup {
			t.Errorf("two messages with Message-ID %s", id)
		}
		out[id] = data
	}
	if err := c.Quit(ctx); err != nil {
		t.Errorf("POP3 QUIT: %v", err)
	}
	return out
}

func TestPostfixToDovecotRoundTrip(t *testing.T) {
	p := startPeers(t)
	msgs, marieKey, roots := testMessages(t)
	order := []string{"dots", "long", "8bit", "attachment", "smime"}

	// Every message on one authenticated STARTTLS connection.
	ctx := ctxFor(t, 3*time.Minute)
	c, err := smtpclient.Dial(ctx, p.submission("jan", "jan-pw"))
	if err != nil {
		t.Fatalf("submission to Postfix: %v", err)
	}
	defer c.Close()
	if st, ok := c.TLSState(); !ok || !c.Authenticated() {
		t.Fatalf("TLS %v (%v), authenticated %v", st.Version, ok, c.Authenticated())
	}
	for _, id := range order {
		start := time.Now()
		res, err := c.Send(ctx, smtpclient.Envelope{From: jan, To: []string{marie}}, bytes.NewReader(msgs[id]))
		if err != nil {
			t.Fatalf("sending %s: %v", id, err)
		}
		if len(res.Accepted) != 1 || !strings.Contains(res.Reply, "queued as") {
			t.Errorf("%s: result %+v", id, res)
		}
		if id == "8bit" && !res.EightBit {
			t.Errorf("the 8-bit message was not sent as 8BITMIME")
		}
		t.Logf("%-10s %9d octets submitted in %v (%s)", id, len(msgs[id]), time.Since(start).Round(time.Millisecond), res.Reply)
	}
	if err := c.Quit(ctx); err != nil {
		t.Errorf("QUIT: %v", err)
	}

	p.pf.WaitMaildir(t, p.dc.Maildir("marie"), len(order), time.Minute)
	start := time.Now()
	got := fetchAll(t, p, "marie", "marie-pw")
	t.Logf("fetched %d messages over POP3 (STLS) in %v", len(got), time.Since(start).Round(time.Millisecond))
	for _, id := range order {
		data, ok := got[id]
		if !ok {
			t.Errorf("%s: not in Marie's mailbox (got %d messages)", id, len(got))
			continue
		}
		trace, rest := stripTrace(data)
		if !bytes.Equal(rest, msgs[id]) {
			i := 0
			for i < len(rest) && i < len(msgs[id]) && rest[i] == msgs[id][i] {
				i++
			}
			t.Errorf("%s: fetched message differs from the sent one at octet %d of %d (got %d octets after %d of trace header)\nsent: %q\ngot:  %q",
				id, i, len(msgs[id]), len(rest), len(trace), window(msgs[id], i), window(rest, i))
			continue
		}
		// Postfix's Received line proves authenticated submission over TLS.
		if !bytes.Contains(trace, []byte("with ESMTPSA")) || !bytes.Contains(bytes.ToLower(trace), []byte("delivered-to: "+strings.ToLower(marie))) {
			t.Errorf("%s: trace header lacks ESMTPSA or Delivered-To:\n%s", id, trace)
		}
	}

	// The S/MIME message still opens, and its signature still verifies.
	if data, ok := got["smime"]; ok {
		_, rest := stripTrace(data)
		rep, err := smime.Open(rest, smime.OpenOptions{
			Keys:  []envelope.Key{{Certificate: marieKey.Certificate, PrivateKey: marieKey.PrivateKey}},
			Roots: roots,
		})
		if err != nil || !rep.Encrypted || rep.Signature != "valid" || !strings.Contains(rep.Text, "Dossier 42") {
			t.Errorf("S/MIME message after the round trip: err %v, encrypted %v, signature %q, text %q", err, rep != nil && rep.Encrypted, sigOf(rep), textOf(rep))
		}
	}

	t.Run("one recipient of three refused", func(t *testing.T) {
		msg := []byte(header("three", "To three, one refused"))
		msg = append(msg, "Hello all.\r\n"...)
		dsn := &smtpclient.DSN{Return: smtpclient.DSNReturnHeaders, Notify: []string{smtpclient.DSNNotifyFailure, smtpclient.DSNNotifyDelay}, EnvelopeID: "three-42"}
		res, err := smtpclient.Send(ctxFor(t, time.Minute), p.submission("jan", "jan-pw"),
			smtpclient.Envelope{From: jan, To: []string{marie, refused, anna}, DSN: dsn}, bytes.NewReader(msg))
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		if !res.DSN {
			t.Error("DSN parameters were not sent although Postfix advertises DSN")
		}
		if strings.Join(res.Accepted, ",") != marie+","+anna || len(res.Refused) != 1 {
			t.Fatalf("result %+v, want Marie and Anna accepted, one refused", res)
		}
		r := res.Refused[0]
		if r.Recipient != refused || r.Err.Code != 550 || r.Temporary() || r.Err.EnhancedCode != (smtpclient.EnhancedCode{5, 1, 1}) {
			t.Errorf("refusal %+v, want a permanent 550 5.1.1 for %s", r.Err, refused)
		}
		if !strings.Contains(r.Error(), "no such person here") {
			t.Errorf("refusal does not carry Postfix's text: %v", r)
		}
		// Both accepted recipients got it (Marie's mailbox already had 5).
		p.pf.WaitMaildir(t, p.dc.Maildir("marie"), len(order)+1, time.Minute)
		p.pf.WaitMaildir(t, p.dc.Maildir("anna"), 1, time.Minute)
		if got := fetchAll(t, p, "anna", "anna-pw"); len(got) != 1 {
			t.Errorf("Anna has %d messages, want 1", len(got))
		} else if _, rest := stripTrace(got["three"]); !bytes.Equal(rest, msg) {
			t.Errorf("Anna's copy differs: %q", rest)
		}
	})

	t.Run("4xx versus 5xx", func(t *testing.T) {
		msg := []byte(header("busy", "To a busy mailbox") + "Hello.\r\n")
		_, err := smtpclient.Send(ctxFor(t, time.Minute), p.submission("jan", "jan-pw"),
			smtpclient.Envelope{From: jan, To: []string{busy}}, bytes.NewReader(msg))
		var e *smtpclient.Error
		if !errors.Is(err, smtpclient.ErrAllRefused) || !errors.As(err, &e) || !e.Temporary() || e.Code != 450 {
			t.Errorf("only a busy recipient: got %v, want every recipient refused, temporarily (450)", err)
		}
		_, err = smtpclient.Send(ctxFor(t, time.Minute), p.submission("jan", "jan-pw"),
			smtpclient.Envelope{From: jan, To: []string{"Nobody.Here@tcn.f.eu-admin.net"}}, bytes.NewReader(msg))
		if !errors.As(err, &e) || e.Temporary() || e.Code != 550 {
			t.Errorf("unknown user: got %v, want a permanent 550", err)
		}
	})

	t.Run("untrusted certificate", func(t *testing.T) {
		o := p.submission("jan", "jan-pw")
		o.RootCAs = p.dc.CAPool // Dovecot's CA did not issue Postfix's certificate
		_, err := smtpclient.Dial(ctxFor(t, time.Minute), o)
		if !smtpclient.IsCertificateError(err) || !strings.Contains(err.Error(), "not trusted for 127.0.0.1") {
			t.Errorf("got %v, want the certificate not trusted for 127.0.0.1", err)
		}
	})

	// Last: Dovecot delays further logins from an address after a failure.
	t.Run("wrong password", func(t *testing.T) {
		start := time.Now()
		_, err := smtpclient.Dial(ctxFor(t, time.Minute), p.submission("jan", "not-the-password"))
		var e *smtpclient.Error
		if !errors.As(err, &e) || e.Command != "AUTH" || e.Code != 535 {
			t.Fatalf("got %v, want AUTH refused with 535", err)
		}
		if !strings.Contains(err.Error(), "authentication failed") {
			t.Errorf("sentence: %v", err)
		}
		t.Logf("wrong password refused in %v", time.Since(start).Round(time.Millisecond))
	})
}

// TestSizeRefusedBeforeSending uses a Postfix with a small
// message_size_limit: the client must refuse before MAIL FROM, which
// Postfix's own log proves (its disconnect line counts no MAIL command).
func TestSizeRefusedBeforeSending(t *testing.T) {
	dir := t.TempDir()
	pf := testenv.StartPostfix(t, testenv.PostfixOptions{
		Users:            map[string]string{marie: dir + "/marie/Maildir"},
		MessageSizeLimit: 100_000,
	})
	msg := []byte(header("big", "Too big") + strings.Repeat(strings.Repeat("x", 76)+"\r\n", 2000))
	o := smtpclient.Options{Address: pf.Submission, RootCAs: pf.CAPool}
	c, err := smtpclient.Dial(ctxFor(t, time.Minute), o)
	if err != nil {
		t.Fatal(err)
	}
	if max, ok := c.MaxSize(); !ok || max != 100_000 {
		t.Errorf("Postfix's SIZE = %d, %v; want 100000", max, ok)
	}
	_, err = c.Send(ctxFor(t, time.Minute), smtpclient.Envelope{From: jan, To: []string{marie}}, bytes.NewReader(msg))
	if !errors.Is(err, smtpclient.ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if want := fmt.Sprintf("but %s accepts at most 100 KB (100000 octets)", pf.Submission); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	if err := c.Quit(ctxFor(t, time.Minute)); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, time.Minute, func() error {
		if l := pf.Log(); !strings.Contains(l, "disconnect from") {
			return fmt.Errorf("Postfix logged no disconnect:\n%s", l)
		}
		return nil
	})
	for _, line := range strings.Split(pf.Log(), "\n") {
		if strings.Contains(line, "disconnect from") && strings.Contains(line, " mail=") {
			t.Errorf("the client sent MAIL FROM although the message is too large: %s", line)
		}
	}
	if entries, _ := os.ReadDir(dir + "/marie/Maildir/new"); len(entries) != 0 {
		t.Errorf("%d messages delivered", len(entries))
	}
}

func window(b []byte, i int) []byte {
	lo, hi := max(0, i-40), min(len(b), i+40)
	return b[lo:hi]
}

func sigOf(r *smime.Report) string {
	if r == nil {
		return ""
	}
	return r.Signature
}

func textOf(r *smime.Report) string {
	if r == nil {
		return ""
	}
	return r.Text
}
