package smime_test

import (
	"encoding/json"
	"strings"
	"testing"

	"securemail/internal/phrase"
	"securemail/smime"
	"securemail/tests/verdicts"
)

// TestReasonIsItsPhrasesEnglish opens a message for every verdict and
// checks that the report's Reason — the English of the command line and of
// the JSON, a contract — reads word for word as it always has, and that it
// is exactly the English of the phrases the window renders in its own
// language, so that the two cannot say different things; the JSON report
// carries none of the phrases (issue 15 point 5: it gains nothing
// language-dependent).
func TestReasonIsItsPhrasesEnglish(t *testing.T) {
	statuses := map[string]bool{}
	for _, c := range verdicts.Open(t) {
		r := c.Report
		statuses[c.Status] = true
		if r.Signature != c.Status {
			t.Errorf("%s: status %q, want %q (%s)", c.Name, r.Signature, c.Status, r.Reason)
		}
		if r.Reason != c.English {
			t.Errorf("%s: the reason is\n  %q, it was\n  %q", c.Name, r.Reason, c.English)
		}
		if got := phrase.Join(r.ReasonPhrases, phrase.Phrase.String); got != r.Reason {
			t.Errorf("%s: the phrases say\n  %q, the reason\n  %q", c.Name, got, r.Reason)
		}
		for _, p := range r.ReasonPhrases {
			if p.Key == "" {
				t.Errorf("%s: a phrase without a key: %q", c.Name, p.English)
			}
		}
		if r.Signed != (len(r.Verdict) > 0) {
			t.Errorf("%s: signed %v with %d verdict phrases", c.Name, r.Signed, len(r.Verdict))
		}
		if got, want := r.VerdictPhrase().String(), phrase.Join(r.Verdict, phrase.Phrase.String); got != want {
			t.Errorf("%s: the verdict as one phrase says\n  %q, its sentences\n  %q", c.Name, got, want)
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range r.ReasonPhrases {
			if p.Key != "" && strings.Contains(string(js), `"`+p.Key+`"`) {
				t.Errorf("%s: the JSON report carries the key %q: %s", c.Name, p.Key, js)
			}
		}
		if r.Error != r.ErrorPhrase.String() {
			t.Errorf("%s: error %q, its phrase %q", c.Name, r.Error, r.ErrorPhrase.String())
		}
	}
	for _, s := range []string{smime.StatusValid, smime.StatusInvalid, smime.StatusUntrusted, smime.StatusExpired,
		smime.StatusWeakAlgorithm, smime.StatusAddressMismatch, smime.StatusBadFrom, smime.StatusNone} {
		if !statuses[s] {
			t.Errorf("no case for the status %q", s)
		}
	}
}
