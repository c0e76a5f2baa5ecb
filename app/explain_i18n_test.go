package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestTranslatedSentencesAreTheSameEnglish (issue 15): every sentence
// Explain gives a Key reads in the window's English translation file
// (ui/i18n/translations/en.json, "sentence.<Key>.what" / ".do") exactly as
// the CLI shows it, so the window's English and the CLI's never drift; the
// French and German files are held to the same keys by ui/i18n's key test.
func TestTranslatedSentencesAreTheSameEnglish(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "ui", "i18n", "translations", "en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]any
	if err := json.Unmarshal(data, &en); err != nil {
		t.Fatal(err)
	}
	sentences := []Sentence{unexplained, Explain(context.Canceled), Explain(context.DeadlineExceeded)}
	for _, e := range sentinelSentences {
		if got := Explain(e.err); !reflect.DeepEqual(got, e.s) {
			t.Errorf("Explain(%v) = %+v, want the table's %+v", e.err, got, e.s)
		}
		sentences = append(sentences, e.s)
	}
	for _, s := range sentences {
		if s.Key == "" {
			t.Errorf("the sentence %q has no Key: the window cannot translate it", s.What)
			continue
		}
		if got := en["sentence."+s.Key+".what"]; got != s.What {
			t.Errorf("en.json sentence.%s.what = %q, want %q", s.Key, got, s.What)
		}
		got, ok := en["sentence."+s.Key+".do"]
		switch {
		case s.Do == "" && ok:
			t.Errorf("en.json has sentence.%s.do, but the sentence has nothing to do", s.Key)
		case s.Do != "" && got != s.Do:
			t.Errorf("en.json sentence.%s.do = %q, want %q", s.Key, got, s.Do)
		}
	}
}
