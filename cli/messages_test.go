package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemail/mailstore"
)

// hostileMessage has a right-to-left override and a C1 control (CSI) in its
// sender and subject, terminal escapes in its text, and an attachment named
// "CON<U+202E>.txt" in RFC 2231 form.
const hostileMessage = "From: =?utf-8?q?Jan_Peeters_=E2=80=AE?= <eve@tcn.b.eu-admin.net>\r\n" +
	"To: Marie.Curie@tcn.f.eu-admin.net\r\n" +
	"Subject: =?utf-8?q?Invoice_=E2=80=AEfdp.exe=C2=9B2J?=\r\n" +
	"Date: Sun, 1 Mar 2026 10:02:00 +0000\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=b\r\n\r\n" +
	"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPay now\x1b[2J\r\n" +
	"--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename*=utf-8''CON%E2%80%AE.txt\r\n\r\nhello\r\n" +
	"--b--\r\n"

// storeHostile puts hostileMessage in a new profile's Inbox and returns the
// profile folder and the message's id.
func storeHostile(t *testing.T) (profile, id string) {
	t.Helper()
	profile = t.TempDir()
	st, err := mailstore.Open(context.Background(), filepath.Join(profile, "mail"), mailstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id, err = st.Add(context.Background(), mailstore.Inbox, []byte(hostileMessage), mailstore.AddOptions{})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return profile, id
}

func runInProfile(t *testing.T, profile string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "SECUREMAIL_KEY_PASSPHRASE" {
			return "a long enough passphrase" // no OS keyring needed
		}
		return ""
	}
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: getenv}
	code = Run(context.Background(), env, append([]string{"--profile", profile}, args...))
	return code, out.String(), errb.String()
}

// TestMessagesListShowsHiddenCharacters: the text listing shows the right-to-
// left override and the C1 control as <U+202E> and <U+009B>, never the
// characters themselves; --json keeps the raw value.
func TestMessagesListShowsHiddenCharacters(t *testing.T) {
	profile, _ := storeHostile(t)
	code, out, stderr := runInProfile(t, profile, "messages", "list")
	if code != ExitOK {
		t.Fatalf("messages list: exit %d, %s", code, stderr)
	}
	for _, want := range []string{"Jan Peeters <U+202E> <eve@tcn.b", "Invoice <U+202E>fdp.exe<U+009B>2J"} {
		if !strings.Contains(out, want) {
			t.Errorf("messages list does not show %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\u202e\u009b\x1b") {
		t.Errorf("messages list prints a hidden character itself:\n%q", out)
	}
	code, out, stderr = runInProfile(t, profile, "messages", "list", "--json")
	var rows []mailstore.Row
	if err := json.Unmarshal([]byte(out), &rows); code != ExitOK || err != nil || len(rows) != 1 {
		t.Fatalf("messages list --json: exit %d, %v, %s%s", code, err, out, stderr)
	}
	if rows[0].Subject != "Invoice \u202efdp.exe\u009b2J" {
		t.Errorf("--json subject %q, want the raw value", rows[0].Subject)
	}
}

// TestMessagesShowSavesAttachmentsUnderSafeNames: `messages show` marks the
// hidden characters in its text output, and --save-attachments saves
// "CON<U+202E>.txt" as _CON.txt, then _CON (2).txt, and says so.
func TestMessagesShowSavesAttachmentsUnderSafeNames(t *testing.T) {
	profile, id := storeHostile(t)
	dir := t.TempDir()
	code, out, stderr := runInProfile(t, profile, "messages", "show", id, "--save-attachments", dir)
	if code != ExitOK {
		t.Fatalf("messages show: exit %d, %s", code, stderr)
	}
	for _, want := range []string{"Subject: Invoice <U+202E>fdp.exe<U+009B>2J", "Pay now<U+001B>[2J",
		"Attachment: CON<U+202E>.txt (5 bytes, text/plain), saved as _CON.txt"} {
		if !strings.Contains(out, want) {
			t.Errorf("messages show does not print %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\u202e\u009b\x1b") {
		t.Errorf("messages show prints a hidden character itself:\n%q", out)
	}
	code, out, stderr = runInProfile(t, profile, "messages", "show", id, "--json", "--save-attachments", dir)
	var v struct {
		Subject     string `json:"subject"`
		Attachments []struct {
			Name    string `json:"name"`
			SavedAs string `json:"saved_as"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal([]byte(out), &v); code != ExitOK || err != nil {
		t.Fatalf("messages show --json: exit %d, %v, %s%s", code, err, out, stderr)
	}
	if len(v.Attachments) != 1 || v.Attachments[0].Name != "CON\u202e.txt" || v.Attachments[0].SavedAs != "_CON (2).txt" {
		t.Errorf("--json attachments %+v, want the raw name saved as _CON (2).txt", v.Attachments)
	}
	for _, name := range []string{"_CON.txt", "_CON (2).txt"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != "hello" {
			t.Errorf("%s holds %q, %v", name, b, err)
		}
	}
}
