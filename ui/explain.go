package ui

import (
	"fyne.io/fyne/v2/lang"

	"securemail/app"
)

// explain words err for the window: app.Explain's sentence in the window's
// language when the translation files have it (its Key), its English
// otherwise.
func explain(err error) string { return sentenceText(app.Explain(err)) }

// sentenceText is s in the window's language, with the English as the
// fallback of each part.
func sentenceText(s app.Sentence) string {
	if s.Key == "" {
		return s.String()
	}
	what := lang.X("sentence."+s.Key+".what", s.What)
	if s.Do == "" {
		return lang.L("sentence.whatonly", map[string]any{"What": what})
	}
	return lang.L("sentence.whatdo", map[string]any{"What": what, "Do": lang.X("sentence."+s.Key+".do", s.Do)})
}

// explainWhat is what happened, without what to do, in the window's
// language: to go inside a longer sentence.
func explainWhat(err error) string {
	s := app.Explain(err)
	if s.Key == "" {
		return s.What
	}
	return lang.X("sentence."+s.Key+".what", s.What)
}
