package pop3client

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// stuff encodes body as a POP3 multi-line response body (RFC 1939 §3).
func stuff(body []byte) []byte {
	var b bytes.Buffer
	bol := true
	for _, c := range body {
		if bol && c == '.' {
			b.WriteByte('.')
		}
		b.WriteByte(c)
		bol = c == '\n'
	}
	if !bol {
		b.WriteString("\r\n")
	}
	b.WriteString(".\r\n")
	return b.Bytes()
}

func TestDotReaderKeepsBytes(t *testing.T) {
	cases := []struct{ name, wire, want string }{
		{"empty", ".\r\n", ""},
		{"crlf kept", "a\r\nb\r\n.\r\n", "a\r\nb\r\n"},
		{"unstuffed", "..a\r\n...\r\n..\r\n.\r\n", ".a\r\n..\r\n.\r\n"},
		{"dot not at line start", "a.b\r\n a\r\n.\r\n", "a.b\r\n a\r\n"},
		{"8 bit", "\xff\xfe\x00\r\n.\r\n", "\xff\xfe\x00\r\n"},
		{"bare LF quirk", "a\nb\n.\n", "a\nb\n"},
		{"lone CR kept", "a\rb\r\n.\r\n", "a\rb\r\n"},
	}
	for _, tc := range cases {
		for _, size := range []int{16, 4096} {
			br := bufio.NewReaderSize(iotest.OneByteReader(strings.NewReader(tc.wire+"+OK next")), size)
			got, err := io.ReadAll(newDotReader(br))
			if err != nil || string(got) != tc.want {
				t.Errorf("%s (buffer %d): got %q, %v; want %q", tc.name, size, got, err, tc.want)
			}
			// The reader stops exactly after the terminator.
			rest, _ := io.ReadAll(br)
			if string(rest) != "+OK next" {
				t.Errorf("%s: left %q after the body, want the next reply", tc.name, rest)
			}
		}
	}
}

func TestDotReaderTruncatedBody(t *testing.T) {
	for _, wire := range []string{"", "abc", "abc\r\n", "abc\r\n.", "abc\r\n.\r", "..x"} {
		br := bufio.NewReader(strings.NewReader(wire))
		_, err := io.ReadAll(newDotReader(br))
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%q: err = %v, want io.ErrUnexpectedEOF", wire, err)
		}
	}
}

func TestParseStatus(t *testing.T) {
	cases := []struct {
		line       string
		ok         bool
		code, text string
		bad        bool
	}{
		{"+OK", true, "", "", false},
		{"+OK 2 320", true, "", "2 320", false},
		{"-ERR [IN-USE] locked", false, "IN-USE", "locked", false},
		{"-ERR [SYS/TEMP] try later", false, "SYS/TEMP", "try later", false},
		{"-ERR [auth] no", false, "AUTH", "no", false},
		{"-ERR [not a code] x", false, "", "[not a code] x", false},
		{"-ERR no such message", false, "", "no such message", false},
		{"+OKAY", false, "", "", true},
		{"* OK imap", false, "", "", true},
		{"", false, "", "", true},
	}
	for _, tc := range cases {
		ok, code, text, err := parseStatus(tc.line)
		if (err != nil) != tc.bad || ok != tc.ok || code != tc.code || text != tc.text {
			t.Errorf("parseStatus(%q) = %v %q %q %v", tc.line, ok, code, text, err)
		}
	}
}

func TestReadLineBounded(t *testing.T) {
	br := bufio.NewReaderSize(strings.NewReader(strings.Repeat("x", 70000)+"\r\n"), 4096)
	if _, err := readLine(br); !errors.Is(err, ErrProtocol) {
		t.Errorf("an endless line: %v, want ErrProtocol", err)
	}
}

// FuzzResponseReader feeds arbitrary server bytes to the status parser, the
// listing reader and the dot reader: none may panic or return more than it
// read, and any body that a server stuffs correctly comes back unchanged.
func FuzzResponseReader(f *testing.F) {
	for _, s := range []string{
		"+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n",
		"-ERR [SYS/TEMP] later\r\n",
		"+OK\r\n..leading\r\n.\r\n",
		"+OK\r\nno terminator\r\n",
		"+OK\n.\n",
		".\r\n",
		"..\r\n.\r",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Arbitrary input: status line, then listing, then a body.
		br := bufio.NewReaderSize(bytes.NewReader(data), 16)
		if line, err := readLine(br); err == nil {
			_, _, _, _ = parseStatus(line)
		}
		_, _ = readDotLines(br, 100)
		body, _ := io.ReadAll(iotest.HalfReader(newDotReader(br)))
		if len(body) > len(data) {
			t.Fatalf("dot reader returned %d octets from %d", len(body), len(data))
		}

		// Round trip: a stuffed body comes back byte for byte.
		want := data
		if len(want) > 0 && want[len(want)-1] != '\n' {
			want = append(append([]byte{}, want...), '\r', '\n')
		}
		wire := append(stuff(data), "+OK"...)
		for _, size := range []int{16, 64 << 10} {
			br := bufio.NewReaderSize(bytes.NewReader(wire), size)
			got, err := io.ReadAll(newDotReader(br))
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("round trip (buffer %d): got %q, %v; want %q", size, got, err, want)
			}
			if rest, _ := io.ReadAll(br); string(rest) != "+OK" {
				t.Fatalf("round trip left %q", rest)
			}
		}
	})
}

func BenchmarkDotReader(b *testing.B) {
	line := strings.Repeat("ABCDEFGHIJ", 7) + "ABCDEF\r\n"
	body := []byte(strings.Repeat(line, 5<<20/len(line)))
	wire := stuff(body)
	b.SetBytes(int64(len(body)))
	buf := make([]byte, 32<<10)
	for b.Loop() {
		br := bufio.NewReaderSize(bytes.NewReader(wire), 64<<10)
		d := newDotReader(br)
		for {
			_, err := d.Read(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
