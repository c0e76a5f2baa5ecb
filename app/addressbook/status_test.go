package addressbook

import (
	"testing"
	"time"

	"securemail/testnet/testca"
)

// TestReasonIsItsPhrase: every verdict's English Reason (the command line
// and its JSON) reads exactly as before, and is its phrase in English, so
// that the window, which renders the phrase, says the same thing.
func TestReasonIsItsPhrase(t *testing.T) {
	b, ca, tr := setup(t)
	c, _ := b.GetOrNew(marie)
	none := Evaluate(c, tr)
	if want := marie + " has no Digital ID yet; ask for a signed mail (secure link)."; none.Reason != want {
		t.Errorf("no Digital ID: %q, want %q", none.Reason, want)
	}
	if none.Phrase.Key != "addressbook.noid" || none.Phrase.String() != none.Reason {
		t.Errorf("no Digital ID: phrase %+v for %q", none.Phrase, none.Reason)
	}

	is := issue(t, ca, testca.IssueOptions{Email: marie, Key: testca.P256})
	if _, err := b.AddDigitalID("", is.Certificate, is.Chain, nil); err != nil {
		t.Fatal(err)
	}
	c, _ = b.Get(marie)
	valid := Evaluate(c, tr)
	if want := "Digital ID valid until " + is.Certificate.NotAfter.UTC().Format("2 January 2006") + "."; valid.Reason != want {
		t.Errorf("valid: %q, want %q", valid.Reason, want)
	}
	if valid.Phrase.Key != "addressbook.validuntil" || valid.Phrase.String() != valid.Reason {
		t.Errorf("valid: phrase %+v for %q", valid.Phrase, valid.Reason)
	}

	damaged := Evaluate(&Contact{Address: marie, DigitalIDs: []*DigitalID{{DER: []byte("not a certificate"), Added: time.Now()}}}, tr)
	if damaged.Status != Invalid || damaged.Reason != "This Digital ID is damaged." || damaged.IDs[0].Reason != damaged.Reason {
		t.Errorf("damaged: %s %q", damaged.Status, damaged.Reason)
	}
	if damaged.Phrase.Key != "addressbook.damaged" || damaged.IDs[0].Phrase.Key != damaged.Phrase.Key {
		t.Errorf("damaged: phrase %+v", damaged.Phrase)
	}
}

// TestTrustReasonIsPassedWithItsPhrase: a Digital ID the trust check
// refuses gives the contact the check's sentence, English and phrase alike.
func TestTrustReasonIsPassedWithItsPhrase(t *testing.T) {
	b, ca, tr := setup(t)
	is := issue(t, ca, testca.IssueOptions{Email: marie, Key: testca.P256, NotBefore: time.Now().AddDate(0, -2, 0), Days: 30})
	if _, err := b.AddDigitalID("", is.Certificate, is.Chain, nil); err != nil {
		t.Fatal(err)
	}
	c, _ := b.Get(marie)
	v := Evaluate(c, tr)
	want := "The Digital ID of " + marie + " expired on " + is.Certificate.NotAfter.UTC().Format("2 January 2006") + "."
	if v.Status != Invalid || v.Reason != want || v.IDs[0].Reason != want {
		t.Fatalf("expired: %s %q, want %q", v.Status, v.Reason, want)
	}
	if v.Phrase.Key != "trust.expired" || v.Phrase.String() != want || v.IDs[0].Phrase.Key != v.Phrase.Key {
		t.Errorf("expired: phrase %+v", v.Phrase)
	}
}
