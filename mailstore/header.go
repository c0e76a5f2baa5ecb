package mailstore

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// maxHeaderBytes bounds the header block; anything after it is treated as body.
const maxHeaderBytes = 1 << 20

// field is one header field, unfolded, its value still raw (undecoded).
type field struct {
	Key, Value string
}

// splitHeader separates the header block from the body and parses the fields leniently: lines that are
// neither "Name: value" nor a continuation are skipped with a note, bare LF line ends are accepted, and a
// leading mbox "From " line is ignored. It never fails: the worst input yields no fields and a note.
func splitHeader(raw []byte) (fields []field, body []byte, notes []string) {
	rest := raw
	skipped := 0
	for len(rest) > 0 {
		consumed := len(raw) - len(rest)
		if consumed > maxHeaderBytes {
			notes = append(notes, "header block longer than 1 MB; the rest is treated as body")
			return fields, rest, notes
		}
		line, next, _ := bytes.Cut(rest, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(line) == 0 { // the blank line ending the header
			if skipped > 0 {
				notes = append(notes, fmt.Sprintf("%d malformed header line(s) skipped", skipped))
			}
			if len(fields) == 0 {
				notes = append(notes, "no header found")
			}
			return fields, next, notes
		}
		switch {
		case line[0] == ' ' || line[0] == '\t':
			if len(fields) > 0 {
				fields[len(fields)-1].Value += " " + string(bytes.TrimSpace(line))
			} else {
				skipped++
			}
		case consumed == 0 && bytes.HasPrefix(line, []byte("From ")):
			// mbox separator line, not part of the message header
		default:
			k, v, ok := bytes.Cut(line, []byte{':'})
			if !ok || len(k) == 0 || !validKey(k) {
				skipped++
				break
			}
			fields = append(fields, field{Key: string(k), Value: string(bytes.TrimSpace(v))})
		}
		rest = next
	}
	if skipped > 0 {
		notes = append(notes, fmt.Sprintf("%d malformed header line(s) skipped", skipped))
	}
	if len(fields) == 0 {
		notes = append(notes, "no header found")
	} else {
		notes = append(notes, "no blank line after the header")
	}
	return fields, nil, notes
}

func validKey(k []byte) bool {
	for _, c := range k {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// get returns the first value of the named field, or "".
func get(fields []field, key string) string {
	for _, f := range fields {
		if strings.EqualFold(f.Key, key) {
			return f.Value
		}
	}
	return ""
}

// all returns every value of the named field.
func all(fields []field, key string) []string {
	var vs []string
	for _, f := range fields {
		if strings.EqualFold(f.Key, key) {
			vs = append(vs, f.Value)
		}
	}
	return vs
}

// wordDecoder decodes RFC 2047 encoded words in any charset go-message's charset package knows.
func wordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: charset.Reader}
}

// toUTF8 returns s as valid UTF-8: raw 8-bit header bytes that are not UTF-8 (RFC 6532 allows UTF-8 only) are
// taken as Windows-1252, the usual culprit.
func toUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil && utf8.ValidString(d) {
		return d
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// decodeText decodes an unstructured field (Subject): encoded words, then anything left to UTF-8. An encoded
// word in an unknown charset is kept as it is.
func decodeText(v string) string {
	d, err := wordDecoder().DecodeHeader(v)
	if err != nil {
		d = v
	}
	return cleanSpace(toUTF8(d))
}

// cleanSpace replaces control characters (tabs, stray CR/LF, NUL) by spaces and trims.
func cleanSpace(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s))
}

// address is one decoded mailbox.
type address struct {
	Name, Addr string
}

func (a address) String() string {
	switch {
	case a.Name == "":
		return a.Addr
	case a.Addr == "":
		return a.Name
	}
	return a.Name + " <" + a.Addr + ">"
}

// parseAddressList parses an address list leniently: the strict RFC 5322 parser first, then each
// comma-separated piece on its own; a piece that still does not parse is kept as decoded text. ok is false
// when anything had to be kept as text.
func parseAddressList(v string) (list []address, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	p := mail.AddressParser{WordDecoder: wordDecoder()}
	if as, err := p.ParseList(v); err == nil {
		for _, a := range as {
			list = append(list, address{Name: cleanSpace(toUTF8(a.Name)), Addr: cleanSpace(toUTF8(a.Address))})
		}
		return list, true
	}
	ok = true
	for _, piece := range splitAddresses(v) {
		piece = strings.TrimSpace(piece)
		if piece == "" {
			continue
		}
		if a, err := p.Parse(piece); err == nil {
			list = append(list, address{Name: cleanSpace(toUTF8(a.Name)), Addr: cleanSpace(toUTF8(a.Address))})
			continue
		}
		ok = false
		text := decodeText(piece)
		if i, j := strings.LastIndexByte(text, '<'), strings.LastIndexByte(text, '>'); i >= 0 && j > i {
			list = append(list, address{Name: strings.Trim(strings.TrimSpace(text[:i]), `"`), Addr: strings.TrimSpace(text[i+1 : j])})
		} else if strings.Contains(text, "@") && !strings.ContainsAny(text, " \t") {
			list = append(list, address{Addr: text})
		} else {
			list = append(list, address{Name: text})
		}
	}
	return list, ok
}

// splitAddresses splits on commas outside quotes, angle brackets and comments.
func splitAddresses(v string) []string {
	var parts []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<' || c == '(':
			depth++
		case (c == '>' || c == ')') && depth > 0:
			depth--
		case c == ',' && depth == 0:
			parts = append(parts, v[start:i])
			start = i + 1
		}
	}
	return append(parts, v[start:])
}

func joinAddresses(list []address) string {
	s := make([]string, len(list))
	for i, a := range list {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

// dateLayouts are formats seen in the wild that net/mail.ParseDate refuses.
var dateLayouts = [...]string{
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 MST 2006",
	time.RFC3339,
}

// parseDate parses a Date field leniently; ok is false when no layout fits.
func parseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if t, err := mail.ParseDate(v); err == nil {
		return t, true
	}
	v = strings.Join(strings.Fields(v), " ")
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// msgIDs returns the <...> tokens of a Message-ID, In-Reply-To or References field, brackets included.
func msgIDs(v string) []string {
	var ids []string
	for {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(v[i:], '>')
		if j < 0 {
			break
		}
		if id := strings.TrimSpace(v[i : i+j+1]); len(id) > 2 {
			ids = append(ids, toUTF8(id))
		}
		v = v[i+j+1:]
	}
	return ids
}

// firstMsgID returns the first <...> token, or the trimmed value when there is none.
func firstMsgID(v string) string {
	if ids := msgIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return cleanSpace(toUTF8(v))
}
