//go:build !windows

// gnome-keyring (over D-Bus) is a Linux daemon: not part of the Windows build of the tests.

package testenv

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// SecretService is a private D-Bus session bus with gnome-keyring's Secret
// Service on it, as a desktop session would have.
type SecretService struct {
	BusAddress string
	busPID     int
	bus        *os.Process // the bus daemon, bound to it when it started
	keyringPID int
	keyring    *os.Process
	dir        string
}

// StartSecretService starts dbus-daemon and gnome-keyring-daemon (secrets
// component, login keyring unlocked with a random password) in a fresh
// folder, and points this process's DBUS_SESSION_BUS_ADDRESS and
// XDG_DATA_HOME at them. Call it from TestMain before anything touches the
// keyring: the D-Bus library keeps its first session connection for the
// life of the process. Stop ends both daemons by PID and removes the folder.
func StartSecretService(ctx context.Context) (*SecretService, error) {
	for _, tool := range []string{"dbus-daemon", "gnome-keyring-daemon", "dbus-send"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("testenv: %s is not installed (Debian packages dbus, gnome-keyring; run scripts/install-deps.sh)", tool)
		}
	}
	dir, err := os.MkdirTemp("", "securemail-keyring-")
	if err != nil {
		return nil, fmt.Errorf("testenv: %w", err)
	}
	s := &SecretService{dir: dir}
	fail := func(err error) (*SecretService, error) { s.Stop(); return nil, err }

	bus := exec.CommandContext(ctx, "dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1")
	out, err := bus.Output()
	if err != nil {
		return fail(fmt.Errorf("testenv: dbus-daemon: %w", err))
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	if sc.Scan() {
		s.BusAddress = strings.TrimSpace(sc.Text())
	}
	if sc.Scan() {
		s.busPID, _ = strconv.Atoi(strings.TrimSpace(sc.Text()))
	}
	if s.BusAddress == "" || s.busPID == 0 {
		return fail(fmt.Errorf("testenv: dbus-daemon printed no address and PID: %q", out))
	}
	if s.bus, err = os.FindProcess(s.busPID); err != nil { // bound now, while the PID is surely the bus's
		return fail(fmt.Errorf("testenv: dbus-daemon: %w", err))
	}

	data := filepath.Join(dir, "data")
	runtime := filepath.Join(dir, "run")
	for _, d := range []string{data, runtime} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fail(fmt.Errorf("testenv: %w", err))
		}
	}
	pw := make([]byte, 16)
	if _, err := rand.Read(pw); err != nil {
		return fail(fmt.Errorf("testenv: %w", err))
	}
	env := append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+s.BusAddress, "XDG_DATA_HOME="+data,
		"XDG_RUNTIME_DIR="+runtime, "HOME="+dir)
	gk := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	gk.Env = env
	gk.Stdin = strings.NewReader(hex.EncodeToString(pw))
	logf, err := os.Create(filepath.Join(dir, "gnome-keyring.log"))
	if err != nil {
		return fail(fmt.Errorf("testenv: %w", err))
	}
	gk.Stdout, gk.Stderr = logf, logf
	if err := gk.Start(); err != nil {
		logf.Close()
		return fail(fmt.Errorf("testenv: gnome-keyring-daemon: %w", err))
	}
	logf.Close()
	s.keyringPID, s.keyring = gk.Process.Pid, gk.Process
	go func() { _ = gk.Wait() }() // reap it when it ends

	wait, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := Until(wait, func() error {
		q := exec.CommandContext(wait, "dbus-send", "--bus="+s.BusAddress, "--print-reply",
			"--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
			"string:org.freedesktop.secrets")
		if out, err := q.Output(); err == nil && strings.Contains(string(out), "boolean true") {
			return nil
		}
		if !Alive(s.keyringPID) {
			log, _ := os.ReadFile(filepath.Join(dir, "gnome-keyring.log"))
			return GiveUp(fmt.Errorf("testenv: gnome-keyring-daemon ended at start: %s", strings.TrimSpace(string(log))))
		}
		return errors.New("testenv: the Secret Service did not appear on the bus")
	}); err != nil {
		return fail(err)
	}
	os.Setenv("DBUS_SESSION_BUS_ADDRESS", s.BusAddress)
	os.Setenv("XDG_DATA_HOME", data)
	return s, nil
}

// KeyringDir is the folder where gnome-keyring keeps its keyring files.
func (s *SecretService) KeyringDir() string { return filepath.Join(s.dir, "data", "keyrings") }

// Stop ends gnome-keyring and the bus by PID and removes their folder.
func (s *SecretService) Stop() {
	if s == nil {
		return
	}
	StopProcess(s.keyring, 2*time.Second)
	StopProcess(s.bus, 2*time.Second)
	os.RemoveAll(s.dir)
}

// RequireSecretService is the check of a test that needs the real OS
// keyring: started is StartSecretService's error (nil when gnome-keyring
// runs). Without it the test fails in CI and is skipped elsewhere.
func RequireSecretService(t testing.TB, started error) {
	t.Helper()
	if started == nil {
		return
	}
	if InCI() {
		t.Fatalf("gnome-keyring is required in CI: %v", started)
	}
	t.Skip(started)
}
