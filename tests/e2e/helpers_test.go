package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/cli"
	"securemail/testnet"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// The two testers of the acceptance test.
const (
	alain = "Alain.Dupont@tcn.b.eu-admin.net"
	marie = "Marie.Curie@tcn.f.eu-admin.net"
)

// childArgsEnv, when set, makes the test binary run one securemail command
// (JSON array of arguments) and exit: the crash test's child process.
const childArgsEnv = "SECUREMAIL_E2E_CLI_ARGS"

// secretService is the gnome-keyring started by TestMain, or nil with err.
var secretService struct {
	s   *testenv.SecretService
	err error
}

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgsEnv); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			fmt.Fprintln(os.Stderr, "bad child arguments:", err)
			os.Exit(2)
		}
		env := &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
		os.Exit(cli.Run(context.Background(), env, a))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	secretService.s, secretService.err = testenv.StartSecretService(ctx)
	cancel()
	code := m.Run()
	secretService.s.Stop()
	os.Exit(code)
}

// needKeyring skips (fails in CI) without gnome-keyring: the acceptance
// test is about the real OS keyring.
func needKeyring(t *testing.T) {
	t.Helper()
	testenv.RequireSecretService(t, secretService.err)
}

// network is the bundled TESTA network, started in this process.
type network struct {
	dir string
	cfg testnet.Config
	ca  *testca.CA
	net *testnet.Network
}

// startNetwork prepares a network folder (CA, handouts) and starts every
// node on 127.0.0.1; it is stopped when the test ends.
func startNetwork(t *testing.T) *network {
	t.Helper()
	return startNetworkWith(t, testenv.TwoTesters)
}

// startNetworkWith is startNetwork with another configuration.
func startNetworkWith(t *testing.T, config string) *network {
	t.Helper()
	dir := t.TempDir()
	cfgFile := filepath.Join(t.TempDir(), "testnet.toml")
	if err := os.WriteFile(cfgFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, ca, err := testnet.Prepare(dir, cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	n, err := testnet.Start(testnet.Options{Dir: dir, Config: cfg, CA: ca})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		n.Shutdown(ctx)
	})
	return &network{dir: dir, cfg: cfg, ca: ca, net: n}
}

func (n *network) handout(addr string) string { return testnet.HandoutDir(n.dir, addr) }

// result is one run of the command line.
type result struct {
	code           int
	stdout, stderr string
}

// run runs `securemail --profile PROFILE args…` in this process with
// buffers, as a user would from a shell.
func run(t *testing.T, profile, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := cli.Run(ctx, env, append([]string{"--profile", profile}, args...))
	return result{code, out.String(), errb.String()}
}

// mustRun runs a command that must succeed.
func mustRun(t *testing.T, profile, stdin string, args ...string) string {
	t.Helper()
	r := run(t, profile, stdin, args...)
	if r.code != cli.ExitOK {
		t.Fatalf("securemail %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// jsonOut runs a command with --json and decodes its output into v.
func jsonOut(t *testing.T, profile string, v any, args ...string) {
	t.Helper()
	out := mustRun(t, profile, "", append(args, "--json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("securemail %s --json printed something that is not the JSON expected (%v):\n%s", strings.Join(args, " "), err, out)
	}
}

// listRow is one entry of `messages list --json` (docs/ARCHITECTURE.md §3.2).
type listRow struct {
	ID        string    `json:"id"`
	Folder    string    `json:"folder"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Date      time.Time `json:"date"`
	Signed    bool      `json:"signed"`
	Signature string    `json:"signature"`
	Encrypted bool      `json:"encrypted"`
	DSN       string    `json:"dsn"`
}

// fetchUntil fetches as profile until a message with that subject is in
// the Inbox, polling until a deadline (mail crosses two national servers
// and a relay).
func fetchUntil(t *testing.T, profile, subject string) listRow {
	t.Helper()
	var found listRow
	fetchRows(t, profile, fmt.Sprintf("%q", subject), func(rows []listRow) bool {
		for _, r := range rows {
			if r.Subject == subject {
				found = r
				return true
			}
		}
		return false
	})
	return found
}

// fetchAll fetches as profile until the Inbox holds at least n messages.
func fetchAll(t *testing.T, profile string, n int) []listRow {
	t.Helper()
	return fetchRows(t, profile, fmt.Sprintf("%d messages", n), func(rows []listRow) bool { return len(rows) >= n })
}

// fetchRows fetches as profile and lists the Inbox until done says it holds what is awaited (what, for the
// failure).
func fetchRows(t *testing.T, profile, what string, done func([]listRow) bool) []listRow {
	t.Helper()
	var rows []listRow
	testenv.Eventually(t, time.Minute, func() error {
		mustRun(t, profile, "", "fetch", "--quiet")
		rows = nil
		jsonOut(t, profile, &rows, "messages", "list", "--folder", "Inbox")
		if !done(rows) {
			return fmt.Errorf("%s did not arrive in the Inbox of %s", what, profile)
		}
		return nil
	})
	return rows
}

// jsonOutCode is jsonOut for a command that may also exit 1 (a negative verdict, as `messages show` gives for a
// signature that is not valid).
func jsonOutCode(t *testing.T, profile string, v any, args ...string) int {
	t.Helper()
	r := run(t, profile, "", append(args, "--json")...)
	if r.code != cli.ExitOK && r.code != cli.ExitNegative {
		t.Fatalf("securemail %s --json: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("securemail %s --json printed something that is not the JSON expected (%v):\n%s", strings.Join(args, " "), err, r.stdout)
	}
	return r.code
}
