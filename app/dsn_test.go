package app

import (
	"errors"
	"strings"
	"testing"
)

const sampleDSN = "From: Mail Delivery System <postmaster@relay.eu-admin.net>\r\n" +
	"To: <Alain.Dupont@tcn.b.eu-admin.net>\r\n" +
	"Subject: Undelivered mail returned to sender\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"b1\"\r\n" +
	"\r\n" +
	"--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n" +
	"--b1\r\nContent-Type: message/delivery-status\r\n\r\n" +
	"Reporting-MTA: dns; relay.eu-admin.net\r\n" +
	"Original-Envelope-Id: 0192a4b3c5d6e7f8a9b0c1d2e3f4\r\n" +
	"\r\n" +
	"Final-Recipient: rfc822; Nobody.There@tcn.f.eu-admin.net\r\n" +
	"Action: failed\r\n" +
	"Status: 5.1.1\r\n" +
	"Diagnostic-Code: smtp; 550 5.1.1 no mailbox\r\n" +
	"\r\n" +
	"--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n" +
	"From: Alain.Dupont@tcn.b.eu-admin.net\r\nMessage-ID: <abc@tcn.b.eu-admin.net>\r\nSubject: to nobody\r\n\r\n" +
	"--b1--\r\n"

func TestParseDSN(t *testing.T) {
	r, err := parseDSN([]byte(sampleDSN))
	if err != nil {
		t.Fatal(err)
	}
	if r.EnvelopeID != "0192a4b3c5d6e7f8a9b0c1d2e3f4" || r.MessageID != "<abc@tcn.b.eu-admin.net>" {
		t.Fatalf("report %+v: wrong envelope id or Message-ID", r)
	}
	if len(r.Recipients) != 1 || r.Recipients[0].Address != "Nobody.There@tcn.f.eu-admin.net" ||
		r.Recipients[0].Action != "failed" || r.Recipients[0].Status != "5.1.1" {
		t.Fatalf("recipients %+v", r.Recipients)
	}
	plain := "From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\nhi\r\n--x--\r\n"
	if _, err := parseDSN([]byte(plain)); !errors.Is(err, errNotDSN) {
		t.Fatalf("an ordinary multipart message was taken for a report: %v", err)
	}
}

func FuzzParseDSN(f *testing.F) {
	f.Add([]byte(sampleDSN))
	f.Add([]byte(strings.Replace(sampleDSN, "\r\n\r\nFinal", "\r\nFinal", 1)))
	f.Add([]byte("Content-Type: multipart/report; report-type=delivery-status; boundary=\"\"\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseDSN(b)
		if err == nil && r == nil {
			t.Fatal("no report and no error")
		}
	})
}
