package phrase

import (
	"testing"
	"time"
)

func TestStringIsTheEnglish(t *testing.T) {
	day := time.Date(2026, 3, 9, 14, 5, 0, 0, time.UTC)
	inner := New("inner", "on {{.Day}}", Args{"Day": Date(day)})
	for _, c := range []struct {
		p    Phrase
		want string
	}{
		{New("plain", "Signature INVALID: the message was changed after it was signed.", nil), "Signature INVALID: the message was changed after it was signed."},
		{New("who", "Signed by {{.Who}} — valid.", Args{"Who": "anna@fr.tachonet.eu"}), "Signed by anna@fr.tachonet.eu — valid."},
		{New("date", "It expired on {{.Day}}.", Args{"Day": Date(day)}), "It expired on 9 March 2026."},
		{New("moment", "Made on {{.At}}.", Args{"At": Moment(day)}), "Made on 9 March 2026 14:05 UTC."},
		{New("nested", "Revoked {{.When}}.", Args{"When": inner}), "Revoked on 9 March 2026."},
		{New("number", "A {{.Bits}}-bit key.", Args{"Bits": 1024}), "A 1024-bit key."},
		{New("grouped", "More than {{.N}} parts.", Args{"N": Number(10_000)}), "More than 10,000 parts."},
		{New("grouped", "More than {{.N}} parts.", Args{"N": Number(1_048_576)}), "More than 1,048,576 parts."},
		{New("grouped", "More than {{.N}} parts.", Args{"N": Number(-1000)}), "More than -1,000 parts."},
		{New("grouped", "More than {{.N}} parts.", Args{"N": Number(999)}), "More than 999 parts."},
		{New("broken", "Signed by {{.Who", Args{"Who": "x"}), "Signed by {{.Who"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.p.Key, got, c.want)
		}
	}
}

func TestValuesAreNotTemplates(t *testing.T) {
	// A hostile value (an address from a message) is printed, never run.
	p := New("who", "Signed by {{.Who}}.", Args{"Who": "{{.Who}}{{range .}}"})
	if got, want := p.String(), "Signed by {{.Who}}{{range .}}."; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

func TestJoinSkipsEmptyPhrases(t *testing.T) {
	ps := []Phrase{New("a", "One.", nil), {}, New("b", "Two.", nil)}
	if got := Join(ps, Phrase.String); got != "One. Two." {
		t.Errorf("%q", got)
	}
}

func TestWithinDropsTheFullStop(t *testing.T) {
	inner := New("inner", "The Digital ID of {{.Who}} expired.", Args{"Who": "anna"})
	outer := New("outer", "It cannot be used ({{.Reason}}).", Args{"Reason": inner.Within()})
	if got, want := outer.String(), "It cannot be used (The Digital ID of anna expired)."; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got := inner.String(); got != "The Digital ID of anna expired." {
		t.Errorf("the phrase itself changed: %q", got)
	}
}
