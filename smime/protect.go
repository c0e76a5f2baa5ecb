package smime

import (
	"bytes"
	"fmt"
	"mime"
	"strings"

	"securemail/internal/mailheader"
	"securemail/internal/phrase"
)

// HeaderProtection says whether and how SignMessage protects the message's
// header fields (RFC 9788 header protection): copies of them go inside the
// signed entity, and its Content-Type gets the hp parameter.
type HeaderProtection int

// Header protection modes.
const (
	// ProtectNone signs the MIME entity only; the header stays outside.
	ProtectNone HeaderProtection = iota
	// ProtectClear (hp="clear") is for a message that is signed only: the
	// outer fields stay as they are.
	ProtectClear
	// ProtectCipher (hp="cipher") is for a message that will be encrypted:
	// HP-Outer fields inside record the outer fields (RFC 9788 §2.2), and
	// the outer Subject may be obscured as "[...]".
	ProtectCipher
)

// ObscuredSubject is the outer Subject of an encrypted message whose Subject
// is protected (RFC 9788 §4.1).
const ObscuredSubject = "[...]"

// protectedFields are the header fields copied into the protected entity
// (RFC 9788 §2; Content-* and MIME-Version are structural and stay as the
// entity's own).
var protectedFields = [...]string{"From", "To", "Cc", "Subject", "Date", "Message-ID", "Reply-To", "In-Reply-To", "References"}

// hasHP reports whether h's Content-Type carries RFC 9788's hp parameter.
func hasHP(h mailheader.Header) bool {
	_, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && params["hp"] != ""
}

// isProtectedField reports whether a field of that name is one of protectedFields.
func isProtectedField(name string) bool {
	for _, p := range protectedFields {
		if strings.EqualFold(p, name) {
			return true
		}
	}
	return false
}

// hpValue is the hp parameter's value for a mode.
func (p HeaderProtection) hpValue() string {
	if p == ProtectCipher {
		return "cipher"
	}
	return "clear"
}

// protectHeader applies RFC 9788 header protection to a message cut by
// splitParts: outer are the fields that stay outside, head the entity's
// Content-* fields and its blank line. It returns the new outer fields (the
// Subject replaced by "[...]" when obscure and p is ProtectCipher) and the
// new head: the Content-Type with the hp parameter, copies of the protected
// fields as they were, and for ProtectCipher one HP-Outer field per outer
// field as it now goes out.
func protectHeader(outer, head []byte, p HeaderProtection, obscure bool) (newOuter, newHead []byte, err error) {
	oh := mailheader.Parse(outer)
	var out bytes.Buffer
	for _, f := range oh.Fields {
		if p == ProtectCipher && obscure && strings.EqualFold(f.Name, "Subject") {
			out.WriteString("Subject: " + ObscuredSubject + "\r\n")
			continue
		}
		out.Write(f.Raw)
	}
	var in bytes.Buffer
	for _, f := range mailheader.Parse(head).Fields {
		if !strings.EqualFold(f.Name, "Content-Type") {
			in.Write(f.Raw)
			continue
		}
		mt, params, err := mime.ParseMediaType(f.Value())
		if err != nil {
			return nil, nil, fmt.Errorf("smime: the message's Content-Type cannot be read, so its header cannot be protected: %w", err)
		}
		params["hp"] = p.hpValue()
		in.WriteString("Content-Type: " + mime.FormatMediaType(mt, params) + "\r\n")
	}
	for _, f := range oh.Fields {
		if isProtectedField(f.Name) {
			in.Write(f.Raw)
		}
	}
	if p == ProtectCipher {
		for _, f := range mailheader.Parse(out.Bytes()).Fields {
			in.WriteString("HP-Outer: ")
			in.Write(f.Raw)
		}
	}
	in.WriteString("\r\n")
	return out.Bytes(), in.Bytes(), nil
}

// HeaderDifference is a protected header field whose unprotected (outer)
// copy says something else, beyond what RFC 9788 allows an encrypted
// message to hide.
type HeaderDifference struct {
	Field       string `json:"field"`       // "Subject", "From"…
	Signed      string `json:"signed"`      // the protected value, "" when the field is not protected
	Unprotected string `json:"unprotected"` // the outer value
	// Unsigned is true when the protected header came from an encrypted
	// message that is not signed: it was hidden, not signed (Signed then
	// holds the protected value all the same).
	Unsigned bool `json:"unsigned,omitempty"`
}

// Sentence is what a person is told about the difference, in English.
func (d HeaderDifference) Sentence() string { return d.SentencePhrase().String() }

// SentencePhrase is Sentence as a phrase, for the window to say in its
// language.
func (d HeaderDifference) SentencePhrase() phrase.Phrase {
	field := phrase.Args{"Field": fieldPhrase(d.Field)}
	switch {
	case d.Signed == "" && d.Unsigned:
		return phrase.New("header.missing.encrypted", "the unprotected {{.Field}} is not in the encrypted header", field)
	case d.Signed == "":
		return phrase.New("header.missing.signed", "the unprotected {{.Field}} is not in the signed header", field)
	case d.Unsigned:
		return phrase.New("header.differs.encrypted", "the unprotected {{.Field}} differs from the encrypted one", field)
	}
	return phrase.New("header.differs.signed", "the unprotected {{.Field}} differs from the signed one", field)
}

// fieldPhrase names a header field as mail clients of the window's
// language do (Subject: Objet, Betreff); Cc, the same in every language
// here, and the fields only programs read (Message-ID, References…) keep
// their names.
func fieldPhrase(name string) phrase.Phrase {
	switch name {
	case "From":
		return phrase.New("header.field.From", "From", nil)
	case "To":
		return phrase.New("header.field.To", "To", nil)
	case "Subject":
		return phrase.New("header.field.Subject", "Subject", nil)
	case "Date":
		return phrase.New("header.field.Date", "Date", nil)
	case "Reply-To":
		return phrase.New("header.field.ReplyTo", "Reply-To", nil)
	}
	return phrase.Phrase{English: name}
}

// Warning is the sentence the report's Reason carries for the difference.
func (d HeaderDifference) Warning() string { return d.WarningPhrase().String() }

// WarningPhrase is Warning as a phrase, for the window to say in its
// language.
func (d HeaderDifference) WarningPhrase() phrase.Phrase {
	return phrase.New("header.careful", "Careful: {{.What}}.", phrase.Args{"What": d.SentencePhrase()})
}

// protection reads the RFC 9788 protected header of an entity whose
// Content-Type has the hp parameter — the signed content, or the decrypted
// entity of an encrypted message that is not signed (signed false) — and
// compares it with the outer header top. It records the protected Subject
// and From and every difference in the report.
func (r *Report) protection(inner, top mailheader.Header, signed bool) {
	_, params, err := mime.ParseMediaType(inner.Get("Content-Type"))
	if err != nil || params["hp"] == "" {
		return
	}
	hp := strings.ToLower(params["hp"])
	r.HeaderProtection = hp
	r.ProtectedSubject = inner.Subject()
	r.ProtectedFrom = inner.From().Text
	outerRecords := map[string][]string{} // HP-Outer: Name: value
	for _, v := range inner.Values("HP-Outer") {
		if name, val, ok := strings.Cut(v, ":"); ok {
			k := strings.ToLower(strings.TrimSpace(name))
			outerRecords[k] = append(outerRecords[k], normalSpace(val))
		}
	}
	for _, name := range protectedFields {
		outs := top.Values(name)
		if len(outs) == 0 {
			continue // removed outside: RFC 9788 allows it
		}
		inside := normalSpace(strings.Join(inner.Values(name), ", "))
		outer := normalSpace(strings.Join(outs, ", "))
		if inside == outer {
			continue
		}
		if hp == "cipher" {
			recs, recorded := outerRecords[strings.ToLower(name)]
			if recorded && len(recs) == len(outs) && strings.Join(recs, ", ") == outer {
				continue // the sender obscured it, and says so
			}
			if !recorded && strings.EqualFold(name, "Subject") && outer == ObscuredSubject {
				continue
			}
		}
		r.HeaderDifferences = append(r.HeaderDifferences, HeaderDifference{Field: name,
			Signed: mailheader.DecodeText(inner.Get(name)), Unprotected: mailheader.DecodeText(top.Get(name)), Unsigned: !signed})
	}
}

// normalSpace collapses runs of white space, so that refolding by a relay
// is no difference.
func normalSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
