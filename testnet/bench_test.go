package testnet

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"securemail/internal/testenv"
)

var (
	benchFlag    = flag.Bool("testnetbench", false, "run the submission-to-mailbox benchmark against Postfix (bench/testnet.sh)")
	benchN       = flag.Int("testnetbench.n", 2000, "messages per run")
	benchWorkers = flag.Int("testnetbench.workers", 4, "concurrent SMTP connections")
	benchSize    = flag.Int("testnetbench.size", 5000, "message size in octets")
	benchRounds  = flag.Int("testnetbench.rounds", 3, "interleaved rounds (ours, then Postfix)")
)

// burst submits n messages over workers reused STARTTLS connections and
// returns when every one got 250.
func burst(t *testing.T, subAddr string, pool *x509.CertPool, auth func(*smtp.Client, int) (string, error), rcpts []string, n, workers, size int) time.Duration {
	t.Helper()
	body := strings.Repeat(strings.Repeat("x", 70)+"\r\n", size/72+1)[:size]
	ids := make(chan int, n)
	for i := 0; i < n; i++ {
		ids <- i
	}
	close(ids)
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c, err := smtp.DialStartTLS(subAddr, &tls.Config{RootCAs: pool, ServerName: "localhost"})
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			from, err := auth(c, w)
			if err != nil {
				errs <- err
				return
			}
			for i := range ids {
				to := rcpts[i%len(rcpts)]
				msg := fmt.Sprintf("From: %s\r\nTo: %s\r\nMessage-ID: <b%d@bench>\r\nSubject: bench %d\r\n\r\n%s\r\n", from, to, i, i, body)
				if err := c.SendMail(from, []string{to}, strings.NewReader(msg)); err != nil {
					errs <- err
					return
				}
			}
			c.Quit()
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return time.Since(start)
}

// countFiles counts regular files in the new/ folders under root.
func countFiles(root string) int {
	n := 0
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(filepath.Dir(p)) == "new" {
			n++
		}
		return nil
	})
	return n
}

func waitFiles(t *testing.T, root string, n int) {
	deadline := time.Now().Add(5 * time.Minute)
	for countFiles(root) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d messages arrived under %s", countFiles(root), n, root)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestThroughputAgainstPostfix is the benchmark of bench/testnet.sh: the
// same burst through our network (submission -> b-server queue -> relay
// queue -> f-server mailbox) and through Postfix with the seed's queue
// settings (submission -> queue -> virtual Maildir delivery), in one run.
func TestThroughputAgainstPostfix(t *testing.T) {
	if !*benchFlag {
		t.Skip("run with -testnetbench (bench/testnet.sh)")
	}
	n, workers, size, rounds := *benchN, *benchWorkers, *benchSize, *benchRounds

	// Postfix: one instance, the seed's queue settings, reused by every round.
	var rcpts []string
	for _, name := range []string{"Marie.Curie", "Jean.Dupont", "Claire.Martin"} {
		rcpts = append(rcpts, name+"@tcn.f.eu-admin.net")
	}
	users := map[string]string{}
	pfRoot := filepath.Join(t.TempDir(), "maildirs")
	for _, r := range rcpts {
		users[r] = filepath.Join(pfRoot, strings.ToLower(r))
	}
	pf := testenv.StartPostfix(t, testenv.PostfixOptions{Users: users})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conf := filepath.Join(pf.Dir, "conf")
	if _, err := testenv.Run(ctx, nil, "/usr/sbin/postconf", "-c", conf, "-e",
		"minimal_backoff_time=2m", "maximal_backoff_time=2m", "delay_warning_time=4h", "maximal_queue_lifetime=5d", "bounce_queue_lifetime=5d"); err != nil {
		t.Fatal(err)
	}
	if _, err := testenv.Run(ctx, nil, "/usr/sbin/postfix", "-c", conf, "reload"); err != nil {
		t.Fatal(err)
	}
	if out, _ := testenv.Run(ctx, nil, "/usr/sbin/postconf", "-c", conf, "-h", "minimal_backoff_time", "maximal_backoff_time", "delay_warning_time", "maximal_queue_lifetime"); true {
		fmt.Printf("postfix settings: %s\n", strings.Join(strings.Fields(string(out)), " "))
	}
	if err := testenv.WaitTCP(ctx, pf.Submission); err != nil {
		t.Fatal(err)
	}

	rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
	var ours, local, theirs []float64
	fmt.Printf("testnet-bench n=%d workers=%d size=%d rounds=%d\n", n, workers, size, rounds)
	for r := 1; r <= rounds; r++ {
		tn := startNet(t, nil, func(c *Config) { c.MaxConnsPerClient = 1000 })
		b, f := tn.country("B"), tn.country("F")
		mailRoot := filepath.Join(tn.dir, "nodes", f.NodeName(), "mail")
		start := time.Now()
		sub := burst(t, addr(tn.cfg.Host, b.SubmitPort), tn.pool, func(c *smtp.Client, w int) (string, error) {
			tr := b.Testers[w%len(b.Testers)]
			return b.Address(tr), c.Auth(sasl.NewPlainClient("", b.Address(tr), tr.Password))
		}, rcpts, n, workers, size)
		waitFiles(t, mailRoot, n)
		o := time.Since(start)
		// The same topology as this Postfix: submission -> queue -> mailbox
		// on one server (B testers writing to B testers).
		var bRcpts []string
		for _, tr := range b.Testers {
			bRcpts = append(bRcpts, b.Address(tr))
		}
		bRoot := filepath.Join(tn.dir, "nodes", b.NodeName(), "mail")
		start = time.Now()
		burst(t, addr(tn.cfg.Host, b.SubmitPort), tn.pool, func(c *smtp.Client, w int) (string, error) {
			tr := b.Testers[w%len(b.Testers)]
			return b.Address(tr), c.Auth(sasl.NewPlainClient("", b.Address(tr), tr.Password))
		}, bRcpts, n, workers, size)
		waitFiles(t, bRoot, n)
		l := time.Since(start)
		tn.Close()

		start = time.Now()
		pfSub := burst(t, pf.Submission, pf.CAPool, func(*smtp.Client, int) (string, error) { return b.Address(b.Testers[0]), nil }, rcpts, n, workers, size)
		waitFiles(t, pfRoot, r*n)
		p := time.Since(start)
		ours, local, theirs = append(ours, rate(o)), append(local, rate(l)), append(theirs, rate(p))
		fmt.Printf("round %d: ours B->relay->F submit %.0f msg/s, end-to-end %.0f msg/s | ours B->B %.0f msg/s | postfix submit %.0f msg/s, end-to-end %.0f msg/s\n",
			r, rate(sub), rate(o), rate(l), rate(pfSub), rate(p))
	}
	mo, ml, mp := median(ours), median(local), median(theirs)
	fmt.Printf("median end-to-end msg/s: ours through a relay %.0f, ours on one server %.0f, postfix on one server %.0f; ratios %.2f and %.2f\n", mo, ml, mp, mo/mp, ml/mp)
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}
