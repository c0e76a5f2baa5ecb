package queue

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"securemail/tests/testenv"
)

// holdTarget never delivers: the downstream queue keeps what it accepted.
type holdTarget struct{}

func (holdTarget) Deliver(_ context.Context, d Delivery) []error {
	errs := make([]error, len(d.To))
	for i := range errs {
		errs[i] = errors.New("held for inspection")
	}
	return errs
}

// hopTarget hands messages to the next queue, as an SMTP hop would.
type hopTarget struct{ next *Queue }

func (h hopTarget) Deliver(ctx context.Context, d Delivery) []error {
	_, err := h.next.Enqueue(ctx, Envelope{From: d.From, To: d.To, EnvID: d.EnvID}, d.Body)
	errs := make([]error, len(d.To))
	for i := range errs {
		errs[i] = err
	}
	return errs
}

func openPair(dir string) (up, down *Queue, err error) {
	down, err = Open(Options{Dir: filepath.Join(dir, "down"), Target: holdTarget{}, RetryInterval: time.Hour})
	if err != nil {
		return nil, nil, err
	}
	up, err = Open(Options{Dir: filepath.Join(dir, "up"), Target: hopTarget{down}, RetryInterval: 50 * time.Millisecond})
	return up, down, err
}

// TestMain lets the crash test run this binary as the process it kills.
func TestMain(m *testing.M) {
	if dir := os.Getenv("QUEUE_HOSTILE_CHILD"); dir != "" {
		hostileChild(dir)
	}
	if dir := os.Getenv("QUEUE_CRASH_CHILD"); dir != "" {
		up, _, err := openPair(dir)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		for i := 0; ; i++ {
			env := fmt.Sprintf("m-%d", i)
			if _, err := up.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"b@y", "c@y"}, EnvID: env}, strings.NewReader(msg)); err != nil {
				fmt.Println("error", err)
				os.Exit(3)
			}
			fmt.Println("ack", env) // the 250
		}
	}
	os.Exit(m.Run())
}

func TestSIGKILLLosesNothingAndDuplicatesNothing(t *testing.T) {
	dir := t.TempDir()
	acked := runAndKillChild(t, "QUEUE_CRASH_CHILD="+dir, 100+rand.IntN(400))

	up, down, err := openPair(dir)
	if err != nil {
		t.Fatalf("reopening after SIGKILL: %v", err)
	}
	defer down.Close()
	defer up.Close()
	testenv.Eventually(t, time.Minute, func() error {
		if n := len(up.List()); n > 0 {
			return fmt.Errorf("upstream still holds %d messages", n)
		}
		return nil
	})
	count := map[string]int{}
	for _, m := range down.List() {
		for _, r := range m.Rcpts {
			count[m.EnvID+" "+r.To]++
		}
	}
	for env := range acked {
		for _, to := range []string{"b@y", "c@y"} {
			if n := count[env+" "+to]; n != 1 {
				t.Errorf("%s to %s arrived %d times downstream, want exactly once", env, to, n)
			}
		}
	}
	for k, n := range count {
		if n != 1 {
			t.Errorf("%s arrived %d times", k, n)
		}
	}
	t.Logf("killed after %d acknowledgements; %d deliveries downstream", len(acked), len(count))
}

// runAndKillChild re-runs this test binary as a child with env set, reads
// its "ack ID" lines, SIGKILLs it after killAfter acknowledgements, and
// returns the acknowledged IDs.
func runAndKillChild(t *testing.T, env string, killAfter int) map[string]bool {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	acked := map[string]bool{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "ack" {
			acked[f[1]] = true
		} else {
			t.Fatalf("child: %s", sc.Text())
		}
		if len(acked) == killAfter {
			cmd.Process.Signal(syscall.SIGKILL)
			break
		}
	}
	cmd.Wait()
	return acked
}
