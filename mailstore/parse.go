package mailstore

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"

	"securemail/internal/htmltext"
	"securemail/internal/mailheader"
)

// maxBodyText bounds the body text indexed per message; maxParts bounds the MIME parts looked at.
const (
	maxBodyText = 256 << 10
	maxParts    = 200
)

// entry is what the index learns from a message's raw bytes alone.
type entry struct {
	From             mailheader.Sender
	FromField        mailheader.From // the From fields as read: the marks of a sender recorded by older files
	FromAddr         string
	To, Cc           string
	Subject          string
	Date             time.Time // zero when the Date field is missing or unreadable
	MessageID        string
	InReplyTo        string
	References       string
	Size             int64
	Encrypted        bool // the content is encrypted: Body is empty and stays so
	Signed           bool // the structure is signed (multipart/signed or pkcs7-mime signed-data)
	Attachments      int
	Body             string
	DSNOriginalMsgID string // a delivery status report: the Message-ID of the message it is about
	Notes            []string
}

// analyze extracts the index entry from raw bytes. It never fails and never panics: whatever cannot be read is
// described in Notes and the rest is still returned.
func analyze(raw []byte) (e entry) {
	e.Size = int64(len(raw))
	h, _, body := mailheader.Split(raw)
	e.Notes = headerNotes(h)

	// The one From rule (docs/SECURITY.md, "Who sent it"): Sender, Reply-To and Return-Path never stand in for it.
	from := h.From()
	switch from.Problem {
	case mailheader.FromOK, mailheader.FromMissing:
	default:
		e.Notes = append(e.Notes, "the From field names no single sender: "+from.Problem.Sentence())
	}
	e.From, e.FromField = mailheader.Shown(from, "", ""), from
	e.FromAddr = mailheader.AddressKey(from.Address())
	e.To = joinLists(h, "To", &e.Notes)
	e.Cc = joinLists(h, "Cc", &e.Notes)
	e.Subject = h.Subject()
	if d := h.Get("Date"); d != "" {
		if t, ok := mailheader.ParseDate(d); ok {
			e.Date = t
		} else {
			e.Notes = append(e.Notes, "the Date field could not be read")
		}
	}
	e.MessageID = firstMsgID(h.Get("Message-ID"))
	e.InReplyTo = strings.Join(msgIDs(h.Get("In-Reply-To")), " ")
	e.References = strings.Join(msgIDs(strings.Join(h.Values("References"), " ")), " ")

	walkBody(&e, h, body)
	if e.Encrypted {
		e.Body = "" // confidential: never indexed, whatever was read before the encrypted part was found
	}
	return e
}

// walkBody reads the MIME structure through go-message: text parts become Body, attachments are counted,
// encryption and signatures are detected, and a delivery report's original Message-ID is found.
func walkBody(e *entry, hdr mailheader.Header, body []byte) {
	defer func() {
		if r := recover(); r != nil {
			e.Notes = append(e.Notes, fmt.Sprintf("the MIME structure could not be read (%v)", r))
		}
	}()
	var h textproto.Header
	for i := len(hdr.Fields) - 1; i >= 0; i-- { // Add prepends
		h.Add(hdr.Fields[i].Name, hdr.Fields[i].Value())
	}
	ent, err := message.New(message.Header{Header: h}, bytes.NewReader(body))
	if ent == nil {
		e.Notes = append(e.Notes, "the body could not be decoded: "+err.Error())
		return
	}
	var text strings.Builder
	parts := 0
	dsnReport := false
	err = ent.Walk(func(path []int, p *message.Entity, perr error) error {
		parts++
		if parts > maxParts {
			e.Notes = append(e.Notes, fmt.Sprintf("more than %d MIME parts; the rest was not indexed", maxParts))
			return io.EOF
		}
		if perr != nil && !message.IsUnknownCharset(perr) && !message.IsUnknownEncoding(perr) {
			return perr
		}
		if perr != nil {
			e.Notes = append(e.Notes, "a part uses an unknown charset or encoding")
		}
		mt, params, cterr := p.Header.ContentType()
		if cterr != nil || mt == "" {
			mt = "text/plain"
		}
		disp, dparams, _ := p.Header.ContentDisposition()
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		switch {
		case mt == "multipart/encrypted":
			e.Encrypted = true
		case mt == "multipart/signed":
			e.Signed = true
		case mt == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status"):
			dsnReport = true
		case mt == "application/pkcs7-mime" || mt == "application/x-pkcs7-mime":
			switch st := strings.ToLower(params["smime-type"]); {
			case st == "signed-data":
				e.Signed = true
			case st == "certs-only", st == "compressed-data":
			default: // enveloped-data, authenveloped-data, or unlabelled (.p7m): treat as encrypted
				e.Encrypted = true
			}
		case mt == "application/pkcs7-signature" || mt == "application/x-pkcs7-signature":
			// the signature of a multipart/signed, not an attachment
		case dsnReport && (mt == "text/rfc822-headers" || mt == "message/rfc822" || mt == "message/rfc822-headers"):
			b, _ := io.ReadAll(io.LimitReader(p.Body, maxHeaderBytes))
			if id := firstMsgID(mailheader.Parse(b).Get("Message-ID")); id != "" {
				e.DSNOriginalMsgID = id
			}
		case strings.HasPrefix(mt, "multipart/"):
		case strings.EqualFold(disp, "attachment") || name != "" || !strings.HasPrefix(mt, "text/"):
			e.Attachments++
		case mt == "text/plain" || mt == "text/html" || mt == "message/delivery-status":
			if text.Len() >= maxBodyText {
				break
			}
			b, rerr := io.ReadAll(io.LimitReader(p.Body, int64(maxBodyText-text.Len())))
			if rerr != nil {
				e.Notes = append(e.Notes, "a text part could not be decoded")
			}
			s := mailheader.ToUTF8(string(b))
			if mt == "text/html" {
				s = htmltext.Text(s)
			}
			text.WriteString(s)
			text.WriteByte('\n')
		}
		return nil
	})
	if err != nil && err != io.EOF {
		e.Notes = append(e.Notes, "the MIME structure is damaged: "+err.Error())
	}
	e.Body = text.String()
}
