package ui

import (
	"testing"

	"securemail/app"
	"securemail/smime"
)

// TestBannerHeaderDifferences: a signed message whose outer Subject was
// rewritten shows the signature line and, apart, a warning that the
// unprotected Subject differs from the signed one.
func TestBannerHeaderDifferences(t *testing.T) {
	d := smime.HeaderDifference{Field: "Subject", Signed: "Card file 7", Unprotected: "Pay invoice 9"}
	r := &smime.Report{Signed: true, Signature: smime.StatusValid, HeaderProtection: "clear",
		Reason: "Signed by Eve.Kask@tcn.b.eu-admin.net — valid. " + d.Warning(), HeaderDifferences: []smime.HeaderDifference{d}}
	lines := Banner(&app.MessageView{Report: r})
	want := []BannerLine{
		{Mark: MarkValid, Text: "Signed by Eve.Kask@tcn.b.eu-admin.net — valid."},
		{Mark: MarkWarning, Text: "Careful: the unprotected Subject differs from the signed one."},
	}
	if len(lines) != len(want) {
		t.Fatalf("banner %+v, want %+v", lines, want)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d: %+v, want %+v", i, lines[i], want[i])
		}
	}
}
