package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"securemail/testnet"
	"securemail/tests/testenv"
)

// syncBuffer is a bytes.Buffer safe for the command's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func runTN(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}, args)
	return code, out.String(), errb.String()
}

func TestTestnetServeHandoutsOutageLogQueue(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "net")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}, []string{"testnet", "--dir", dir, "--clock-speed", "60"})
	}()
	t.Cleanup(func() { cancel(); <-done })

	// The handouts appear and the submission port answers.
	acc := filepath.Join(testnet.HandoutDir(dir, "Marie.Curie@tcn.f.eu-admin.net"), "account.json")
	testenv.Eventually(t, 2*time.Minute, func() error {
		if !strings.Contains(out.String(), "Press Ctrl-C") {
			return fmt.Errorf("the network did not start: %s %s", out.String(), errb.String())
		}
		return nil
	})
	b, err := os.ReadFile(acc)
	if err != nil {
		t.Fatal(err)
	}
	var a map[string]string
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"address", "pop3", "pop3_tls", "smtp", "smtp_tls", "username", "password", "server_ca"} {
		if a[k] == "" {
			t.Errorf("account.json lacks %q: %s", k, b)
		}
	}
	hd := filepath.Dir(acc)
	for _, f := range []string{"Root_CA.cer", "EC_CA.cer", "Mail.pfx", "password.txt", a["server_ca"]} {
		if _, err := os.Stat(filepath.Join(hd, f)); err != nil {
			t.Errorf("handout file %s: %v", f, err)
		}
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := testenv.WaitTCP(wctx, a["smtp"]); err != nil {
		t.Fatal(err)
	}

	// outage: accepted for a known node, refused for an unknown one.
	if code, _, e := runTN(t, "testnet", "outage", "--dir", dir, "relay", "2m"); code != ExitOK {
		t.Fatalf("outage relay: %d %s", code, e)
	}
	if code, _, e := runTN(t, "testnet", "outage", "--dir", dir, "nowhere", "2m"); code != ExitError || !strings.Contains(e, "relay-a") {
		t.Fatalf("outage of an unknown node: %d %q; want exit 2 listing the nodes", code, e)
	}
	// The running network applies the outage, and at 60x ends it 2 s later.
	testenv.Eventually(t, 2*time.Minute, func() error {
		if _, logOut, _ := runTN(t, "testnet", "log", "--dir", dir); !strings.Contains(logOut, "relay    outage    : back up") {
			return fmt.Errorf("the outage did not begin and end in the log:\n%s", logOut)
		}
		return nil
	})
	if code, q, _ := runTN(t, "testnet", "queue", "--dir", dir); code != ExitOK || !strings.Contains(q, "No messages are queued") {
		t.Fatalf("queue: %d %q", code, q)
	}
	if code, q, _ := runTN(t, "testnet", "queue", "--dir", dir, "--json"); code != ExitOK || strings.TrimSpace(q) != "[]" {
		t.Fatalf("queue --json: %d %q", code, q)
	}

	// SIGINT (context cancelled): clean shutdown, exit 0.
	cancel()
	if code := <-done; code != ExitOK {
		t.Fatalf("exit %d after the interrupt: %s", code, errb.String())
	}
	done <- 0
	_, logOut, _ := runTN(t, "testnet", "log", "--dir", dir)
	if !strings.Contains(logOut, "network  stopped") {
		t.Fatalf("no clean stop in the log:\n%s", logOut)
	}

	// A second run reuses the folder: same CA, same passwords.
	root1, _ := os.ReadFile(filepath.Join(hd, "Root_CA.cer"))
	if _, _, err := testnet.Prepare(dir, ""); err != nil {
		t.Fatal(err)
	}
	root2, _ := os.ReadFile(filepath.Join(hd, "Root_CA.cer"))
	b2, _ := os.ReadFile(acc)
	if !bytes.Equal(root1, root2) || !bytes.Equal(b, b2) {
		t.Fatal("a second run changed the CA or the account")
	}
}

func TestTestnetUsageErrors(t *testing.T) {
	if code, _, e := runTN(t, "testnet", "--clock-speed", "0", "--dir", t.TempDir()); code != ExitError || e == "" {
		t.Fatalf("--clock-speed 0: %d %q", code, e)
	}
	if code, _, e := runTN(t, "testnet", "log", "--dir", t.TempDir()); code != ExitError || !strings.Contains(e, "start the network") {
		t.Fatalf("log of an empty folder: %d %q", code, e)
	}
	if code, out, _ := runTN(t, "testnet", "--help"); code != ExitOK || !strings.Contains(out, "--clock-speed") {
		t.Fatalf("--help: %d %q", code, out)
	}
}
