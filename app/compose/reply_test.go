package compose

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	marie = "Marie.Curie@tcn.f.eu-admin.net"
	jan   = "Jan.Novak@tcn.cz.eu-admin.net"
	alain = "Alain.Dupont@tcn.b.eu-admin.net"
)

func original() Original {
	return Original{
		From: `"Marie Curie" <` + marie + `>`, To: jan + `, "Alain Dupont" <` + alain + ">", Cc: "MARIE.CURIE@tcn.f.eu-admin.net, " + alain,
		Subject: "Dossier 42", MessageID: "<m2@x>", References: "<m0@x> <m1@x>",
		Date: time.Date(2026, 11, 26, 10, 2, 0, 0, time.UTC),
		Text: "Card 42 was reported stolen.\nPlease block it.\n",
		Attachments: []Attachment{{Name: "report.pdf", ContentType: "application/pdf", Data: []byte("%PDF")},
			{ContentType: "text/html", Data: []byte("<p>x</p>")}},
	}
}

func TestReply(t *testing.T) {
	d := Reply(original(), false, jan)
	if d.Subject != "Re: Dossier 42" || !reflect.DeepEqual(d.To, []string{marie}) || d.Cc != nil {
		t.Errorf("reply: subject %q to %v cc %v", d.Subject, d.To, d.Cc)
	}
	if d.InReplyTo != "<m2@x>" || !reflect.DeepEqual(d.References, []string{"<m0@x>", "<m1@x>", "<m2@x>"}) {
		t.Errorf("threading: in-reply-to %q references %v", d.InReplyTo, d.References)
	}
	if d.Text != "\n\n> Card 42 was reported stolen.\n> Please block it." {
		t.Errorf("quoted text %q", d.Text)
	}
	if len(d.Attachments) != 0 {
		t.Error("a reply carries no attachment")
	}
	// The draft builds: the threading fields reach the message.
	d.From = jan
	msg, _, err := Build(d, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(msg), "In-Reply-To: <m2@x>") || !strings.Contains(string(msg), "References: <m0@x> <m1@x> <m2@x>") {
		t.Errorf("threading fields not in the message:\n%s", msg)
	}
}

func TestReplyAll(t *testing.T) {
	o := original()
	o.FromAddr = marie
	d := Reply(o, true, jan)
	// The sender (in any case) and self are left out, Alain once.
	if !reflect.DeepEqual(d.To, []string{marie}) || !reflect.DeepEqual(d.Cc, []string{alain}) {
		t.Errorf("reply all: to %v cc %v", d.To, d.Cc)
	}
}

func TestReplyKeepsOnePrefix(t *testing.T) {
	o := original()
	o.Subject = "RE: Dossier 42"
	if d := Reply(o, false, jan); d.Subject != "RE: Dossier 42" {
		t.Errorf("subject %q", d.Subject)
	}
	o.Subject = "fwd: Dossier 42"
	if d := Forward(o, nil); d.Subject != "fwd: Dossier 42" {
		t.Errorf("subject %q", d.Subject)
	}
}

func TestForward(t *testing.T) {
	d := Forward(original(), nil)
	want := "\n\n-------- Forwarded message --------\nFrom: \"Marie Curie\" <" + marie + ">\nDate: 26 November 2026 10:02 UTC\n" +
		"Subject: Dossier 42\n\nCard 42 was reported stolen.\nPlease block it.\n"
	if d.Subject != "Fwd: Dossier 42" || d.Text != want || len(d.To) != 0 || d.InReplyTo != "" {
		t.Errorf("forward: subject %q to %v text %q", d.Subject, d.To, d.Text)
	}
	if len(d.Attachments) != 1 || d.Attachments[0].Name != "report.pdf" || string(d.Attachments[0].Data) != "%PDF" {
		t.Errorf("forward carries the named files only: %+v", d.Attachments)
	}
}
