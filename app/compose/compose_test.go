package compose

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
)

func TestBuildWithAttachmentReadsBack(t *testing.T) {
	bin := []byte{0, 1, 2, 0xff, '\r', '\n', '.', 'x'}
	d := &Draft{From: "Alain.Dupont@tcn.b.eu-admin.net", FromName: "Alain Dupont",
		To: []string{"Marie.Curie@tcn.f.eu-admin.net"}, Bcc: []string{"Secret.Copy@tcn.b.eu-admin.net"},
		Subject: "Dossier 42 – été", Text: "Bonjour Marie,\n.\nLigne avec é\n",
		Attachments: []Attachment{{Name: "/tmp/card.bin", Data: bin}}}
	msg, id, err := Build(d, time.Date(2026, 11, 26, 10, 2, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(id, "@tcn.b.eu-admin.net") {
		t.Errorf("Message-ID %q not in the sender's domain", id)
	}
	if bytes.Contains(msg, []byte("Secret.Copy")) {
		t.Fatal("a Bcc recipient is in the message")
	}
	for i, b := range msg {
		if b == '\n' && (i == 0 || msg[i-1] != '\r') {
			t.Fatal("a bare LF in the message")
		}
		if b >= 0x80 {
			t.Fatal("8-bit byte in the message: it must be 7-bit to sign")
		}
	}
	r, err := gomail.CreateReader(bytes.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := r.Header.Subject(); s != d.Subject {
		t.Errorf("subject %q", s)
	}
	var gotText string
	var gotBin []byte
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *gomail.InlineHeader:
			gotText = string(b)
		case *gomail.AttachmentHeader:
			if name, _ := h.Filename(); name != "card.bin" {
				t.Errorf("attachment name %q", name)
			}
			gotBin = b
		}
	}
	if gotText != "Bonjour Marie,\r\n.\r\nLigne avec é\r\n" || !bytes.Equal(gotBin, bin) {
		t.Fatalf("text %q, attachment % x", gotText, gotBin)
	}
	if rc := d.Recipients(); len(rc) != 2 {
		t.Fatalf("recipients %v", rc)
	}
}

func TestBuildRefusals(t *testing.T) {
	for name, d := range map[string]*Draft{
		"no recipient": {From: "a.b@tcn.b.eu-admin.net"},
		"bad to":       {From: "a.b@tcn.b.eu-admin.net", To: []string{"not an address"}},
		"bad from":     {From: "", To: []string{"a.b@tcn.b.eu-admin.net"}},
		"two lines":    {From: "a.b@tcn.b.eu-admin.net", To: []string{"c.d@tcn.b.eu-admin.net"}, Subject: "a\r\nBcc: x"},
	} {
		if _, _, err := Build(d, time.Now()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
