package mailstore_test

import (
	"context"
	"testing"

	"securemail/internal/mailheader"
	"securemail/mailstore"
	"securemail/smime"
)

// FuzzFromAgrees is the differential proof of docs/SECURITY.md, "Who sent it": on any bytes, the From address the signature
// verdict compares with the signer (smime.Open, outer header) is the one the store indexes, and the Subject and
// the sender the store's row, its listing and the reader (Get) show are the same. They share internal/mailheader;
// this target catches any layer (smime's line-end normalisation, the store's own steps) that would make them differ.
func FuzzFromAgrees(f *testing.F) {
	for _, seed := range []string{
		"From: Eve <eve@x.eu>\r\nSubject: hi\r\n\r\nbody",
		"X-Note: a\rFrom: Jan <jan@x.eu>\r\nFrom: eve@x.eu\r\nSubject: s\r\n\r\n",
		"From: jan@x.eu\rX: eve@x.eu\r\nSubject: a\rSubject: b\r\n\r\n",
		"From: eve@x.eu\nFrom: jan@x.eu\n\n",
		"Sender: jan@x.eu\r\nSubject: no from\r\n\r\n",
		"From: eve@x.eu, jan@x.eu\r\n\r\n",
		"From: team: eve@x.eu;\r\n\r\n",
		"From : eve@x.eu\r\n \r\n\tSubject: folded\r\nSubject\t: real\r\n\r\n",
		"From: \"jan@x.eu\" <eve@x.eu>\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n\r\n",
		"From: eve@x.eu\x00\r\nSubject: nul\x00\r\n\r\n",
		"Subject: first\r\nSubject: second\r\nFrom: a@x.eu\r\n\r\n",
		"From a@x.eu Mon Jan 1\r\nFrom: v@x.eu\r\n\r\n",
		"Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b\r\nFrom: e@x.eu\r\n\r\n--b\r\nFrom: j@x.eu\r\n\r\nx\r\n--b--\r\n",
	} {
		f.Add([]byte(seed))
	}
	s, _ := open(f, f.TempDir(), &mailstore.Options{FS: noSyncFS{}})
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, _ := smime.Open(raw, smime.OpenOptions{})
		m := addAndGet(t, s, raw)
		rows, err := s.ByMessageID(ctx, m.MessageID)
		if err != nil {
			t.Fatal(err)
		}
		if r.FromSource == smime.FromSourceMessage || r.FromSource == "" {
			// The verdict judged the outer header: the store must see the same From and Subject.
			if got, want := m.FromAddr, mailheader.AddressKey(r.From); got != want {
				t.Fatalf("the verdict compares From %q, the store indexed %q", want, got)
			}
			if r.FromSource != "" && m.Subject != r.Subject {
				t.Fatalf("the verdict's Subject is %q, the store's %q", r.Subject, m.Subject)
			}
			if r.FromSource != "" && m.From != r.Sender {
				t.Fatalf("the verdict shows the sender as %q, the store as %q", r.Sender, m.From)
			}
		}
		for _, row := range rows {
			if row.ID == m.ID && (row.From != m.From || row.Subject != m.Subject) {
				t.Fatalf("the list shows %q / %q, the reader %q / %q", row.From, row.Subject, m.From, m.Subject)
			}
		}
	})
}
