// SIGTERM is a Unix signal (Windows has none to send).
//go:build unix

package e2e

import (
	"bytes"
	"crypto"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"securemail/testnet/mailbox"
	"securemail/tests/hostile"
)

// TestFetchStopsOnSIGTERMWhileOpening: a 55 MB hostile message (11 million
// empty MIME parts, correctly signed by Alain) waits in Marie's mailbox;
// `securemail fetch` (the built program) gets SIGTERM once it has stored
// it, while it opens it. It must end within 1 s, exit 2 saying
// it stopped; the next fetch finishes the job: the message is in the Inbox
// once, judged, and gone from the server (issue 12 point 7).
func TestFetchStopsOnSIGTERMWhileOpening(t *testing.T) {
	needKeyring(t)
	n := startNetwork(t)
	profile := filepath.Join(t.TempDir(), "marie")
	mustRun(t, profile, "", "account", "setup", "--from-handout", n.handout(marie), "--trust-root")
	id := handoutIdentity(t, n.handout(alain))
	msg, err := hostile.EmptyParts(hostile.Signer{Key: id.PrivateKey.(crypto.Signer), Certificate: id.Certificate, Chain: id.Chain}, 11_000_000)
	if err != nil {
		t.Fatal(err)
	}
	boxes, err := mailbox.Open(filepath.Join(n.dir, "nodes", "f-server", "mail"))
	if err != nil {
		t.Fatal(err)
	}
	user := strings.ToLower(marie)
	if _, err := boxes.Deliver(user, "", bytes.NewReader(msg)); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "securemail")
	if out, err := exec.Command("go", "build", "-tags", "nogui", "-o", bin, "securemail").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "--profile", profile, "fetch")
	cmd.Env = os.Environ()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	// Stored (its .eml file has its name): it is now opening it.
	stored := func() bool {
		found, _ := filepath.Glob(filepath.Join(profile, "mail", "messages", "*", "*.eml"))
		return len(found) > 0
	}
	deadline := time.Now().Add(60 * time.Second) // failure guard only
	poll := time.NewTicker(time.Millisecond)
	defer poll.Stop()
	for ; !stored(); <-poll.C {
		select {
		case err := <-exited:
			t.Fatalf("fetch ended (%v) before it had stored the message: %s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("fetch has not stored the message after 60 s: %s", stderr.String())
		}
	}
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v (%s)", err, stderr.String())
	}
	select {
	case err := <-exited:
		took := time.Since(start)
		t.Logf("fetch ended %v after SIGTERM (%v): %s", took.Round(time.Millisecond), err, strings.TrimSpace(stderr.String()))
		if took > time.Second {
			t.Errorf("fetch took %v from SIGTERM to exit; the bound is 1 s", took)
		}
		if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(stderr.String(), "stopped") {
			t.Errorf("exit %d, stderr %q: a stopped fetch exits 2 saying it stopped", code, stderr.String())
		}
	case <-time.After(30 * time.Second): // failure guard only
		t.Fatalf("fetch still running 30 s after SIGTERM: %s", stderr.String())
	}

	// The next fetch opens what the stopped one stored, and empties the server.
	mustRun(t, profile, "", "fetch", "--quiet")
	var rows []listRow
	jsonOut(t, profile, &rows, "messages", "list", "--folder", "Inbox")
	if len(rows) != 1 || rows[0].Subject != "hostile" || !rows[0].Signed || rows[0].Signature == "" || rows[0].Signature == "unverified" {
		t.Fatalf("Inbox after the next fetch: %+v; want the hostile message once, judged", rows)
	}
	left, err := boxes.List(user)
	if err != nil || len(left) != 0 {
		t.Fatalf("%d messages left on the server (%v)", len(left), err)
	}
}
