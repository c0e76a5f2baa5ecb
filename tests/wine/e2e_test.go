package wine

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/testnet"
	"securemail/tests/testenv"
)

// The two testers of the end-to-end run.
const (
	alain = "Alain.Dupont@tcn.b.eu-admin.net"
	marie = "Marie.Curie@tcn.f.eu-admin.net"
)

// TestCLIEndToEndUnderWine builds the command-line Windows program
// (CGO_ENABLED=0 GOOS=windows go build ./cmd/securemail-cli) and drives it under
// Wine as two testers would from cmd.exe: the bundled network started by
// `securemail testnet`, both profiles set up from their handouts with their
// keys in Wine's Credential Manager, a secure link, then a signed and
// encrypted message with an attachment named CON.txt (a reserved name on
// Windows) read back valid, and the attachment saved under a safe name.
func TestCLIEndToEndUnderWine(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	goTool := goCommand(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPrefix(ctx, t)
	exe := filepath.Join(t.TempDir(), "securemail.exe")
	build := exec.CommandContext(ctx, goTool, "build", "-o", exe, "./cmd/securemail-cli")
	build.Dir = root
	build.Env = GoEnv()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building securemail.exe: %v\n%s", err, out)
	}
	w := &windowsCLI{t: t, ctx: ctx, p: p, exe: exe}

	// The bundled network, as a Windows process.
	work := t.TempDir()
	netDir := filepath.Join(work, "net")
	cfg := filepath.Join(work, "testnet.toml")
	if err := os.WriteFile(cfg, []byte(testenv.TwoTesters), 0o600); err != nil {
		t.Fatal(err)
	}
	w.startNetwork(netDir, cfg)

	// Both testers set up from their handouts. No passphrase is given, so
	// the keys can only go to the OS keyring: Wine's Credential Manager.
	pa, pm := filepath.Join(work, "alain"), filepath.Join(work, "marie")
	w.mustRun(pa, "", "account", "setup", "--from-handout", WindowsPath(testnet.HandoutDir(netDir, alain)), "--trust-root")
	w.mustRun(pm, "", "account", "setup", "--from-handout", WindowsPath(testnet.HandoutDir(netDir, marie)), "--trust-root")
	for _, prof := range []string{pa, pm} {
		filepath.WalkDir(prof, func(path string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(path, ".sealed") {
				t.Errorf("%s: a key went to the passphrase file, not to the Credential Manager", path)
			}
			return nil
		})
	}

	// The secure link: a signed request, a signed reply.
	w.mustRun(pa, "", "securelink", "request", "--to", marie)
	if req := w.fetchUntil(pm, "Secure link request from Alain Dupont"); !req.Signed || req.Signature != "valid" {
		t.Fatalf("the request arrived as %+v; want signed and valid", req)
	}
	w.mustRun(pm, "", "securelink", "reply", "--to", alain)
	w.fetchUntil(pa, "Re: Secure link request")

	// A signed and encrypted message with an attachment named CON.txt.
	// Windows opens CON.txt as the console, whatever the folder: the file
	// can only be named through the \\?\ prefix, which turns the name
	// parsing off — as a file copied from a Linux share would need.
	content := []byte("Dossier 42\r\nline two\r\n")
	con := filepath.Join(work, "attach", "CON.txt")
	if err := os.MkdirAll(filepath.Dir(con), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(con, content, 0o600); err != nil {
		t.Fatal(err)
	}
	const subject = "Dossier 42 under Wine"
	w.mustRun(pa, "Le dossier est joint.\n", "send", "--to", marie, "--subject", subject, "--attach", `\\?\`+WindowsPath(con))
	row := w.fetchUntil(pm, subject)
	var rep struct {
		Encrypted   bool   `json:"encrypted"`
		Signed      bool   `json:"signed"`
		Signature   string `json:"signature"`
		Signer      string `json:"signer"`
		Text        string `json:"text"`
		Attachments []struct {
			Name    string `json:"name"`
			Size    int    `json:"size"`
			SavedAs string `json:"saved_as"`
		} `json:"attachments"`
	}
	w.jsonOut(pm, &rep, "messages", "show", row.ID)
	if !rep.Encrypted || !rep.Signed || rep.Signature != "valid" || !strings.EqualFold(rep.Signer, alain) {
		t.Fatalf("Marie reads %+v; want signed by %s, valid, encrypted", rep, alain)
	}
	if !strings.Contains(rep.Text, "Le dossier est joint.") {
		t.Fatalf("decrypted text %q lacks the body", rep.Text)
	}
	if len(rep.Attachments) != 1 || rep.Attachments[0].Name != "CON.txt" || rep.Attachments[0].Size != len(content) {
		t.Fatalf("attachments %+v; want CON.txt of %d bytes", rep.Attachments, len(content))
	}

	// Saved, it gets a name Windows keeps as a file, with the bytes intact
	// (CRLF included).
	saveDir := filepath.Join(work, "saved")
	if err := os.MkdirAll(saveDir, 0o700); err != nil {
		t.Fatal(err)
	}
	w.jsonOut(pm, &rep, "messages", "show", row.ID, "--save-attachments", WindowsPath(saveDir))
	if len(rep.Attachments) != 1 || rep.Attachments[0].SavedAs != "_CON.txt" {
		t.Fatalf("saved attachments %+v; want CON.txt saved as _CON.txt", rep.Attachments)
	}
	if b, err := os.ReadFile(filepath.Join(saveDir, "_CON.txt")); err != nil || !bytes.Equal(b, content) {
		t.Fatalf("_CON.txt holds %q (%v), want %q", b, err, content)
	}
}

// windowsCLI runs securemail.exe under Wine for one test.
type windowsCLI struct {
	t   *testing.T
	ctx context.Context
	p   *Prefix
	exe string
}

// startNetwork runs `securemail testnet` in the background until the test
// ends, and returns once it says it is serving.
func (w *windowsCLI) startNetwork(dir, cfg string) {
	t := w.t
	t.Helper()
	cmd := w.p.Command(w.ctx, w.exe, "testnet", "--dir", WindowsPath(dir), "--config", WindowsPath(cfg))
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// The prefix's wineserver stops what is left; this ends our own.
		cmd.Process.Kill()
		cmd.Wait()
		pw.Close()
	})
	ready := make(chan struct{})
	lines := make(chan string, 1000)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
			if strings.Contains(sc.Text(), "Press Ctrl-C") {
				close(ready)
				io.Copy(io.Discard, pr)
				return
			}
		}
	}()
	output := func() string { // what it printed so far, once it has ended
		var b strings.Builder
		for l := range lines {
			b.WriteString(l + "\n")
		}
		return b.String()
	}
	exited := make(chan struct{})
	go func() { cmd.Process.Wait(); close(exited) }()
	select {
	case <-ready:
	case <-exited:
		pw.Close()
		t.Fatalf("securemail testnet ended before serving:\n%s", output())
	case <-time.After(5 * time.Minute):
		cmd.Process.Kill()
		pw.Close()
		t.Fatalf("securemail testnet did not start within 5 minutes:\n%s", output())
	}
}

// run runs `securemail.exe --profile PROFILE args…` with stdin and returns
// its exit status and output.
func (w *windowsCLI) run(profile, stdin string, args ...string) (code int, stdout, stderr string) {
	w.t.Helper()
	cmd := w.p.Command(w.ctx, w.exe, append([]string{"--profile", WindowsPath(profile)}, args...)...)
	env := cmd.Env[:0:0]
	for _, kv := range cmd.Env {
		if !strings.HasPrefix(kv, "SECUREMAIL_") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		w.t.Fatalf("running securemail.exe %s: %v", strings.Join(args, " "), err)
	}
	return code, out.String(), errb.String()
}

// mustRun runs a command that must exit 0 and returns its output.
func (w *windowsCLI) mustRun(profile, stdin string, args ...string) string {
	w.t.Helper()
	code, out, errs := w.run(profile, stdin, args...)
	if code != 0 {
		w.t.Fatalf("securemail.exe %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// jsonOut runs a command with --json and decodes its output into v.
func (w *windowsCLI) jsonOut(profile string, v any, args ...string) {
	w.t.Helper()
	out := w.mustRun(profile, "", append(args, "--json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		w.t.Fatalf("securemail.exe %s --json printed something that is not the JSON expected (%v):\n%s", strings.Join(args, " "), err, out)
	}
}

// listRow is one entry of `messages list --json` (docs/ARCHITECTURE.md §3.2).
type listRow struct {
	ID        string `json:"id"`
	Subject   string `json:"subject"`
	Signed    bool   `json:"signed"`
	Signature string `json:"signature"`
	Encrypted bool   `json:"encrypted"`
}

// fetchUntil fetches as profile until a message with that subject is in
// the Inbox; the deadline only guards against a message that never comes
// (mail crosses two national servers and a relay).
func (w *windowsCLI) fetchUntil(profile, subject string) listRow {
	w.t.Helper()
	var found listRow
	testenv.Eventually(w.t, 2*time.Minute, func() error {
		w.mustRun(profile, "", "fetch", "--quiet")
		var rows []listRow
		w.jsonOut(profile, &rows, "messages", "list", "--folder", "Inbox")
		for _, r := range rows {
			if r.Subject == subject {
				found = r
				return nil
			}
		}
		return fmt.Errorf("%q did not arrive in the Inbox of %s", subject, profile)
	})
	return found
}
