package mailheader

import (
	"strings"
	"testing"
)

func TestSplitLineRules(t *testing.T) {
	for _, tc := range []struct {
		name, raw       string
		from, subject   string
		problem         Problem
		body            string
		fields, skipped int
	}{
		{name: "CRLF", raw: "From: a@x.eu\r\nSubject: hi\r\n\r\nbody", from: "a@x.eu", subject: "hi", body: "body", fields: 2},
		{name: "bare LF is a line end", raw: "From: a@x.eu\nSubject: hi\n\nbody", from: "a@x.eu", subject: "hi", body: "body", fields: 2},
		{name: "bare CR is not a line end", raw: "Subject: hi\rFrom: v@x.eu\r\nFrom: a@x.eu\r\n\r\n", from: "a@x.eu", subject: "hi\rFrom: v@x.eu", fields: 2},
		{name: "bare CR inside From", raw: "From: v@x.eu\rX: a@x.eu\r\n\r\n", problem: FromUnparsable, fields: 1},
		{name: "CR CR LF is not an empty line", raw: "From: a@x.eu\r\n\r\r\nSubject: hi\r\n\r\nb", from: "a@x.eu", subject: "hi", body: "b", fields: 2, skipped: 1},
		{name: "folding", raw: "Subject: one\r\n two\r\n\tthree\r\nFrom: a@x.eu\r\n\r\n", from: "a@x.eu", subject: "one two\tthree", fields: 2},
		{name: "obsolete folding: white space line", raw: "Subject: one\r\n \r\n two\r\nFrom: a@x.eu\r\n\r\n", from: "a@x.eu", subject: "one  two", fields: 2},
		{name: "obsolete white space before colon", raw: "From : a@x.eu\r\nSubject\t: hi\r\n\r\n", from: "a@x.eu", subject: "hi", fields: 2},
		{name: "NUL in a name skips the line", raw: "From: a@x.eu\r\nFr\x00om: v@x.eu\r\n\r\n", from: "a@x.eu", fields: 1, skipped: 1},
		{name: "NUL in the From value", raw: "From: a@x.eu\x00\r\n\r\n", problem: FromUnparsable, fields: 1},
		{name: "first Subject wins", raw: "Subject: first\r\nSubject: second\r\nFrom: a@x.eu\r\n\r\n", from: "a@x.eu", subject: "first", fields: 3},
		{name: "duplicate From", raw: "From: a@x.eu\r\nFrom: v@x.eu\r\n\r\n", problem: FromDuplicate, fields: 2},
		{name: "no header", raw: "Hello world\r\nFrom: a@x.eu\r\n", problem: FromMissing, body: "Hello world\r\nFrom: a@x.eu\r\n"},
		{name: "mbox line is no header", raw: "From a@x.eu Mon Jan 1\r\nFrom: v@x.eu\r\n\r\n", problem: FromMissing, body: "From a@x.eu Mon Jan 1\r\nFrom: v@x.eu\r\n\r\n"},
		{name: "continuation after a skipped line is skipped", raw: "From: a@x.eu\r\nnot a field\r\n v@x.eu\r\n\r\n", from: "a@x.eu", fields: 1, skipped: 2},
		{name: "Sender never stands in", raw: "Sender: v@x.eu\r\nReply-To: v@x.eu\r\nReturn-Path: <v@x.eu>\r\n\r\n", problem: FromMissing, fields: 3},
		{name: "empty", raw: "From:\r\n\r\n", problem: FromEmpty, fields: 1},
		{name: "null", raw: "From: < >\r\n\r\n", problem: FromEmpty, fields: 1},
		{name: "several", raw: "From: a@x.eu, v@x.eu\r\n\r\n", problem: FromSeveral, fields: 1},
		{name: "group", raw: "From: team: a@x.eu;\r\n\r\n", problem: FromGroup, fields: 1},
		{name: "empty group", raw: "From: undisclosed-recipients:;\r\n\r\n", problem: FromGroup, fields: 1},
		{name: "colon in quoted name is no group", raw: "From: \"Re: Jan\" <a@x.eu>\r\n\r\n", from: "a@x.eu", fields: 1},
		{name: "unparsable", raw: "From: Jan <a@x.eu\r\n\r\n", problem: FromUnparsable, fields: 1},
		{name: "8-bit Latin-1 name", raw: "From: J\xe9r\xf4me <a@x.eu>\r\n\r\n", from: "a@x.eu", fields: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, _, body := Split([]byte(tc.raw))
			f := h.From()
			if f.Problem != tc.problem || f.Address() != tc.from {
				t.Errorf("From = %q problem %q; want %q problem %q", f.Address(), f.Problem, tc.from, tc.problem)
			}
			if got := h.Get("Subject"); got != tc.subject {
				t.Errorf("Subject = %q, want %q", got, tc.subject)
			}
			if string(body) != tc.body {
				t.Errorf("body = %q, want %q", body, tc.body)
			}
			if len(h.Fields) != tc.fields || h.Skipped != tc.skipped {
				t.Errorf("%d fields, %d skipped; want %d, %d", len(h.Fields), h.Skipped, tc.fields, tc.skipped)
			}
		})
	}
}

func TestFieldRawIsExact(t *testing.T) {
	raw := "Content-Type: text/plain;\r\n charset=utf-8\r\nX: y\r\n\r\n"
	h, header, _ := Split([]byte(raw))
	if string(h.Fields[0].Raw) != "Content-Type: text/plain;\r\n charset=utf-8\r\n" || string(header) != raw[:len(raw)-2] {
		t.Fatalf("raw %q header %q", h.Fields[0].Raw, header)
	}
}

func TestEqualAddress(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Jan.Peeters@tcn.b.eu-admin.net", "jan.peeters@TCN.B.EU-ADMIN.NET", true},
		{" jan@x.eu ", "jan@x.eu", true},
		{"\u212Aarl@x.eu", "karl@x.eu", false},      // Kelvin sign: EqualFold says equal
		{"\u212Aarl@x.eu", "Karl@x.eu", false},      // and NFC maps it to K: kept apart
		{"\u017Fam@x.eu", "sam@x.eu", false},        // long s: EqualFold says equal
		{"ren\u00e9@x.eu", "rene\u0301@x.eu", true}, // NFC: é precomposed = e + combining acute
		{"ren\u00e9@x.eu", "REN\u00c9@x.eu", false}, // non-ASCII is compared exactly
		{"", "", false},
	} {
		if got := EqualAddress(tc.a, tc.b); got != tc.want {
			t.Errorf("EqualAddress(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestShown(t *testing.T) {
	const eve, jan = "eve@x.eu", "jan@x.eu"
	for _, tc := range []struct {
		from, certified, certName string
		want                      string
		text                      string
		marks                     SenderMark
	}{
		{"Eve <eve@x.eu>", "", "", "Eve <eve@x.eu>", "Eve <eve@x.eu>", 0},
		{`"jan@x.eu" <eve@x.eu>`, "", "", "jan@x.eu <eve@x.eu> — " + FlagOtherAddress, "jan@x.eu <eve@x.eu>", MarkOtherAddress},
		{"=?utf-8?q?jan=40x.eu?= <eve@x.eu>", "", "", "jan@x.eu <eve@x.eu> — " + FlagOtherAddress, "jan@x.eu <eve@x.eu>", MarkOtherAddress},
		{"eve@x.eu (jan@x.eu)", "", "", "jan@x.eu <eve@x.eu> — " + FlagOtherAddress, "jan@x.eu <eve@x.eu>", MarkOtherAddress},
		{"Jan <jan@x.eu>", eve, "Eve Kask", "Eve Kask <eve@x.eu> — " + FlagOtherAddress, "Eve Kask <eve@x.eu>", MarkOtherAddress},
		{"Eve <eve@x.eu>", eve, "Eve Kask", "Eve Kask <eve@x.eu>", "Eve Kask <eve@x.eu>", 0},
		{"Eve <eve@x.eu>", eve, "", eve, eve, 0},
		{"{{.Sender}} <eve@x.eu>", "", "", "{{.Sender}} <eve@x.eu>", "{{.Sender}} <eve@x.eu>", 0},
	} {
		f := ParseFrom(tc.from)
		got := Shown(f, tc.certified, tc.certName)
		if got.String() != tc.want || got.Text != tc.text || got.Marks != tc.marks {
			t.Errorf("Shown(%q, %q) = %q %+v, want %q (text %q, marks %b)", tc.from, tc.certified, got, got, tc.want, tc.text, tc.marks)
		}
	}
	if got := Shown(Parse([]byte("Sender: "+jan+"\r\n\r\n")).From(), "", "").String(); strings.Contains(got, jan) {
		t.Errorf("a message without From is shown as from %q", got)
	}
}

// The hostile shapes of a From field keep the English the command line has always shown, with their marks
// as data beside the sender's words.
func TestShownHostileShapes(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   string
		text   string
		marks  SenderMark
	}{
		{"Subject: x\r\n", "(no From field)", "", MarkNoFrom},
		{"From: \r\n", "(empty From field)", "", MarkEmptyFrom},
		{"From: <>\r\n", "(empty From field)", "", MarkEmptyFrom},
		{"From: a@x.eu\r\nFrom: b@x.eu\r\n", "a@x.eu — one of several From fields", "a@x.eu", MarkSeveralFields},
		{"From: \"b@x.eu\" <a@x.eu>\r\nFrom: c@x.eu\r\n", "b@x.eu <a@x.eu> — one of several From fields — " + FlagOtherAddress,
			"b@x.eu <a@x.eu>", MarkSeveralFields | MarkOtherAddress},
		{"From: team: a@x.eu, b@x.eu;\r\n", "team: a@x.eu, b@x.eu; — not a readable sender address", "team: a@x.eu, b@x.eu;", MarkUnreadable},
		{"From: broken <<not an address\r\n", "broken <<not an address — not a readable sender address", "broken <<not an address", MarkUnreadable},
		{"From: a@x.eu, b@x.eu\r\n", "a@x.eu, b@x.eu", "a@x.eu, b@x.eu", 0},
	} {
		got := Shown(Parse([]byte(tc.header+"\r\n")).From(), "", "")
		if got.String() != tc.want || got.Text != tc.text || got.Marks != tc.marks {
			t.Errorf("%q: shown %q %+v, want %q (text %q, marks %b)", tc.header, got, got, tc.want, tc.text, tc.marks)
		}
	}
	if p := (Sender{Text: "x", Marks: MarkOtherAddress}).Phrase(); p.Key != "sender.mark.otheraddress" || p.String() != "x — "+FlagOtherAddress {
		t.Errorf("the other-address mark is %+v", p)
	}
}

// FuzzSplit: any bytes split without panicking; the header and the body are the input's own bytes, in order, and
// every field is a part of the header that starts with its name.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"From: a@x.eu\r\n\r\nb", "Subject: x\rFrom: v@x.eu\r\n\r\n", "From : a\n \n\tb\n\n", "x", "\r\n", "From: =?utf-8?q?a=40b?= <c@d>, (e@f) g@h\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		h, header, body := Split(raw)
		if len(header) > len(raw) || len(body) > len(raw) || !strings.HasPrefix(string(raw), string(header)) || !strings.HasSuffix(string(raw), string(body)) {
			t.Fatalf("header %q body %q are not parts of %q", header, body, raw)
		}
		for _, fl := range h.Fields {
			if !strings.Contains(string(header), string(fl.Raw)) || !strings.HasPrefix(string(fl.Raw), fl.Name) {
				t.Fatalf("field %q (%q) is not in the header", fl.Raw, fl.Name)
			}
			_ = fl.Value()
		}
		fr := h.From()
		_ = Shown(fr, "", "")
		_ = Shown(fr, "a@x.eu", "A")
		if fr.Problem == FromOK && fr.Address() == "" {
			t.Fatal("a From without problem has no address")
		}
	})
}

// TestProblemPhrase: every From problem has its sentence as a phrase with a
// key of its own, whose English is the sentence the verdicts quote.
func TestProblemPhrase(t *testing.T) {
	keys := map[string]bool{}
	for _, p := range []Problem{FromMissing, FromEmpty, FromSeveral, FromGroup, FromDuplicate, FromUnparsable} {
		ph := p.Phrase()
		if ph.Key == "" || keys[ph.Key] || p.Sentence() == "" || ph.String() != p.Sentence() {
			t.Errorf("%q: phrase %q %q, sentence %q", p, ph.Key, ph.String(), p.Sentence())
		}
		keys[ph.Key] = true
	}
	if !FromOK.Phrase().IsZero() || FromOK.Sentence() != "" {
		t.Error("a From without a problem has a sentence")
	}
}
