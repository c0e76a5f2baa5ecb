package app

import (
	"context"
	"slices"
	"testing"

	"securemail/app/compose"
	"securemail/internal/mailheader"
)

// TestSecondFetchAnnouncesNoKnownDigitalID: the first signed mail of a
// sender puts their Digital ID in the address book and the fetch says so;
// a second signed mail with the same Digital ID adds nothing, so the next
// fetch announces nothing (issue 14 point 10).
func TestSecondFetchAnnouncesNoKnownDigitalID(t *testing.T) {
	netDir := startNet(t)
	a := tester(t, netDir, alain, nil)
	m := tester(t, netDir, marie, nil)
	ctx := context.Background()
	send := func(subject string) {
		t.Helper()
		if _, err := a.Send(ctx, &compose.Draft{To: []string{marie}, Subject: subject, Text: "hello"}, SendOptions{Sign: true}); err != nil {
			t.Fatal(err)
		}
	}
	send("first")
	var first []string
	fetchUntil(t, m, "the first signed mail", func(r *FetchResult) bool { first = append(first, r.Harvested...); return r.New > 0 })
	if !slices.ContainsFunc(first, func(s string) bool { return mailheader.EqualAddress(s, alain) }) {
		t.Fatalf("the first fetch announced %v; want Alain's Digital ID added", first)
	}
	send("second")
	var again []string
	fetchUntil(t, m, "the second signed mail", func(r *FetchResult) bool { again = append(again, r.Harvested...); return r.New > 0 })
	if len(again) != 0 {
		t.Fatalf("the second fetch announced %v as added, though the address book already held it", again)
	}
}
