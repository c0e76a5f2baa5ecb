// Package xvfb is the real-window test: the built securemail binary runs
// under Xvfb (started and stopped by the test) on prepared profiles, and the
// test takes screenshots of the first-run wizard and of the main window with
// a signed and encrypted message open. With SECUREMAIL_UPDATE_SCREENSHOTS=1
// the screenshots are written to docs/screenshots/.
package xvfb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/internal/testenv"
	"securemail/testnet"
)

const (
	alain = "Alain.Dupont@tcn.b.eu-admin.net"
	marie = "Marie.Curie@tcn.f.eu-admin.net"
)

const netConfig = `
[[country]]
code = "B"
[[country.tester]]
name = "Alain.Dupont"
[[country]]
code = "F"
[[country.tester]]
name = "Marie.Curie"
`

type world struct {
	t       *testing.T
	bin     string
	netDir  string
	display string
	env     []string
	guiLog  string
}

func TestRealWindowScreenshots(t *testing.T) {
	for _, tool := range [][2]string{{"Xvfb", "xvfb"}, {"xdotool", "xdotool"}, {"import", "imagemagick"}} {
		testenv.RequireTool(t, tool[0], tool[1])
	}
	w := &world{t: t, netDir: t.TempDir()}
	w.build()
	w.env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=", "SECUREMAIL_KEY_PASSPHRASE=xvfb test passphrase",
		"SECUREMAIL_TESTNET="+w.netDir,
		"XDG_CONFIG_HOME="+t.TempDir()) // Fyne's remembered window sizes start from the defaults
	w.startNetwork()
	profiles := t.TempDir()
	pa, pm := filepath.Join(profiles, "alain"), filepath.Join(profiles, "marie")
	w.exchange(pa, pm)
	w.startXvfb()

	// 1. The first-run wizard on an empty profile.
	start := time.Now()
	gui := w.startGUI(filepath.Join(profiles, "new"))
	win := w.waitWindow("set-up$")
	t.Logf("wizard window mapped %v after start", time.Since(start).Round(time.Millisecond))
	shots := map[string][]byte{}
	shots["wizard.png"] = w.screenshot(win, "wizard.png", nil)
	// "No files yet? Use the bundled offline network", pick the first
	// tester, Next over the servers: the trusted authority step, which
	// refuses Next until its box is ticked (the red X of the refusal).
	w.xdotool("mousemove", "--window", win, "430", "289", "click", "1")
	w.xdotool("mousemove", "--window", win, "430", "353", "click", "1")
	w.xdotool("mousemove", "--window", win, "200", "387", "click", "1")
	w.xdotool("mousemove", "--window", win, "818", "577", "click", "1")
	w.xdotool("mousemove", "--window", win, "818", "577", "click", "1")
	shots["wizard-trust.png"] = w.screenshot(win, "wizard-trust.png", func(img image.Image) bool {
		return countColour(img, 0xc6, 0x28, 0x28) > 50
	})
	testenv.StopPID(gui, 3*time.Second)

	// 2. The main window of Alain with Marie's signed+encrypted mail open.
	start = time.Now()
	gui = w.startGUI(pa)
	t.Cleanup(func() { testenv.StopPID(gui, 3*time.Second) })
	win = w.waitWindow("^SecureMail$")
	t.Logf("main window mapped %v after start", time.Since(start).Round(time.Millisecond))
	// Click the first message of the list (the newest: Marie's dossier).
	w.xdotool("mousemove", "--window", win, "420", "62", "click", "1")
	shots["main-window.png"] = w.screenshot(win, "main-window.png", func(img image.Image) bool {
		return hasColour(img, 0xe3, 0xf4, 0xe6) && hasColour(img, 0xe3, 0xec, 0xf7) // green (valid) and blue (encrypted) banner lines
	})

	// 3. The composer's refusal: encrypting for someone without a Digital ID.
	w.xdotool("mousemove", "--window", win, "40", "21", "click", "1")
	comp := w.waitWindow("^New message$")
	w.xdotool("mousemove", "--window", comp, "300", "60", "click", "1")
	w.xdotool("type", "--window", comp, "Jean.Dupont@tcn.f.eu-admin.net")
	w.xdotool("mousemove", "--window", comp, "300", "140", "click", "1")
	w.xdotool("type", "--window", comp, "Dossier 43")
	before := 0
	w.screenshot(comp, "composer (before Send)", func(img image.Image) bool {
		before = countColour(img, 0xc6, 0x28, 0x28)
		return before > 0 // the struck key beside the recipient
	})
	w.xdotool("key", "--window", comp, "ctrl+Return")
	shots["composer-refusal.png"] = w.screenshot(comp, "composer-refusal.png", func(img image.Image) bool {
		return countColour(img, 0xc6, 0x28, 0x28) >= before*18/10 // a second struck key: the refusal
	})
	if os.Getenv("SECUREMAIL_UPDATE_SCREENSHOTS") == "1" {
		dir := filepath.Join("..", "..", "docs", "screenshots")
		os.MkdirAll(dir, 0o755)
		for name, data := range shots {
			os.WriteFile(filepath.Join(dir, name), data, 0o644)
		}
	}
}

func (w *world) build() {
	w.bin = filepath.Join(w.t.TempDir(), "securemail")
	cmd := exec.Command("go", "build", "-o", w.bin, "securemail")
	if out, err := cmd.CombinedOutput(); err != nil {
		w.t.Fatalf("go build: %v\n%s", err, out)
	}
}

// run runs a CLI command of the binary on a profile.
func (w *world) run(profile, stdin string, args ...string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.bin, append([]string{"--profile", profile}, args...)...)
	cmd.Env = w.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		w.t.Fatalf("securemail %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

func (w *world) startNetwork() {
	cfg := filepath.Join(w.t.TempDir(), "net.toml")
	os.WriteFile(cfg, []byte(netConfig), 0o600)
	cmd := exec.Command(w.bin, "testnet", "--dir", w.netDir, "--config", cfg)
	cmd.Env = w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	pid := cmd.Process.Pid
	go cmd.Wait()
	w.t.Cleanup(func() { testenv.StopPID(pid, 5*time.Second) })
	// The network is up once a tester's POP3 server answers.
	deadline := time.Now().Add(60 * time.Second)
	for {
		var acct struct{ POP3 string }
		if b, err := os.ReadFile(filepath.Join(testnet.HandoutDir(w.netDir, marie), "account.json")); err == nil && json.Unmarshal(b, &acct) == nil && acct.POP3 != "" {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			err := testenv.WaitTCP(ctx, acct.POP3)
			cancel()
			if err == nil {
				return
			}
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the bundled network did not start:\n%s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// exchange sets both testers up, links them, and has Marie send Alain a
// signed and encrypted message with an attachment.
func (w *world) exchange(pa, pm string) {
	w.run(pa, "", "account", "setup", "--from-handout", testnet.HandoutDir(w.netDir, alain), "--trust-root")
	w.run(pm, "", "account", "setup", "--from-handout", testnet.HandoutDir(w.netDir, marie), "--trust-root")
	w.run(pa, "", "securelink", "request", "--to", marie)
	w.fetchUntil(pm, "Secure link request")
	w.run(pm, "", "securelink", "reply", "--to", alain)
	w.fetchUntil(pa, "Re: Secure link request")
	card := filepath.Join(w.t.TempDir(), "card.bin")
	os.WriteFile(card, bytes.Repeat([]byte{0x42}, 199_680), 0o600)
	w.run(pm, "Dear Alain,\n\nthe card of dossier 42 was reported stolen on 3 March; please block it in TACHOnet.\n\nKind regards,\nMarie Curie\n",
		"send", "--to", alain, "--subject", "Dossier 42: stolen card", "--sign", "--encrypt", "--attach", card)
	w.fetchUntil(pa, "Dossier 42: stolen card")
}

func (w *world) fetchUntil(profile, subject string) {
	w.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		w.run(profile, "", "fetch")
		if strings.Contains(w.run(profile, "", "messages", "list", "--json"), subject) {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%q did not arrive within 60 s", subject)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (w *world) startXvfb() {
	for n := 91; n < 120; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		w.display = fmt.Sprintf(":%d", n)
		break
	}
	cmd := exec.Command("Xvfb", w.display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	pid := cmd.Process.Pid
	go cmd.Wait()
	w.t.Cleanup(func() { testenv.StopPID(pid, 3*time.Second) })
	w.env = append(w.env, "DISPLAY="+w.display)
	deadline := time.Now().Add(10 * time.Second)
	for exec.Command("xdpyinfo", "-display", w.display).Run() != nil {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%s", w.display[1:])); err == nil {
			break
		}
		if time.Now().After(deadline) {
			w.t.Fatal("Xvfb did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (w *world) startGUI(profile string) int {
	cmd := exec.Command(w.bin, "--profile", profile)
	cmd.Env = w.env
	w.guiLog = filepath.Join(w.t.TempDir(), "gui.log")
	logf, _ := os.Create(w.guiLog)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	go cmd.Wait()
	return cmd.Process.Pid
}

func (w *world) xdotool(args ...string) string {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = w.env
	out, _ := cmd.Output()
	return strings.TrimSpace(string(out))
}

// waitWindow finds the visible window whose title matches the pattern.
func (w *world) waitWindow(title string) string {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, id := range strings.Fields(w.xdotool("search", "--onlyvisible", "--name", title)) {
			return id
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(w.guiLog)
			w.t.Fatalf("no window matching %q appeared; the program said:\n%s", title, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// screenshot takes the window's picture until it is not blank and ready
// says it shows what it should; it returns the PNG.
func (w *world) screenshot(win, name string, ready func(image.Image) bool) []byte {
	w.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		cmd := exec.Command("import", "-window", win, "png:-")
		cmd.Env = w.env
		data, err := cmd.Output()
		if err == nil {
			img, err := png.Decode(bytes.NewReader(data))
			if err == nil && variance(img) > 200 && (ready == nil || ready(img)) {
				b := img.Bounds()
				w.t.Logf("%s: %dx%d, luminance variance %.0f", name, b.Dx(), b.Dy(), variance(img))
				return data
			}
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s: the window stayed blank or incomplete (err %v)", name, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// variance is the variance of the pixels' luminance: near 0 for a blank window.
func variance(img image.Image) float64 {
	b := img.Bounds()
	var sum, sq, n float64
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			sum += l
			sq += l * l
			n++
		}
	}
	m := sum / n
	return sq/n - m*m
}

// hasColour reports whether at least 200 pixels have that colour (±2).
func hasColour(img image.Image, r, g, b uint8) bool { return countColour(img, r, g, b) >= 200 }

// countColour counts the pixels of that colour (±2).
func countColour(img image.Image, r, g, b uint8) int {
	bd := img.Bounds()
	count := 0
	near := func(a uint32, v uint8) bool { d := int(a>>8) - int(v); return d >= -2 && d <= 2 }
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, r) && near(pg, g) && near(pb, b) {
				count++
			}
		}
	}
	return count
}
