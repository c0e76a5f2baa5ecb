package mailheader

import (
	"mime"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"

	"securemail/internal/phrase"
)

// Problem says why a From field names no single sender. The values are
// those of the `from_problem` field of the open report (docs/ARCHITECTURE.md §3.2).
type Problem string

// From problems; FromOK is a From field with exactly one mailbox.
const (
	FromOK         Problem = ""
	FromMissing    Problem = "missing"           // no From field
	FromEmpty      Problem = "empty"             // From: (nothing) or From: <>
	FromSeveral    Problem = "several-mailboxes" // From: a@x, b@y
	FromGroup      Problem = "group"             // From: team: a@x, b@y;
	FromDuplicate  Problem = "duplicate"         // two From fields
	FromUnparsable Problem = "unparsable"        // not an address at all
)

// Sentence is what a person is told about the problem, completing "…, but",
// in English: Phrase's English.
func (p Problem) Sentence() string { return p.Phrase().String() }

// Phrase is the sentence of Sentence as a phrase, for the window to say in
// its language (docs/ARCHITECTURE.md §7); a zero phrase for FromOK.
func (p Problem) Phrase() phrase.Phrase {
	switch p {
	case FromMissing:
		return phrase.New("from.problem.missing", "the message has no From field, so it does not say who sent it", nil)
	case FromEmpty:
		return phrase.New("from.problem.empty", "the message's From field is empty, so it does not say who sent it", nil)
	case FromSeveral:
		return phrase.New("from.problem.several", "the From field names several senders, and a signature can vouch for one only", nil)
	case FromGroup:
		return phrase.New("from.problem.group", "the From field is a group of addresses, not one sender", nil)
	case FromDuplicate:
		return phrase.New("from.problem.duplicate", "the message has several From fields, and programs differ on which one they show", nil)
	case FromUnparsable:
		return phrase.New("from.problem.unparsable", "the From field cannot be read as an e-mail address", nil)
	}
	return phrase.Phrase{}
}

// Mailbox is one decoded mailbox: the display name (encoded words decoded)
// and the address as written.
type Mailbox struct {
	Name, Address string
}

// String is "Name <address>", or the address alone.
func (m Mailbox) String() string {
	switch {
	case m.Name == "":
		return m.Address
	case m.Address == "":
		return m.Name
	}
	return m.Name + " <" + m.Address + ">"
}

// From is what a header says about its sender.
type From struct {
	// Mailbox is the one sender when Problem is FromOK. For a problem it
	// holds the first mailbox that could be read, for display only.
	Mailbox Mailbox
	// Mailboxes are every mailbox read from the first From field.
	Mailboxes []Mailbox
	// Problem is FromOK or why there is no single sender.
	Problem Problem
	// Text is the first From field's value decoded for display.
	Text string
	// NameText is the decoded value without the address: the display name
	// and any comments, what a reader might mistake for the sender.
	NameText string
	// AllText is every From field's value decoded, one after the other.
	AllText string
}

// Address is the one sender's address, "" when there is a problem.
func (f From) Address() string {
	if f.Problem != FromOK {
		return ""
	}
	return f.Mailbox.Address
}

// From applies SecureMail's one rule to the header's From fields: exactly
// one From field holding exactly one mailbox. Sender, Reply-To and
// Return-Path never stand in for From.
func (h Header) From() From {
	vs := h.Values("From")
	if len(vs) == 0 {
		return From{Problem: FromMissing}
	}
	f := ParseFrom(vs[0])
	if len(vs) > 1 {
		f.Problem = FromDuplicate
		for _, v := range vs[1:] {
			f.AllText += " " + DecodeText(v)
		}
	}
	return f
}

// ParseFrom reads the value of one From field.
func ParseFrom(v string) From {
	f := From{Text: DecodeText(v)}
	f.AllText = f.Text
	switch strings.Join(strings.Fields(v), "") {
	case "", "<>":
		f.Problem = FromEmpty
		return f
	}
	if strings.ContainsFunc(v, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
		// A bare CR, a NUL or another control character: programs differ
		// on where such a field ends, so it names nobody.
		f.Problem = FromUnparsable
		f.NameText = f.Text
		return f
	}
	if isGroup(v) {
		f.Problem = FromGroup
		return f
	}
	// QUIRK: RFC 6532 allows UTF-8 only; raw 8-bit names are taken as
	// Windows-1252 (toUTF8) before parsing, the same for every caller.
	v = toUTF8(v)
	p := mail.AddressParser{WordDecoder: wordDecoder()}
	list, err := p.ParseList(v)
	if err != nil || len(list) == 0 {
		f.Problem = FromUnparsable
		if a, err := p.Parse(splitAddresses(v)[0]); err == nil {
			f.Mailbox = Mailbox{Name: clean(a.Name), Address: a.Address}
		}
		f.NameText = f.Text
		return f
	}
	for _, a := range list {
		f.Mailboxes = append(f.Mailboxes, Mailbox{Name: clean(a.Name), Address: a.Address})
	}
	f.Mailbox = f.Mailboxes[0]
	if len(list) > 1 {
		f.Problem = FromSeveral
	}
	f.NameText = strings.TrimSpace(strings.Replace(f.Text, f.Mailbox.Address, " ", 1))
	f.NameText = strings.TrimSpace(strings.NewReplacer("<", " ", ">", " ", "< >", " ").Replace(f.NameText))
	return f
}

// isGroup reports whether an address list value uses group syntax: a colon
// outside quotes, comments and angle brackets (RFC 5322 §3.4).
func isGroup(v string) bool {
	depth, angle, quoted := 0, false, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' && (quoted || depth > 0):
			i++
		case quoted:
			quoted = c != '"'
		case c == '"' && depth == 0:
			quoted = true
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == '<':
			angle = true
		case c == '>':
			angle = false
		case c == ':' && !angle:
			return true
		}
	}
	return false
}

// ContainsOtherAddress reports whether text (a display name, comment or
// decoded encoded word) contains something that looks like an e-mail
// address other than addr. Look-alike at signs (full-width ＠, small ﹫)
// count as @.
func ContainsOtherAddress(text, addr string) bool {
	t := atSigns(text)
	if !strings.Contains(t, "@") {
		return false
	}
	for _, tok := range strings.FieldsFunc(t, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '"' || r == '<' || r == '>' || r == '(' || r == ')' || r == ',' || r == ';' || r == '\'' || r == '[' || r == ']'
	}) {
		if strings.Contains(tok, "@") && !EqualAddress(tok, addr) {
			return true
		}
	}
	return false
}

// atSigns maps the look-alikes of @ (full-width ＠, small ﹫) to @.
func atSigns(s string) string {
	return strings.NewReplacer("\uff20", "@", "\ufe6b", "@").Replace(s)
}

// wordDecoder decodes RFC 2047 encoded words in any charset go-message knows.
func wordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: charset.Reader}
}

// DecodeText decodes an unstructured field value for display: encoded
// words, then raw 8-bit bytes as UTF-8 (RFC 6532) or else Windows-1252,
// control characters (NUL, bare CR, tabs) as spaces. An encoded word in an
// unknown charset is kept as it is.
func DecodeText(v string) string {
	d, err := wordDecoder().DecodeHeader(v)
	if err != nil {
		d = v
	}
	return clean(d)
}

// clean is toUTF8 then control characters as spaces, trimmed.
func clean(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, toUTF8(s)))
}

// toUTF8 returns s as valid UTF-8: raw 8-bit header bytes that are not
// UTF-8 are taken as Windows-1252, the usual culprit.
func toUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil && utf8.ValidString(d) {
		return d
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// ToUTF8 is how raw 8-bit header text becomes UTF-8 (see DecodeText).
func ToUTF8(s string) string { return toUTF8(s) }

// AddressList parses an address list (To, Cc) leniently for display: the
// strict RFC 5322 parser first, then each comma-separated piece on its own;
// a piece that still does not parse is kept as decoded text. ok is false
// when anything had to be kept as text.
func AddressList(v string) (list []Mailbox, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	p := mail.AddressParser{WordDecoder: wordDecoder()}
	if as, err := p.ParseList(v); err == nil {
		for _, a := range as {
			list = append(list, Mailbox{Name: clean(a.Name), Address: clean(a.Address)})
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
			list = append(list, Mailbox{Name: clean(a.Name), Address: clean(a.Address)})
			continue
		}
		ok = false
		text := DecodeText(piece)
		if i, j := strings.LastIndexByte(text, '<'), strings.LastIndexByte(text, '>'); i >= 0 && j > i {
			list = append(list, Mailbox{Name: strings.Trim(strings.TrimSpace(text[:i]), `"`), Address: strings.TrimSpace(text[i+1 : j])})
		} else if strings.Contains(text, "@") && !strings.ContainsAny(text, " \t") {
			list = append(list, Mailbox{Address: text})
		} else {
			list = append(list, Mailbox{Name: text})
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

// JoinMailboxes is how a list of mailboxes is shown: "Name <a>, b".
func JoinMailboxes(list []Mailbox) string {
	s := make([]string, len(list))
	for i, a := range list {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}
