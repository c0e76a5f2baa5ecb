package dsn

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

const original = "From: Marie.Curie@tcn.f.eu-admin.net\r\nTo: Jan.Peeters@tcn.b.eu-admin.net\r\nSubject: report\r\nMessage-ID: <42@tcn.f.eu-admin.net>\r\n\r\nsecret body that must not be echoed\r\n"

// parse reads a report with go-message, as a mail client would, and
// returns the parts' media types, the delivery-status blocks and the
// attached header.
func parse(t *testing.T, raw []byte) (types []string, blocks []textproto.Header, attached string) {
	t.Helper()
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, _ := e.Header.ContentType()
	if mt != "multipart/report" || params["report-type"] != "delivery-status" {
		t.Fatalf("Content-Type = %s %v", mt, params)
	}
	mr := e.MultipartReader()
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		pt, _, _ := p.Header.ContentType()
		types = append(types, pt)
		body, _ := io.ReadAll(p.Body)
		switch pt {
		case "message/delivery-status":
			br := bufio.NewReader(bytes.NewReader(body))
			for {
				h, err := textproto.ReadHeader(br)
				if err != nil {
					t.Fatalf("delivery-status block: %v", err)
				}
				if h.Len() == 0 {
					break
				}
				blocks = append(blocks, h)
			}
		case "text/rfc822-headers":
			attached = string(body)
		}
	}
	return types, blocks, attached
}

func TestDelayedReport(t *testing.T) {
	arr := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	raw, err := Build(Report{
		ReportingMTA: "relay.eu-admin.net", From: "postmaster@relay.eu-admin.net", To: "Marie.Curie@tcn.f.eu-admin.net",
		OriginalEnvID: "abc@node", MessageID: "<42@tcn.f.eu-admin.net>", Arrival: arr, Date: arr.Add(4 * time.Hour),
		Recipients: []Recipient{{FinalRecipient: "Jan.Peeters@tcn.b.eu-admin.net", Action: ActionDelayed, Status: "4.4.7",
			Diagnostic: "421 4.4.2 b server busy\r\nInjected: yes", WillRetryUntil: arr.Add(120 * time.Hour), LastAttempt: arr.Add(4 * time.Hour)}},
	}, strings.NewReader(original))
	if err != nil {
		t.Fatal(err)
	}
	types, blocks, attached := parse(t, raw)
	if strings.Join(types, ",") != "text/plain,message/delivery-status,text/rfc822-headers" {
		t.Fatalf("parts = %v", types)
	}
	if len(blocks) != 2 {
		t.Fatalf("delivery-status has %d blocks, want per-message + one recipient", len(blocks))
	}
	if blocks[0].Get("Reporting-MTA") != "dns; relay.eu-admin.net" || blocks[0].Get("Arrival-Date") != "Mon, 02 Mar 2026 09:00:00 +0000" || blocks[0].Get("Original-Envelope-Id") != "abc@node" {
		t.Fatalf("per-message fields: %v", blocks[0])
	}
	r := blocks[1]
	for k, want := range map[string]string{
		"Final-Recipient":  "rfc822; Jan.Peeters@tcn.b.eu-admin.net",
		"Action":           "delayed",
		"Status":           "4.4.7",
		"Will-Retry-Until": "Sat, 07 Mar 2026 09:00:00 +0000",
		"Diagnostic-Code":  "smtp; 421 4.4.2 b server busy  Injected: yes",
	} {
		if got := r.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(attached, "Subject: report") || strings.Contains(string(raw), "secret body") {
		t.Fatalf("attached header %q; the body must not be echoed", attached)
	}
	if h, _ := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw))); h.Get("Injected") != "" {
		t.Fatal("a CR LF in the diagnostic injected a header field")
	}
}

func TestFailedReport(t *testing.T) {
	arr := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	raw, err := Build(Report{ReportingMTA: "relay", From: "postmaster@relay", To: "a@x", Arrival: arr,
		Recipients: []Recipient{
			{FinalRecipient: "b@y", Action: ActionFailed, Status: "5.4.7", Diagnostic: "connection refused"},
			{FinalRecipient: "c@y", Action: ActionFailed, Status: "5.4.7"},
		}}, strings.NewReader(original))
	if err != nil {
		t.Fatal(err)
	}
	_, blocks, _ := parse(t, raw)
	if len(blocks) != 3 || blocks[1].Get("Status") != "5.4.7" || blocks[2].Get("Action") != "failed" || blocks[1].Get("Will-Retry-Until") != "" {
		t.Fatalf("blocks = %v", blocks)
	}
	if blocks[1].Get("Diagnostic-Code") != "x-testa; connection refused" || blocks[2].Has("Diagnostic-Code") {
		t.Fatalf("diagnostics: %q / %v", blocks[1].Get("Diagnostic-Code"), blocks[2].Has("Diagnostic-Code"))
	}
	if !strings.Contains(string(raw), "Subject: Undelivered mail returned to sender") {
		t.Fatal("subject of a failure report")
	}
}
