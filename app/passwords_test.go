package app

import (
	"context"
	"strings"
	"testing"

	"securemail/app/compose"
)

// TestSetPasswordsIsWhatFetchAndSendUse: after a password change the
// keystore holds the new passwords, and fetch and send log in with them —
// a wrong one is refused by the real servers, the right one works again.
func TestSetPasswordsIsWhatFetchAndSendUse(t *testing.T) {
	netDir := startNet(t)
	a := tester(t, netDir, alain, nil)
	ctx := context.Background()
	good, err := a.Keys.Get(secretPOP3)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetPasswords("not the password", "nor this one"); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{secretPOP3: "not the password", secretSMTP: "nor this one"} {
		if got, err := a.Keys.Get(name); err != nil || string(got) != want {
			t.Fatalf("%s in the keystore: %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := a.Fetch(ctx, nil); err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("fetch with the wrong new POP3 password: %v; want an authentication refusal", err)
	}
	res, err := a.Send(ctx, &compose.Draft{To: []string{marie}, Subject: "wrong password", Text: "hello"}, SendOptions{})
	if err == nil || !strings.Contains(err.Error(), "password") || len(res.Accepted) > 0 {
		t.Fatalf("send with the wrong new SMTP password: %+v, %v; want an authentication refusal", res, err)
	}

	if err := a.SetPasswords(string(good), ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Keys.Get(secretSMTP); string(got) != string(good) {
		t.Fatalf("an empty SMTP password stored %q; want the POP3 password", got)
	}
	if _, err := a.Fetch(ctx, nil); err != nil {
		t.Fatalf("fetch with the right password again: %v", err)
	}
	res, err = a.Send(ctx, &compose.Draft{To: []string{marie}, Subject: "right password", Text: "hello"}, SendOptions{})
	if err != nil || len(res.Accepted) != 1 {
		t.Fatalf("send with the right password again: %+v, %v", res, err)
	}
}

func TestSetPasswordsRefusesEmpty(t *testing.T) {
	netDir := startNet(t)
	a := tester(t, netDir, alain, nil)
	before, _ := a.Keys.Get(secretPOP3)
	err := a.SetPasswords("", "x")
	if err == nil || !strings.Contains(err.Error(), "POP3 password is empty") {
		t.Fatalf("empty POP3 password: %v", err)
	}
	if after, _ := a.Keys.Get(secretPOP3); string(after) != string(before) {
		t.Fatal("a refused change altered the stored password")
	}
}
