//go:build !windows

// The SIGKILL test stops its child with SIGTERM and watches it through /proc:
// POSIX process control, not part of the Windows build of the tests. (The
// queue's own crash tests, whose SIGKILL Go turns into TerminateProcess, run on
// Windows.)

package testnet

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"securemail/testnet/mailbox"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// TestMain lets the durability test run this binary as the network process
// it kills.
func TestMain(m *testing.M) {
	if dir := os.Getenv("TESTNET_CHILD_DIR"); dir != "" {
		os.Exit(runChild(dir))
	}
	os.Exit(m.Run())
}

func runChild(dir string) int {
	cfg, ca, err := Prepare(dir, "")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	n, err := Start(Options{Dir: dir, Config: cfg, CA: ca})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Println(childServing)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	n.Shutdown(context.Background())
	return 0
}

// childServing is the line the child prints once its network serves.
const childServing = "serving"

// startChild runs the network of dir in a child process (which prepares
// the folder on its first run, choosing and keeping the ports) and returns
// once the child says that it serves.
func startChild(t *testing.T, dir string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "TESTNET_CHILD_DIR="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { testenv.StopProcess(cmd.Process, 5*time.Second); cmd.Wait() })
	serving := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == childServing {
				serving <- true
				io.Copy(io.Discard, out)
				return
			}
		}
		serving <- false
	}()
	select {
	case ok := <-serving:
		if !ok {
			t.Fatal("the network process ended before serving (its error is above)")
		}
	case <-time.After(2 * time.Minute): // failure guard only
		t.Fatal("the network process did not serve within 2 minutes")
	}
	return cmd
}

// TestBurstSurvivesSIGKILL sends 2,000 messages from B to F while the
// network process is killed with SIGKILL at a random moment, restarts it,
// and checks that every message that got 250 is delivered exactly once.
func TestBurstSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("burst test skipped in -short mode")
	}
	dir := t.TempDir()
	child := startChild(t, dir)
	cfg, err := LoadConfig(filepath.Join(dir, ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	ca, err := testca.OpenExisting(filepath.Join(dir, "ca"))
	if err != nil {
		t.Fatal(err)
	}
	b, f := cfg.Countries[0], cfg.Countries[1]
	pool := x509.NewCertPool()
	pool.AddCert(ca.Root)

	const total, workers = 2000, 8
	killAt := 200 + rand.IntN(total-600)
	var (
		mu     sync.Mutex
		acked  = map[string]bool{}
		killed bool
	)
	ids := make(chan int, total)
	for i := 0; i < total; i++ {
		ids <- i
	}
	close(ids)
	began := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			tr := b.Testers[w%len(b.Testers)]
			from := b.Address(tr)
			c, err := smtp.DialStartTLS(addr(cfg.Host, b.SubmitPort), &tls.Config{RootCAs: pool, ServerName: "localhost"})
			if err != nil {
				return
			}
			defer c.Close()
			if c.Auth(sasl.NewPlainClient("", from, tr.Password)) != nil {
				return
			}
			for i := range ids {
				to := f.Address(f.Testers[i%len(f.Testers)])
				mid := fmt.Sprintf("burst-%d", i)
				msg := "From: " + from + "\r\nTo: " + to + "\r\nMessage-ID: <" + mid + "@test>\r\nSubject: " + mid + "\r\n\r\n" + strings.Repeat("payload ", 60) + "\r\n"
				if err := c.SendMail(from, []string{to}, strings.NewReader(msg)); err != nil {
					return // the network was killed; this message got no 250
				}
				mu.Lock()
				acked["<"+mid+"@test>"] = true
				if len(acked) == killAt && !killed {
					killed = true
					child.Process.Signal(syscall.SIGKILL)
				}
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	child.Wait()
	t.Logf("killed after %d acknowledgements; %d acknowledged in all, in %v", killAt, len(acked), time.Since(began))
	restarted := time.Now()

	startChild(t, dir)
	store, err := mailbox.Open(filepath.Join(dir, "nodes", f.NodeName(), "mail"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	count := func() map[string]int {
		seen := map[string]int{}
		for _, tr := range f.Testers {
			u := strings.ToLower(f.Address(tr))
			ms, _ := store.List(u)
			for _, m := range ms {
				if body, err := store.Bytes(u, m.UID); err == nil {
					seen[messageID(body)]++
				}
			}
		}
		return seen
	}
	testenv.Eventually(t, 3*time.Minute, func() error {
		seen := count()
		missing := 0
		for id := range acked {
			if seen[id] == 0 {
				missing++
			}
		}
		if missing > 0 {
			return fmt.Errorf("%d of %d acknowledged messages have not arrived", missing, len(acked))
		}
		return nil
	})
	t.Logf("all acknowledged messages in the mailboxes %v after the restart", time.Since(restarted))
	for id, n := range count() {
		if n != 1 {
			t.Errorf("%s arrived %d times, want exactly once", id, n)
		}
	}
}
