package xvfb

import (
	"context"
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/mailstore"
	"securemail/smime/identity"
	"securemail/testnet"
	"securemail/tests/hostile"
	"securemail/tests/testenv"
)

// TestWindowStopsOnSIGTERMWhileOpening: Alain's Inbox holds a 55 MB hostile
// message (11 million empty MIME parts, correctly signed by Marie). The
// window opens it when clicked; once it has spent 200 ms of CPU on it, the
// window gets SIGTERM and must close within 1 s, cleanly (exit status 0),
// as it does when idle (TestRealWindowScreenshots, issue 12 point 7).
func TestWindowStopsOnSIGTERMWhileOpening(t *testing.T) {
	Require(t)
	w := &world{t: t, netDir: t.TempDir()}
	w.build()
	w.env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=", "SECUREMAIL_KEY_PASSPHRASE=xvfb test passphrase",
		"SECUREMAIL_TESTNET="+w.netDir, "XDG_CONFIG_HOME="+t.TempDir())
	w.startNetwork()
	pa := filepath.Join(t.TempDir(), "alain")
	w.run(pa, "", "account", "setup", "--from-handout", testnet.HandoutDir(w.netDir, alain), "--trust-root")

	handout := testnet.HandoutDir(w.netDir, marie)
	pfx, err := os.ReadFile(filepath.Join(handout, "Mail.pfx"))
	if err != nil {
		t.Fatal(err)
	}
	pw, err := os.ReadFile(filepath.Join(handout, "password.txt"))
	if err != nil {
		t.Fatal(err)
	}
	id, err := identity.ParsePFX(pfx, strings.TrimSpace(string(pw)))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := hostile.EmptyParts(hostile.Signer{Key: id.PrivateKey.(crypto.Signer), Certificate: id.Certificate, Chain: id.Chain}, 11_000_000)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := mailstore.Open(ctx, filepath.Join(pa, "mail"), mailstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Add(ctx, mailstore.Inbox, msg, mailstore.AddOptions{})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}

	w.x = Start(t)
	w.env = w.x.Env(w.env)
	gui := w.startGUI(pa)
	t.Cleanup(func() { testenv.StopProcess(gui, 3*time.Second) })
	win := w.waitWindow("^SecureMail$")
	// Click the message until the window is busy opening it (the list
	// fills a moment after the window maps).
	idle := testenv.CPUTime(gui.Pid)
	deadline := time.Now().Add(60 * time.Second) // failure guard only
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for ; testenv.CPUTime(gui.Pid)-idle < 200*time.Millisecond; <-poll.C {
		if time.Now().After(deadline) {
			t.Fatalf("the window did not start opening the message within 60 s (log: %s)", w.guiLog)
		}
		w.xdotool("mousemove", "--window", win, "650", "168", "click", "1") // the first row, below the menu bar, toolbars and column titles
	}
	w.terminateGUI(gui, " while opening the message")
}
