//go:build !windows

// The throughput comparison starts Postfix, a Linux daemon: not part of the
// Windows build of the tests.

package testnet

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"securemail/tests/testenv"
)

var (
	benchFlag    = flag.Bool("testnetbench", false, "run the submission-to-mailbox benchmark against Postfix (bench/testnet.sh)")
	benchN       = flag.Int("testnetbench.n", 2000, "messages per run")
	benchWorkers = flag.Int("testnetbench.workers", 4, "concurrent SMTP connections")
	benchSize    = flag.Int("testnetbench.size", 5000, "message size in octets")
	benchRounds  = flag.Int("testnetbench.rounds", 3, "interleaved rounds (ours first in odd rounds, Postfix first in even ones)")
	benchProfile = flag.String("testnetbench.cpuprofile", "", "write a CPU profile of our network's three-hop bursts to this file")
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

// waitFiles waits until n messages are under root. The arrival time is
// what the benchmark measures: a 2 ms poll is its resolution
// (testenv.Eventually backs off to 50 ms).
func waitFiles(t *testing.T, root string, n int) {
	deadline := time.Now().Add(5 * time.Minute)
	for countFiles(root) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d messages arrived under %s", countFiles(root), n, root)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// postfixTopology is Postfix set up in one of the benchmark's topologies:
// where testers submit, the Maildirs the last hop fills, and every instance
// (for its log).
type postfixTopology struct {
	submit    string
	pool      *x509.CertPool
	root      string
	instances []*testenv.Postfix
}

// startPostfixChain starts Postfix in the bundled network's topology: a
// national server for B (submission with STARTTLS, its queue, SMTP with
// STARTTLS and a client certificate to the relay), a relay (inbound
// service requiring the client certificate, its queue, the same to F) and
// a national server for F (inbound service, its queue, virtual Maildir
// delivery). hops = 1 is a single instance: submission, queue, Maildir.
// Every instance has the seed's queue settings.
func startPostfixChain(t *testing.T, hops int, rcpts []string, tlsReuse bool) postfixTopology {
	ca, err := testenv.NewPostfixCA()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "maildirs")
	users := map[string]string{}
	for _, r := range rcpts {
		users[r] = filepath.Join(root, strings.ToLower(r))
	}
	seed := testenv.SeedQueueSettings()
	if tlsReuse {
		// Postfix caches SMTP connections on demand, but TLS ones only
		// with this (through tlsproxy); off by default.
		seed["smtp_tls_connection_reuse"] = "yes"
	}
	if hops == 1 {
		p := testenv.StartPostfix(t, testenv.PostfixOptions{Hostname: "b-server.localdomain", CA: ca, Users: users, Settings: seed})
		return postfixTopology{submit: p.Submission, pool: ca.Pool, root: root, instances: []*testenv.Postfix{p}}
	}
	f := testenv.StartPostfix(t, testenv.PostfixOptions{Hostname: "f-server.localdomain", CA: ca, Inbound: true, Users: users, Settings: seed})
	relay := testenv.StartPostfix(t, testenv.PostfixOptions{Hostname: "relay.localdomain", CA: ca, Inbound: true, RelayHost: f.Inbound, Settings: seed})
	b := testenv.StartPostfix(t, testenv.PostfixOptions{Hostname: "b-server.localdomain", CA: ca, RelayHost: relay.Inbound, Settings: seed})
	return postfixTopology{submit: b.Submission, pool: ca.Pool, root: root, instances: []*testenv.Postfix{b, relay, f}}
}

// postfixReport says from the instances' logs what Postfix did on its SMTP
// hops between servers: handshakes made by its SMTP client, deliveries,
// and deliveries on a reused (cached) connection.
func postfixReport(ps []*testenv.Postfix) string {
	var handshakes, sent, reused int
	for _, p := range ps {
		for _, l := range strings.Split(p.Log(), "\n") {
			switch {
			case (strings.Contains(l, "/smtp[") || strings.Contains(l, "/tlsproxy[")) && strings.Contains(l, "TLS connection established to"):
				handshakes++
			case strings.Contains(l, "/smtp[") && strings.Contains(l, "status=sent"):
				sent++
				if strings.Contains(l, "conn_use=") {
					reused++
				}
			}
		}
	}
	return fmt.Sprintf("%d relayed transactions, %d TLS handshakes (verified, with client certificate), %d on a reused connection", sent, handshakes, reused)
}

// TestThroughputAgainstPostfix is the benchmark of bench/testnet.sh: the
// same bursts through our network and through Postfix with the seed's
// queue settings in the same topology, in one run, rounds interleaved:
// three durable hops (B national server -> relay -> F national server ->
// mailbox) and one (submission -> queue -> mailbox on one server).
func TestThroughputAgainstPostfix(t *testing.T) {
	if !*benchFlag {
		t.Skip("run with -testnetbench (bench/testnet.sh)")
	}
	n, workers, size, rounds := *benchN, *benchWorkers, *benchSize, *benchRounds

	var rcpts []string
	for _, name := range []string{"Marie.Curie", "Jean.Dupont", "Claire.Martin"} {
		rcpts = append(rcpts, name+"@tcn.f.eu-admin.net")
	}
	pf3 := startPostfixChain(t, 3, rcpts, false)
	pf3r := startPostfixChain(t, 3, rcpts, true)
	pf1 := startPostfixChain(t, 1, rcpts, false)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := testenv.Run(ctx, nil, "/usr/sbin/postconf", "-c", filepath.Join(pf3.instances[1].Dir, "conf"), "-h",
		"minimal_backoff_time", "maximal_backoff_time", "queue_run_delay", "delay_warning_time", "maximal_queue_lifetime", "smtp_tls_security_level"); err == nil {
		fmt.Printf("postfix settings (every instance): minimal_backoff_time maximal_backoff_time queue_run_delay delay_warning_time maximal_queue_lifetime smtp_tls_security_level = %s\n", strings.Join(strings.Fields(string(out)), " "))
	}
	from := "Jan.Peeters@tcn.b.eu-admin.net"
	noAuth := func(*smtp.Client, int) (string, error) { return from, nil }

	rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
	var ours3, ours1, theirs3, theirs3r, theirs1 []float64
	var dials, reuses int64
	fmt.Printf("testnet-bench n=%d workers=%d size=%d rounds=%d\n", n, workers, size, rounds)
	for r := 1; r <= rounds; r++ {
		var o3, o1, p3, p3r, p1 float64
		runOurs := func() {
			tn := startNet(t, nil, func(c *Config) { c.MaxConnsPerClient = 1000 })
			defer tn.Close()
			b, f := tn.country("B"), tn.country("F")
			auth := func(c *smtp.Client, w int) (string, error) {
				tr := b.Testers[w%len(b.Testers)]
				return b.Address(tr), c.Auth(sasl.NewPlainClient("", b.Address(tr), tr.Password))
			}
			if *benchProfile != "" && r == 1 {
				pf, err := os.Create(*benchProfile)
				if err != nil {
					t.Fatal(err)
				}
				defer pf.Close()
				if err := pprof.StartCPUProfile(pf); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			burst(t, addr(tn.cfg.Host, b.SubmitPort), tn.pool, auth, rcpts, n, workers, size)
			waitFiles(t, filepath.Join(tn.dir, "nodes", f.NodeName(), "mail"), n)
			o3 = rate(time.Since(start))
			if *benchProfile != "" && r == 1 {
				pprof.StopCPUProfile()
			}
			d, u := tn.send.stats()
			dials, reuses = dials+d, reuses+u
			var bRcpts []string
			for _, tr := range b.Testers {
				bRcpts = append(bRcpts, b.Address(tr))
			}
			start = time.Now()
			burst(t, addr(tn.cfg.Host, b.SubmitPort), tn.pool, auth, bRcpts, n, workers, size)
			waitFiles(t, filepath.Join(tn.dir, "nodes", b.NodeName(), "mail"), n)
			o1 = rate(time.Since(start))
		}
		runPostfix := func() {
			start := time.Now()
			burst(t, pf3.submit, pf3.pool, noAuth, rcpts, n, workers, size)
			waitFiles(t, pf3.root, r*n)
			p3 = rate(time.Since(start))
			start = time.Now()
			burst(t, pf3r.submit, pf3r.pool, noAuth, rcpts, n, workers, size)
			waitFiles(t, pf3r.root, r*n)
			p3r = rate(time.Since(start))
			start = time.Now()
			burst(t, pf1.submit, pf1.pool, noAuth, rcpts, n, workers, size)
			waitFiles(t, pf1.root, r*n)
			p1 = rate(time.Since(start))
		}
		if r%2 == 1 {
			runOurs()
			runPostfix()
		} else {
			runPostfix()
			runOurs()
		}
		ours3, ours1, theirs3, theirs3r, theirs1 = append(ours3, o3), append(ours1, o1), append(theirs3, p3), append(theirs3r, p3r), append(theirs1, p1)
		fmt.Printf("round %d: 3 hops: ours %.0f msg/s, postfix %.0f msg/s, postfix with TLS connection reuse %.0f msg/s | 1 hop: ours %.0f msg/s, postfix %.0f msg/s\n", r, o3, p3, p3r, o1, p1)
	}
	m3, mp3, mp3r, m1, mp1 := median(ours3), median(theirs3), median(theirs3r), median(ours1), median(theirs1)
	fmt.Printf("median end-to-end msg/s: 3 hops ours %.0f, postfix %.0f (%.2f), postfix with TLS connection reuse %.0f (%.2f) | 1 hop ours %.0f, postfix %.0f (%.2f)\n",
		m3, mp3, m3/mp3, mp3r, m3/mp3r, m1, mp1, m1/mp1)
	fmt.Printf("hops between servers, ours: %d relayed transactions, %d TLS handshakes (verified, with client certificate), %d on a reused connection\n", 2*n*rounds, dials, reuses)
	fmt.Printf("hops between servers, postfix: %s\n", postfixReport(pf3.instances))
	fmt.Printf("hops between servers, postfix with TLS connection reuse: %s\n", postfixReport(pf3r.instances))
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}
