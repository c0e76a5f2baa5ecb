package app

import (
	"context"
	"errors"
	"testing"

	"securemail/app/addressbook"
	"securemail/app/compose"
	"securemail/testnet/testca"
)

// TestRefusalCarriesEachVerdict: Send with encryption refuses recipients
// without a usable Digital ID; each MissingID says why in the command
// line's English and carries the contact's verdict, whose phrase the window
// renders in its language.
func TestRefusalCarriesEachVerdict(t *testing.T) {
	a := tester(t, startNet(t), alain, nil)
	other, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	is, err := other.Issue(testca.IssueOptions{Email: marie, Key: testca.P256})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Book.AddDigitalID("", is.Certificate, is.Chain, nil); err != nil {
		t.Fatal(err)
	}
	const nobody = "Jan.Novak@tcn.b.eu-admin.net"
	_, err = a.Send(context.Background(), &compose.Draft{To: []string{marie, nobody}, Subject: "x", Text: "y"}, SendOptions{Encrypt: true})
	var nd *NoDigitalIDError
	if !errors.As(err, &nd) || len(nd.Recipients) != 2 {
		t.Fatalf("Send: %v", err)
	}
	untrusted, none := nd.Recipients[0], nd.Recipients[1]
	want := "has no usable Digital ID (The Digital ID of " + marie + " was issued by an authority you have not trusted)"
	if untrusted.Reason != want || untrusted.Verdict.Status != addressbook.Invalid || untrusted.Verdict.Phrase.Key != "trust.untrusted" {
		t.Errorf("untrusted: %q %s %q, want %q", untrusted.Reason, untrusted.Verdict.Status, untrusted.Verdict.Phrase.Key, want)
	}
	if none.Reason != "has no Digital ID yet" || none.Verdict.Status != addressbook.None {
		t.Errorf("no contact: %q %s", none.Reason, none.Verdict.Status)
	}
}
