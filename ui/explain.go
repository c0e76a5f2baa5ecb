package ui

import (
	"fyne.io/fyne/v2/lang"

	"securemail/app"
	"securemail/ui/i18n"
)

// explain words err for the window: app.Explain's sentence in the window's
// language when the translation files have it (its Key), its English
// otherwise.
func explain(err error) string { return sentenceText(app.Explain(err)) }

// sentenceText is s in the window's language, its values in the language
// too (i18n.Say), with the English as the fallback of each part.
func sentenceText(s app.Sentence) string {
	if s.Key == "" {
		return s.String()
	}
	what := i18n.Say(s.WhatPhrase())
	if s.Do == "" {
		return lang.L("sentence.whatonly", map[string]any{"What": what})
	}
	return lang.L("sentence.whatdo", map[string]any{"What": what, "Do": i18n.Say(s.DoPhrase())})
}

// explainWhat is what happened, without what to do, in the window's
// language: to go inside a longer sentence.
func explainWhat(err error) string {
	s := app.Explain(err)
	if s.Key == "" {
		return s.What
	}
	return i18n.Say(s.WhatPhrase())
}
