package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/app"
	"securemail/app/keystore"
	"securemail/mailstore"
	"securemail/testnet/mailbox"
	"securemail/tests/testenv"
)

// TestFetchSurvivesSIGKILL delivers 500 messages to Marie's mailbox, then
// runs `securemail fetch` in a child process 20 times, killing it with
// SIGKILL at a random moment each time, and finishes with a complete
// fetch: every delivered message must be in the Inbox exactly once, and
// the server's mailbox must be empty.
func TestFetchSurvivesSIGKILL(t *testing.T) {
	needKeyring(t)
	const messages, kills = 500, 20
	n := startNetwork(t)
	profile := filepath.Join(t.TempDir(), "marie")
	mustRun(t, profile, "", "account", "setup", "--from-handout", n.handout(marie), "--trust-root")

	boxes, err := mailbox.Open(filepath.Join(n.dir, "nodes", "f-server", "mail"))
	if err != nil {
		t.Fatal(err)
	}
	user := strings.ToLower(marie)
	delivered := map[string]bool{}
	for i := range messages {
		id := fmt.Sprintf("<crash-%03d-%d@tcn.b.eu-admin.net>", i, time.Now().UnixNano())
		delivered[id] = true
		body := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: crash test %d\r\nMessage-ID: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n%s\r\n",
			alain, marie, i, id, time.Now().Format(time.RFC1123Z), strings.Repeat("Line of the crash test message.\r\n", 20+i%50))
		if _, err := boxes.Deliver(user, "", strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}

	args, _ := json.Marshal([]string{"--profile", profile, "fetch", "--quiet"})
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	start := time.Now()
	for run := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childArgsEnv+"="+string(args))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		delay := time.Duration(rng.Int64N(int64(1500 * time.Millisecond)))
		select {
		case <-time.After(delay):
			cmd.Process.Kill() // SIGKILL: no deferred code, no Close, no QUIT
			<-exited
		case <-exited: // finished before the kill: fine, nothing to kill
		}
		t.Logf("run %2d: killed after %v; %d message files stored", run+1, delay.Round(time.Millisecond), countFiles(t, filepath.Join(profile, "mail", "messages"), ".eml"))
	}
	t.Logf("%d killed runs in %v", kills, time.Since(start).Round(time.Millisecond))

	// The final, complete fetch (the server may take a moment to notice
	// the last killed session and free the mailbox).
	testenv.Eventually(t, time.Minute, func() error {
		if r := run(t, profile, "", "fetch", "--quiet"); r.code != 0 {
			return fmt.Errorf("the final fetch failed: %s", r.stderr)
		}
		return nil
	})

	k, err := keystore.ForProfile(profile)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), profile, app.Options{Keys: k})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	rows, err := a.Messages(context.Background(), mailstore.Inbox, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, r := range rows {
		m, err := a.Store.Get(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen[m.MessageID]++
		if !m.Verified {
			t.Errorf("message %s (%s) was stored but never opened and classified", r.ID, r.Subject)
		}
	}
	lost, dup := 0, 0
	for id := range delivered {
		switch seen[id] {
		case 0:
			lost++
		case 1:
		default:
			dup++
			t.Errorf("%s is in the Inbox %d times", id, seen[id])
		}
	}
	if lost > 0 || dup > 0 || len(rows) != messages {
		t.Fatalf("after %d killed fetches and a complete one: %d messages in the Inbox, %d lost, %d duplicated; want %d, 0, 0", kills, len(rows), lost, dup, messages)
	}
	left, err := boxes.List(user)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Fatalf("%d messages are still on the server after the complete fetch; want them deleted once stored", len(left))
	}
}

func countFiles(t *testing.T, dir, ext string) int {
	t.Helper()
	n := 0
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && strings.HasSuffix(p, ext) {
			n++
		}
		return nil
	})
	return n
}
