package testnet

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"securemail/pop3client"
)

// TestNetworksPreparedTogetherDoNotShareAPort prepares and starts six
// networks at once, as parallel test packages do, choosing from a range
// only a little larger than the 90 ports they need together. A port
// chosen by probing (listen, close, write it down, bind it later) is then
// chosen twice and one network cannot start ("f-server cannot listen on
// port …"); a port held from the choice until the server takes it cannot.
// Every tester's handout must reach its own network: the handout's
// password logs in over POP3 at the handout's address.
func TestNetworksPreparedTogetherDoNotShareAPort(t *testing.T) {
	const networks = 6
	low := 20000 + mrand.IntN(12000-200) // away from other runs of this test
	r := portRange{low: low, high: low + 120}
	type started struct {
		dir string
		cfg Config
		err error
	}
	res := make([]started, networks)
	var ready, wg sync.WaitGroup
	ready.Add(1)
	for i := range res {
		res[i].dir = t.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			ready.Wait()
			cfg, ca, err := prepare(res[i].dir, "", r)
			if err != nil {
				res[i].err = err
				return
			}
			n, err := Start(Options{Dir: res[i].dir, Config: cfg, CA: ca, ControlInterval: -1})
			if err != nil {
				res[i].err = err
				return
			}
			t.Cleanup(func() { n.Close() })
			res[i].cfg = cfg
		}()
	}
	ready.Done()
	wg.Wait()
	owner := map[int]int{}
	for i, s := range res {
		if s.err != nil {
			t.Fatalf("network %d of %d did not start: %v", i+1, networks, s.err)
		}
		for _, p := range s.cfg.ports() {
			if j, ok := owner[*p]; ok {
				t.Fatalf("networks %d and %d both have port %d", j+1, i+1, *p)
			}
			owner[*p] = i
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i, s := range res {
		co := s.cfg.Countries[i%len(s.cfg.Countries)]
		if err := loginWithHandout(ctx, s.dir, co.Address(co.Testers[0])); err != nil {
			t.Fatalf("network %d: %v", i+1, err)
		}
	}
}

// loginWithHandout logs in to POP3 as a tester's account.json says.
func loginWithHandout(ctx context.Context, dir, mail string) error {
	hd := HandoutDir(dir, mail)
	b, err := os.ReadFile(filepath.Join(hd, "account.json"))
	if err != nil {
		return err
	}
	var acc Account
	if err := json.Unmarshal(b, &acc); err != nil {
		return err
	}
	caPEM, err := os.ReadFile(filepath.Join(hd, acc.ServerCA))
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return fmt.Errorf("%s holds no certificate", acc.ServerCA)
	}
	c, err := pop3client.Dial(ctx, pop3client.Options{Address: acc.POP3, TLS: pop3client.TLSMode(acc.POP3TLS), RootCAs: pool})
	if err != nil {
		return fmt.Errorf("%s: %w", acc.POP3, err)
	}
	defer c.Close()
	if err := c.Login(ctx, acc.Username, acc.Password); err != nil {
		return fmt.Errorf("%s at %s: %w", acc.Username, acc.POP3, err)
	}
	return c.Quit(ctx)
}

// TestRestartKeepsPortsOrSaysWhichIsTaken: a network started again from
// its folder serves on the ports of its first run (the handouts stay
// right); when another program holds one of them, Start fails with a
// sentence naming the node and the port and what to do.
func TestRestartKeepsPortsOrSaysWhichIsTaken(t *testing.T) {
	dir := t.TempDir()
	cfg, ca, err := Prepare(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	n, err := Start(Options{Dir: dir, Config: cfg, CA: ca, ControlInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}

	cfg2, ca2, err := Prepare(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if cfg2.Holding() {
		t.Fatal("the second Prepare chose new ports; want those of testnet.toml")
	}
	for i, p := range cfg2.ports() {
		if *p != *cfg.ports()[i] {
			t.Fatalf("port %d became %d at the restart", *cfg.ports()[i], *p)
		}
	}
	n2, err := Start(Options{Dir: dir, Config: cfg2, CA: ca2, ControlInterval: -1})
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	co := cfg2.Countries[1]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := loginWithHandout(ctx, dir, co.Address(co.Testers[0])); err != nil {
		t.Fatalf("after the restart: %v", err)
	}
	if err := n2.Close(); err != nil {
		t.Fatal(err)
	}

	other, err := net.Listen("tcp", net.JoinHostPort(cfg2.Host, strconv.Itoa(co.POP3Port)))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = Start(Options{Dir: dir, Config: cfg2, CA: ca2, ControlInterval: -1})
	want := fmt.Sprintf("%s cannot listen on port %d: another program", co.NodeName(), co.POP3Port)
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "testnet.toml") {
		t.Fatalf("start with port %d taken: %v; want a sentence with %q and testnet.toml", co.POP3Port, err, want)
	}
}
