package app

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"

	"securemail/internal/mailheader"
)

// DeliveryReport is what a delivery status notification (RFC 3464) says
// about a message we sent.
type DeliveryReport struct {
	// EnvelopeID is the Original-Envelope-Id: the ENVID we gave at
	// submission (the Sent message's store id).
	EnvelopeID string
	// MessageID is the Message-ID of the returned headers, angle brackets
	// included.
	MessageID  string
	Recipients []DeliveryRecipient
}

// DeliveryRecipient is one recipient's fate in a report.
type DeliveryRecipient struct {
	Address    string // Final-Recipient, without the "rfc822;" type
	Action     string // failed, delayed, delivered, relayed, expanded
	Status     string // e.g. 5.1.1
	Diagnostic string
}

// maxDSNPart bounds how much of each part of a report is read.
const maxDSNPart = 1 << 20

var errNotDSN = errors.New("app: not a delivery status notification")

// parseDSN reads a message and, when it is a delivery status notification
// (multipart/report; report-type=delivery-status), returns what it says.
// Other messages give errNotDSN.
func parseDSN(raw []byte) (*DeliveryReport, error) {
	h, _, body := mailheader.Split(raw)
	if len(h.Fields) == 0 {
		return nil, errNotDSN
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/report" || !strings.EqualFold(params["report-type"], "delivery-status") || params["boundary"] == "" {
		return nil, errNotDSN
	}
	r := &DeliveryReport{}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for i := 0; i < 16; i++ {
		p, err := mr.NextRawPart()
		if err != nil {
			break
		}
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		body, _ := io.ReadAll(io.LimitReader(p, maxDSNPart))
		switch strings.ToLower(pt) {
		case "message/delivery-status", "message/global-delivery-status":
			readStatus(body, r)
		case "text/rfc822-headers", "message/rfc822", "message/rfc822-headers", "message/global-headers":
			r.MessageID = mailheader.Parse(body).Get("Message-Id")
		}
	}
	return r, nil
}

// readStatus reads the per-message block and the per-recipient blocks of a
// message/delivery-status body.
func readStatus(body []byte, r *DeliveryReport) {
	tr := textproto.NewReader(bufio.NewReader(bytes.NewReader(body)))
	first := true
	for n := 0; n < 1000; n++ {
		h, err := tr.ReadMIMEHeader()
		if len(h) > 0 {
			if first {
				r.EnvelopeID = strings.TrimSpace(h.Get("Original-Envelope-Id"))
			}
			if fr := h.Get("Final-Recipient"); fr != "" {
				if _, a, ok := strings.Cut(fr, ";"); ok {
					fr = a
				}
				r.Recipients = append(r.Recipients, DeliveryRecipient{Address: strings.TrimSpace(fr),
					Action: strings.ToLower(strings.TrimSpace(h.Get("Action"))), Status: strings.TrimSpace(h.Get("Status")),
					Diagnostic: strings.TrimSpace(h.Get("Diagnostic-Code"))})
			}
			first = false
		}
		if err != nil {
			return
		}
	}
}
