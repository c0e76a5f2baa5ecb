package smtpclient

import (
	"strings"
	"testing"
)

func TestReplyLogReadsGreetingAndEHLO(t *testing.T) {
	var l replyLog
	// go-smtp's debug stream carries both directions, in arbitrary chunks;
	// the client's lines (EHLO, base64 AUTH data) must be skipped.
	stream := "220 mail.tcn.f.eu-admin.net ESMTP Postfix\r\n" +
		"EHLO client.test\r\n" +
		"250-mail.tcn.f.eu-admin.net\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8\r\n" +
		"AUTH PLAIN AG1hcmllAHNlY3JldA==\r\n" +
		"235 2.7.0 Authentication successful\r\n"
	for i := 0; i < len(stream); i += 7 {
		end := min(i+7, len(stream))
		l.Write([]byte(stream[i:end]))
	}
	first, ok := l.First()
	if !ok || first.String() != "220 mail.tcn.f.eu-admin.net ESMTP Postfix" {
		t.Errorf("First = %q, %v", first.String(), ok)
	}
	all := l.All()
	if len(all) != 3 {
		t.Fatalf("replies = %+v, want 3", all)
	}
	caps := capabilities(all[1])
	if strings.Join(caps, "|") != "SIZE 10240000|STARTTLS|AUTH PLAIN LOGIN|SMTPUTF8" {
		t.Errorf("capabilities = %q", caps)
	}
	if last, _ := l.Last(); last.Code != 235 {
		t.Errorf("Last = %+v", last)
	}
}

func TestParseReplyLine(t *testing.T) {
	for _, c := range []struct {
		line string
		code int
		more bool
		text string
		ok   bool
	}{
		{"250 ok", 250, false, "ok", true},
		{"250-PIPELINING", 250, true, "PIPELINING", true},
		{"354", 354, false, "", true},
		{"550 5.1.1 <x@y>: unknown", 550, false, "5.1.1 <x@y>: unknown", true},
		{"EHLO host", 0, false, "", false},
		{"AGZvbwBiYXI=", 0, false, "", false},
		{"199 too low", 0, false, "", false},
		{"260 second digit", 0, false, "", false},
		{"25", 0, false, "", false},
		{"250_x", 0, false, "", false},
		{"123-456", 0, false, "", false},
	} {
		code, more, text, ok := parseReplyLine(c.line)
		if code != c.code || more != c.more || text != c.text || ok != c.ok {
			t.Errorf("parseReplyLine(%q) = %d %v %q %v", c.line, code, more, text, ok)
		}
	}
}

func TestReplyLogBounded(t *testing.T) {
	var l replyLog
	l.Write([]byte(strings.Repeat("x", 10000) + "\r\n250 after a long line\r\n"))
	for i := 0; i < 50; i++ {
		l.Write([]byte("250 again\r\n"))
	}
	if len(l.All()) > maxReplies {
		t.Errorf("kept %d replies, limit %d", len(l.All()), maxReplies)
	}
	if f, _ := l.First(); f.String() != "250 after a long line" {
		t.Errorf("First = %q; the over-long line must be dropped, not glued to the next", f.String())
	}
	if cap(l.partial) > 4*maxPartialBytes {
		t.Errorf("partial-line buffer grew to %d", cap(l.partial))
	}
}

// FuzzReplyLog feeds arbitrary server bytes, split at an arbitrary point,
// to the reply reader: it must not panic, must stay within its limits, and
// every reply it keeps must be a valid code with single-line texts.
func FuzzReplyLog(f *testing.F) {
	f.Add([]byte("220 ready\r\n250-a\r\n250 b\r\n"), 5)
	f.Add([]byte("250-x\n251 y\n"), 0)
	f.Add([]byte("554\r\n"), 2)
	f.Add([]byte(strings.Repeat("2", 3000)+"\r\n"), 1000)
	f.Add([]byte("250-\x00\r\n250 \r\r\n"), 3)
	f.Fuzz(func(t *testing.T, data []byte, split int) {
		var l replyLog
		if split < 0 || split > len(data) {
			split = len(data) / 2
		}
		l.Write(data[:split])
		l.Write(data[split:])
		all := l.All()
		if len(all) > maxReplies {
			t.Fatalf("kept %d replies", len(all))
		}
		for _, r := range all {
			if r.Code < 200 || r.Code > 559 {
				t.Fatalf("reply code %d", r.Code)
			}
			if len(r.Lines) > maxReplyLines {
				t.Fatalf("%d lines in one reply", len(r.Lines))
			}
			for _, line := range r.Lines {
				if strings.ContainsAny(line, "\r\n\x00") || len(line) > maxReplyLine {
					t.Fatalf("reply line %q", line)
				}
			}
			_ = capabilities(r)
		}
		if len(l.partial) > maxPartialBytes {
			t.Fatalf("partial line of %d bytes", len(l.partial))
		}
	})
}

// FuzzEnvelopeCheck: whatever addresses and DSN values a caller passes,
// an envelope that passes check can never smuggle a line break or a control
// character into an SMTP command.
func FuzzEnvelopeCheck(f *testing.F) {
	f.Add("Marie.Curie@tcn.f.eu-admin.net", "Jan.Novak@tcn.cz.eu-admin.net", "env-1", "FAILURE")
	f.Add("a@b\r\nRCPT TO:<c@d>", "x@y", "", "")
	f.Add("", "josé@d.example", "id\x7f", "NEVER")
	f.Fuzz(func(t *testing.T, from, to, envid, notify string) {
		env := Envelope{From: from, To: []string{to}, DSN: &DSN{EnvelopeID: envid, Notify: []string{notify}}}
		if env.check() != nil {
			return
		}
		for _, s := range []string{from, to, envid, notify} {
			for i := 0; i < len(s); i++ {
				if s[i] < 0x20 || s[i] == 0x7f {
					t.Fatalf("accepted a control character in %q", s)
				}
			}
		}
		if strings.ContainsAny(from+to, "<> ") {
			t.Fatalf("accepted an address with brackets or spaces: %q %q", from, to)
		}
	})
}
