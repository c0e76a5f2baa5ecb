package app

import (
	"strings"

	"securemail/internal/phrase"
	"securemail/mailstore"
)

// Problem is a refusal or failure the core words itself: What happened and
// what to Do, shown as they are by [Explain]; Err, when set, is the cause
// kept for errors.Is and logs.
type Problem struct {
	What string // starts with a capital, no final full stop
	Do   string // starts in lower case, no final full stop; may be ""
	Err  error
	// said is What and Do with their key and values (set by [refusal] and
	// [because]), for the window to say them in its language; zero for a
	// Problem written with What and Do alone, shown as they are.
	said Sentence
}

// Error returns the sentence with the package prefix, for logs.
func (p *Problem) Error() string {
	what := p.What
	if what != "" {
		what = strings.ToLower(what[:1]) + what[1:]
	}
	s := "app: " + what
	if p.Do != "" {
		s += "; " + p.Do
	}
	if p.Err != nil {
		s += ": " + p.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (p *Problem) Unwrap() error { return p.Err }

// Sentence is the problem's own sentence, without its cause's.
func (p *Problem) Sentence() Sentence {
	if p.said.Key != "" && p.said.What == p.What && p.said.Do == p.Do {
		return p.said
	}
	return Sentence{What: p.What, Do: p.Do}
}

// refusal is a *Problem worded by s (a [sentence]).
func refusal(s Sentence) *Problem { return &Problem{What: s.What, Do: s.Do, said: s} }

// because is a *Problem saying what failed (s, a [sentence]), with the
// cause's own sentence after it (Explain words both).
func because(s Sentence, err error) error {
	p := refusal(s)
	p.Err = err
	return p
}

// folderPhrase names a folder of the mail store inside a sentence: the
// standard ones in the window's language, the user's own as they are.
func folderPhrase(name string) phrase.Phrase {
	switch name {
	case mailstore.Inbox:
		return phrase.New("folder.inbox", "Inbox", nil)
	case mailstore.Outbox:
		return phrase.New("folder.outbox", "Outbox", nil)
	case mailstore.Sent:
		return phrase.New("folder.sent", "Sent", nil)
	case mailstore.Drafts:
		return phrase.New("folder.drafts", "Drafts", nil)
	case mailstore.Trash:
		return phrase.New("folder.trash", "Trash", nil)
	}
	return verbatim(name)
}
