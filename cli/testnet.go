package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"securemail/app/profile"
	"securemail/testnet"
	"securemail/testnet/evlog"
	"securemail/testnet/queue"
)

// runTestnet runs the bundled TESTA network, or one of its inspection
// commands: log, queue, outage.
func runTestnet(ctx context.Context, env *Env, args []string) int {
	if len(args) > 0 {
		subs := map[string]command{
			"log":    {"show the evidence log readably (--follow to keep watching)", runTestnetLog},
			"queue":  {"list queued messages with their next attempt", runTestnetQueue},
			"outage": {"take a server or relay down for a while: outage NODE DURATION", runTestnetOutage},
		}
		if _, ok := subs[args[0]]; ok || args[0] == "help" {
			return subcommands(ctx, env, "testnet", args, subs)
		}
	}
	fs := NewFlagSet(env, "testnet", "testnet [--dir D] [--config F] [--clock-speed N]\n       securemail testnet log|queue|outage --dir D …")
	dir := fs.String("dir", "", "network folder (created on first run; default: the user's config folder)")
	config := fs.String("config", "", "TOML configuration to use instead of D/testnet.toml")
	speed := fs.Float64("clock-speed", 1, "run every timer of the network N times faster")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return Fail(env, ExitError, "testnet: unexpected argument %q; run 'securemail testnet --help'", fs.Arg(0))
	}
	if *speed <= 0 {
		return Fail(env, ExitError, "testnet: --clock-speed must be a positive number")
	}
	d, err := testnetDir(*dir)
	if err != nil {
		return Fail(env, ExitError, "%v", err)
	}
	cfg, ca, err := testnet.Prepare(d, *config)
	if err != nil {
		return Fail(env, ExitError, "%v", err)
	}
	var clk queue.Clock = queue.SystemClock{}
	if *speed != 1 {
		clk = queue.NewScaledClock(*speed)
	}
	n, err := testnet.Start(testnet.Options{Dir: d, Config: cfg, CA: ca, Clock: clk})
	if err != nil {
		return Fail(env, ExitError, "%v", err)
	}
	printNetwork(env, d, cfg, *speed)
	<-ctx.Done()
	fmt.Fprintln(env.Stdout, "Stopping the TESTA network…")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := n.Shutdown(sctx); err != nil {
		return Fail(env, ExitError, "testnet: the network did not stop cleanly: %v", err)
	}
	fmt.Fprintln(env.Stdout, "Stopped.")
	return ExitOK
}

func testnetDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	d, err := profile.DefaultDirs()
	if err != nil {
		return "", fmt.Errorf("testnet: no default folder (%v); give one with --dir", err)
	}
	return d.Network, nil
}

func printNetwork(env *Env, dir string, cfg testnet.Config, speed float64) {
	w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "TESTA test network running in %s", dir)
	if speed != 1 {
		fmt.Fprintf(w, " (clock %gx)", speed)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "NODE\tDOMAIN\tSUBMISSION (STARTTLS / TLS)\tPOP3 (STLS / TLS)\tFROM RELAYS")
	for _, co := range cfg.Countries {
		fmt.Fprintf(w, "%s\t%s\t%s:%d / %d\t%s:%d / %d\t%d\n", co.NodeName(), co.Domain(), cfg.Host, co.SubmitPort, co.SubmitsPort, cfg.Host, co.POP3Port, co.POP3sPort, co.InboundPort)
	}
	for _, r := range cfg.Relays {
		fmt.Fprintf(w, "%s\tMX %d\t%s:%d\t\t\n", r.Name, r.MX, cfg.Host, r.Port)
	}
	w.Flush()
	fmt.Fprintf(env.Stdout, "Handouts (certificates, Mail.pfx, password, account.json) are in %s.\n", filepath.Join(dir, "handouts"))
	fmt.Fprintln(env.Stdout, "Press Ctrl-C to stop.")
}

func runTestnetLog(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "testnet log", "testnet log --dir D [--follow] [--json]")
	dir := fs.String("dir", "", "network folder")
	follow := fs.Bool("follow", false, "keep printing new events until interrupted")
	asJSON := fs.Bool("json", false, "print the raw JSON lines")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	d, err := testnetDir(*dir)
	if err != nil {
		return Fail(env, ExitError, "%v", err)
	}
	p := filepath.Join(d, testnet.EventsFile)
	print := func(e evlog.Event) error {
		if *asJSON {
			b, _ := json.Marshal(e)
			fmt.Fprintln(env.Stdout, string(b))
		} else {
			fmt.Fprintln(env.Stdout, evlog.Format(e))
		}
		return nil
	}
	if *follow {
		if err := evlog.Follow(ctx, p, 200*time.Millisecond, print); err != nil {
			return Fail(env, ExitError, "testnet: there is no evidence log in %s; start the network there first", d)
		}
		return ExitOK
	}
	f, err := os.Open(p)
	if err != nil {
		return Fail(env, ExitError, "testnet: there is no evidence log in %s; start the network there first", d)
	}
	defer f.Close()
	if err := evlog.Read(f, print); err != nil {
		return Fail(env, ExitError, "%v", err)
	}
	return ExitOK
}

func runTestnetQueue(_ context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "testnet queue", "testnet queue --dir D [--json]")
	dir := fs.String("dir", "", "network folder")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	d, err := testnetDir(*dir)
	if err != nil {
		return Fail(env, ExitError, "%v", err)
	}
	nodes, err := os.ReadDir(filepath.Join(d, "nodes"))
	if err != nil {
		return Fail(env, ExitError, "testnet: %s holds no network yet; start 'securemail testnet --dir %s' first", d, d)
	}
	type row struct {
		Node string `json:"node"`
		queue.Meta
	}
	var rows []row
	for _, nd := range nodes {
		ms, err := queue.ReadDir(filepath.Join(d, "nodes", nd.Name(), "queue"))
		if err != nil {
			continue
		}
		for _, m := range ms {
			rows = append(rows, row{nd.Name(), m})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Arrived.Before(rows[j].Arrived) })
	if *asJSON {
		if rows == nil {
			rows = []row{}
		}
		b, _ := json.MarshalIndent(rows, "", "  ")
		fmt.Fprintln(env.Stdout, string(b))
		return ExitOK
	}
	if len(rows) == 0 {
		fmt.Fprintln(env.Stdout, "No messages are queued.")
		return ExitOK
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NODE\tQUEUE ID\tFROM\tRECIPIENTS\tARRIVED\tATTEMPTS\tNEXT ATTEMPT")
	for _, r := range rows {
		var rc []string
		for _, x := range r.Rcpts {
			s := x.To + " (" + string(x.Status)
			if x.LastError != "" {
				s += ": " + x.LastError
			}
			rc = append(rc, s+")")
		}
		from := r.From
		if from == "" {
			from = "<>"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.Node, r.ID, from, strings.Join(rc, ", "),
			r.Arrived.Local().Format("2006-01-02 15:04:05"), r.Attempts, r.NextAttempt.Local().Format("2006-01-02 15:04:05"))
	}
	w.Flush()
	return ExitOK
}

func runTestnetOutage(_ context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "testnet outage", "testnet outage --dir D NODE DURATION   (e.g. relay 30m)")
	dir := fs.String("dir", "", "network folder")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() != 2 {
		return Fail(env, ExitError, "testnet outage needs a node and a duration, e.g. 'securemail testnet outage --dir D relay 30m'")
	}
	d, err := testnetDir(*dir)
	if err != nil {
		return Fail(env, ExitError, "%v", err)
	}
	node := fs.Arg(0)
	dur, err := time.ParseDuration(fs.Arg(1))
	if err != nil || dur <= 0 {
		return Fail(env, ExitError, "testnet: %q is not a duration such as 30m or 5h", fs.Arg(1))
	}
	cfg, err := testnet.LoadConfig(filepath.Join(d, testnet.ConfigFile))
	if err != nil {
		return Fail(env, ExitError, "testnet: %s holds no network yet; start 'securemail testnet --dir %s' first", d, d)
	}
	var names []string
	for _, co := range cfg.Countries {
		names = append(names, co.NodeName())
	}
	for _, r := range cfg.Relays {
		names = append(names, r.Name)
	}
	found := false
	for _, n := range names {
		found = found || n == node
	}
	if !found {
		return Fail(env, ExitError, "testnet: there is no node %q; the nodes are %s", node, strings.Join(names, ", "))
	}
	if err := testnet.RequestOutage(d, node, dur); err != nil {
		return Fail(env, ExitError, "%v", err)
	}
	fmt.Fprintf(env.Stdout, "%s will refuse connections for %s (network time); watch it with 'securemail testnet log --dir %s --follow'.\n", node, dur, d)
	return ExitOK
}
