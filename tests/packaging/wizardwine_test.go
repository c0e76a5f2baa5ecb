//go:build windowstest

// Needs the cgo mingw-w64 build of SecureMail.exe (minutes on a cold cache),
// like windows_test.go: `make windows-package-test` runs it.

package packaging

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/testnet"
	"securemail/tests/testenv"
	"securemail/tests/wine"
	"securemail/tests/xvfb"
)

// The theme's colours the test looks for: primary blue (the current step's
// name, the enabled Next button, a ticked box) and a selected row's.
var (
	primary  = [3]uint8{41, 111, 246}
	selected = [3]uint8{191, 218, 255}
)

// TestWindowsWizardUnderWine runs the SecureMail.exe that scripts/windows.sh
// builds under Wine on an Xvfb screen, in a fresh WINEPREFIX with a fresh
// profile, as a new user would start it: the first-run wizard appears (its
// picture is docs/screenshots/windows-wizard.png, rewritten with
// SECUREMAIL_UPDATE_SCREENSHOTS=1), and clicking through it with the
// bundled offline network — the wizard's default, started by the program
// itself — ends in the main window, with the account set up for the tester
// picked: securemail-cli.exe shows it and fetches from that network.
func TestWindowsWizardUnderWine(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	wine.Require(t)
	xvfb.Require(t)
	out := buildWindows(t)
	x := xvfb.Start(t)
	p := wine.NewPrefix(ctx, t) // stopped (wineserver -k) before the screen
	work := t.TempDir()
	profile, netDir := filepath.Join(work, "profile"), filepath.Join(work, "net")
	env := []string{"LANG=en_US.UTF-8", "LC_ALL=", "SECUREMAIL_KEY_PASSPHRASE=wine wizard passphrase",
		"SECUREMAIL_TESTNET=" + wine.WindowsPath(netDir)}

	logFile := filepath.Join(work, "gui.log")
	logf, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	start := time.Now()
	gui := p.Command(ctx, filepath.Join(out, "SecureMail.exe"), "--profile", wine.WindowsPath(profile))
	gui.Env = append(x.Env(gui.Env), env...)
	gui.Stdout, gui.Stderr = logf, logf
	if err := gui.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { gui.Wait(); close(exited) }()
	t.Cleanup(func() {
		testenv.StopProcess(gui.Process, 3*time.Second)
		<-exited
	})

	// 1. The wizard appears, drawn (its Next button is).
	win := x.WaitWindow("set-up$", 2*time.Minute, logFile)
	t.Logf("wizard window mapped %v after start", time.Since(start).Round(time.Millisecond))
	shot := x.Screenshot(win, "windows-wizard.png", func(img image.Image) bool { return nextEnabled(img) && step(img) == 1 })
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 700 || b.Dy() < 500 || b.Dx() > 1280 || b.Dy() > 800 {
		t.Fatalf("the wizard window is %dx%d; want at least 700x500 on a 1280x800 screen", b.Dx(), b.Dy())
	}
	if os.Getenv("SECUREMAIL_UPDATE_SCREENSHOTS") == "1" {
		if err := os.WriteFile(filepath.Join(root, "docs", "screenshots", "windows-wizard.png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// 2. Through the wizard as a user: the bundled network, its first
	// tester, the servers it fills in, the trusted authority (Next refused
	// until its box is ticked), the chain and Digital ID the handout gives.
	click := func(xy ...string) {
		x.Xdotool(append([]string{"mousemove", "--window", win}, append(xy, "click", "1")...)...)
	}
	waitFor := func(what string, ready func(image.Image) bool) { t.Helper(); x.Wait(win, what, ready) }
	next := func() { // Next, then the pointer off it (a hovered button is lighter)
		x.Xdotool("mousemove", "--window", win, "818", "577", "click", "1", "mousemove", "--window", win, "430", "470")
	}
	click("430", "289") // "No files yet? Use the bundled offline network"
	waitFor("address step", func(img image.Image) bool { return step(img) == 2 && !nextEnabled(img) })
	click("430", "353") // the tester list
	click("200", "387") // its first tester
	waitFor("tester picked", func(img image.Image) bool { return step(img) == 2 && nextEnabled(img) })
	next()
	waitFor("servers step", func(img image.Image) bool { return step(img) == 3 && nextEnabled(img) })
	next()
	waitFor("trust step, Next refused", func(img image.Image) bool {
		return step(img) == 4 && !nextEnabled(img) && xvfb.CountColour(img, 0xc6, 0x28, 0x28) > 50
	})
	click("24", "290") // "Trust this authority to identify e-mail senders"
	waitFor("authority trusted", func(img image.Image) bool { return step(img) == 4 && nextEnabled(img) })
	next()
	waitFor("chain step", func(img image.Image) bool { return step(img) == 5 && nextEnabled(img) })
	next()
	waitFor("Digital ID step", func(img image.Image) bool { return step(img) == 6 && nextEnabled(img) })
	next()
	waitFor("done step", func(img image.Image) bool { return step(img) == 7 && nextEnabled(img) })
	next() // Finish

	// 3. What the user sees: the main window; and the account, for the
	// command line, is the tester's, on the network the program serves.
	main := x.WaitWindow("^SecureMail$", time.Minute, logFile)
	x.Wait(main, "main window with its Inbox", func(img image.Image) bool {
		// Drawn: the folder list with the Inbox selected at its top.
		b := img.Bounds()
		return b.Dx() >= 800 && b.Dy() >= 600 && countIn(img, image.Rect(4, 44, 174, 80), selected) > 2000
	})
	t.Logf("wizard completed, main window shown %v after start", time.Since(start).Round(time.Millisecond))
	cli := func(args ...string) string {
		t.Helper()
		cmd := p.Command(ctx, filepath.Join(out, "securemail-cli.exe"), append([]string{"--profile", wine.WindowsPath(profile)}, args...)...)
		cmd.Env = append(cmd.Env, env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("securemail-cli.exe %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	var acct struct {
		Address    string `json:"address"`
		Bundled    bool   `json:"bundled"`
		SignAll    bool   `json:"sign_all"`
		EncryptAll bool   `json:"encrypt_all"`
		DigitalIDs []struct {
			Address string `json:"address"`
			Current bool   `json:"current"`
		} `json:"digital_ids"`
	}
	if err := json.Unmarshal([]byte(cli("account", "show", "--json")), &acct); err != nil {
		t.Fatalf("account show --json: %v", err)
	}
	if acct.Address == "" || !acct.Bundled || !acct.SignAll || !acct.EncryptAll ||
		len(acct.DigitalIDs) != 1 || !acct.DigitalIDs[0].Current || !strings.EqualFold(acct.DigitalIDs[0].Address, acct.Address) {
		t.Fatalf("after the wizard the account is %+v; want a bundled-network tester with a current Digital ID, signing and encrypting", acct)
	}
	if _, err := os.Stat(testnet.HandoutDir(netDir, acct.Address)); err != nil {
		t.Fatalf("the account %s is not a tester of the bundled network: %v", acct.Address, err)
	}
	cli("fetch", "--quiet") // the network's servers accept the account's passwords
	t.Logf("%s set up; total %v", acct.Address, time.Since(start).Round(time.Millisecond))
}

// nextEnabled reports whether the wizard's Next (or Finish) button, at the
// bottom right of its 860x600 window, is enabled (primary blue).
func nextEnabled(img image.Image) bool {
	return countIn(img, image.Rect(770, 555, 860, 600), primary) > 500
}

// step is the wizard step whose name, in the row at the top, is
// highlighted (1-7), or 0.
func step(img image.Image) int {
	// The names' spans (x) in the 860-pixel-wide window.
	spans := [7][2]int{{5, 95}, {100, 210}, {215, 322}, {328, 470}, {475, 600}, {605, 730}, {735, 800}}
	for i, sp := range spans {
		if countIn(img, image.Rect(sp[0], 10, sp[1], 34), primary) > 30 {
			return i + 1
		}
	}
	return 0
}

// countIn counts the pixels of img inside r that have colour c.
func countIn(img image.Image, r image.Rectangle, c [3]uint8) int {
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return 0
	}
	return xvfb.CountColour(sub.SubImage(r), c[0], c[1], c[2])
}
