package app

import (
	"errors"
	"testing"

	"securemail/app/profile"
	"securemail/internal/phrase"
	"securemail/mailstore"
)

// TestCoreRefusalsAreKeyed (issue 15): the core's own refusals reach the
// window keyed, with their variable parts as values — a folder the window
// names in its language, a nested cause as its own phrase — and the
// command line reads the same English as before they were keyed.
func TestCoreRefusalsAreKeyed(t *testing.T) {
	cause := &Problem{What: "The keyring is locked"} // a Problem the window wrote: shown as it is
	for _, tc := range []struct {
		name, want string
		err        error
		nested     map[string]string // value name → the key of the phrase it must be
	}{
		{"server without a port", `The POP3 server "mail" has no port; give it as host:port.`,
			checkServer("POP3", profile.Server{Address: "mail"}), nil},
		{"unknown TLS mode", `The SMTP security "tls" is not one SecureMail knows; choose none, starttls or implicit.`,
			checkServer("SMTP", profile.Server{Address: "mail:25", TLS: "tls"}), nil},
		{"password missing", "The smtp password is not in the keyring; set the account up again.", missingSecret(secretSMTP), nil},
		{"a standard folder", "Only a draft can be discarded, and this message is in Inbox; delete it instead.",
			refusal(sentence("app.DiscardDraft.notDraft", "Only a draft can be discarded, and this message is in {{.Folder}}", "delete it instead",
				phrase.Args{"Folder": folderPhrase(mailstore.Inbox)})), map[string]string{"Folder": "folder.inbox"}},
		{"a cause after a colon", "Mail could not be fetched: the keyring is locked.",
			because(sentence("app.Fetch.failed", "Mail could not be fetched", "", nil), cause), map[string]string{"What": "sentence.app.Fetch.failed.what"}},
		{"a count", "Message 7 on the server is larger than 64 MB, so it was left there; read it with another mail program, or ask the sender to send it smaller.",
			refusal(sentence("app.Fetch.tooLarge", "Message {{.N}} on the server is larger than {{.MB}} MB, so it was left there",
				"read it with another mail program, or ask the sender to send it smaller", phrase.Args{"N": 7, "MB": 64})), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Explain(tc.err)
			if got := s.String(); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if s.Key == "" || s.WhatPhrase().Key != "sentence."+s.Key+".what" || s.WhatPhrase().String() != s.What {
				t.Errorf("not keyed for the window: %+v", s)
			}
			for name, key := range tc.nested {
				p, ok := s.Args[name].(phrase.Phrase)
				if !ok || p.Key != key {
					t.Errorf("value %s is %#v, want the phrase %s", name, s.Args[name], key)
				}
			}
		})
	}
	// The core's sentence of a Problem whose What was changed after it was
	// worded is the Problem's own English, never a stale translation.
	p := refusal(sentence("app.Send.noRecipient", "The message has no recipient", "add one in To", nil))
	p.What = "Something else"
	if s := p.Sentence(); s.Key != "" || s.What != "Something else" {
		t.Errorf("a changed Problem: %+v", s)
	}
	if !errors.Is(because(sentence("app.Send.inOutbox", "The message is kept in the Outbox", "", nil), mailstore.ErrClosed), mailstore.ErrClosed) {
		t.Error("because loses its cause")
	}
}

// TestPhraseValuesKeepTheCommandLinesEnglish: a phrase handed on from an
// engine is used only when it says what the English says; otherwise the
// English goes in as it is, so the command line never changes.
func TestPhraseValuesKeepTheCommandLinesEnglish(t *testing.T) {
	p := phrase.New("folder.sent", "Sent", nil)
	if got := asPhrase(p, "Sent"); got.Key != "folder.sent" {
		t.Errorf("the matching phrase was dropped: %+v", got)
	}
	for _, english := range []string{"Sent mail", ""} {
		if got := asPhrase(p, english); got.Key != "" || got.String() != english {
			t.Errorf("asPhrase(%q) = %+v, want the English as it is", english, got)
		}
	}
	if got := verbatim("{{.Text}} {{.X}}").String(); got != "{{.Text}} {{.X}}" {
		t.Errorf("a value is read as a template: %q", got)
	}
}
