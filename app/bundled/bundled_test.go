package bundled

import (
	"context"
	"os"
	"path/filepath"
	"securemail/tests/testenv"
	"testing"
	"time"
)

func TestOpenServesThenWatches(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "testnet.toml"), []byte(testenv.TwoTesters), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	b, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if !b.Running() {
		t.Fatal("the first Open must serve the network")
	}
	hs, err := b.Handouts()
	if err != nil || len(hs) != 2 || hs[0].Address != "Alain.Dupont@tcn.b.eu-admin.net" {
		t.Fatalf("handouts %v %v", hs, err)
	}
	for _, f := range []string{"Root_CA.cer", "EC_CA.cer", "Mail.pfx", "password.txt", "account.json"} {
		if _, err := os.Stat(filepath.Join(hs[1].Dir, f)); err != nil {
			t.Errorf("handout lacks %s: %v", f, err)
		}
	}
	nodes := b.Nodes()
	if len(nodes) < 3 || nodes[0] != "b-server" {
		t.Errorf("nodes %v", nodes)
	}
	// A second SecureMail on the same folder watches instead of failing.
	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if w.Running() {
		t.Error("the second Open must not start another network")
	}
	if err := w.Outage("relay", time.Second); err != nil {
		t.Errorf("outage through the control folder: %v", err)
	}
	if _, err := w.Queues(); err != nil {
		t.Error(err)
	}
	if _, err := w.Events(10); err != nil {
		t.Error(err)
	}
}
