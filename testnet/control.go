package testnet

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"securemail/internal/durable"
	"securemail/testnet/evlog"
)

// OutageRequest is a file in D/control/ asking the running network to take
// a node down; `securemail testnet outage` writes one.
type OutageRequest struct {
	Node     string   `json:"node"`
	Duration Duration `json:"duration"`
}

// RequestOutage asks the network running in dir to take node down for d.
// The network picks the request up within a fraction of a second.
func RequestOutage(dir, node string, d time.Duration) error {
	b, err := json.Marshal(OutageRequest{Node: node, Duration: Duration{d}})
	if err != nil {
		return fmt.Errorf("testnet: %w", err)
	}
	cd := filepath.Join(dir, "control")
	if _, err := os.Stat(cd); err != nil {
		return fmt.Errorf("testnet: %s is not a network folder (no control folder); start 'securemail testnet --dir %s' first", dir, dir)
	}
	name := filepath.Join(cd, fmt.Sprintf("outage-%d.json", time.Now().UnixNano()))
	if err := durable.WriteFile(name, b, 0o600); err != nil {
		return fmt.Errorf("testnet: %w", err)
	}
	return nil
}

// watchControl applies requests left in D/control/ by other processes.
func (n *Network) watchControl(interval time.Duration) {
	defer n.bg.Done()
	dir := filepath.Join(n.dir, "control")
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-n.done:
			return
		case <-t.C:
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), "outage-") || !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			p := filepath.Join(dir, e.Name())
			b, err := os.ReadFile(p)
			os.Remove(p)
			if err != nil {
				continue
			}
			var req OutageRequest
			if err := json.Unmarshal(b, &req); err != nil {
				n.log.Write(evlog.Event{Node: "network", Event: "outage", Result: "unreadable request: " + err.Error()})
				continue
			}
			if err := n.Outage(req.Node, req.Duration.Duration); err != nil {
				n.log.Write(evlog.Event{Node: "network", Event: "outage", Result: err.Error()})
			}
		}
	}
}
