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
