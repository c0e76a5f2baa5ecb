package app

import (
	"fmt"
	"strings"
)

// Problem is a refusal or failure the core words itself: What happened and
// what to Do, shown as they are by [Explain]; Err, when set, is the cause
// kept for errors.Is and logs.
type Problem struct {
	What string // starts with a capital, no final full stop
	Do   string // starts in lower case, no final full stop; may be ""
	Err  error
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

// problem returns a *Problem without a cause.
func problem(what, do string) error { return &Problem{What: what, Do: do} }

// problemf is a *Problem whose What is formatted.
func problemf(do, format string, args ...any) error {
	return &Problem{What: fmt.Sprintf(format, args...), Do: do}
}

// because is a *Problem saying what failed, with the cause's own sentence
// after it (Explain words both).
func because(what string, err error) error { return &Problem{What: what, Err: err} }
