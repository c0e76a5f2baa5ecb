// Package xvfb runs real windows on a virtual screen for the tests: Start
// starts Xvfb (stopped when the test ends), WaitWindow finds a window by its
// title with xdotool, Screenshot takes its picture with ImageMagick's import
// once it is not blank. Its own test (xvfb_test.go) drives the Linux window;
// tests/packaging's Windows test drives SecureMail.exe under Wine with it.
package xvfb

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"securemail/tests/testenv"
)

// Display is an Xvfb screen owned by one test.
type Display struct {
	// Name is the X display, such as ":91".
	Name string
	t    testing.TB
}

// Require checks that Xvfb, xdotool and ImageMagick's import are installed.
// A missing tool fails the test in CI and skips it elsewhere.
func Require(t testing.TB) {
	t.Helper()
	for _, tool := range [][2]string{{"Xvfb", "xvfb"}, {"xdotool", "xdotool"}, {"import", "imagemagick"}} {
		testenv.RequireTool(t, tool[0], tool[1])
	}
}

// Start starts Xvfb with a 1280x800 screen and returns once it accepts
// clients; it is stopped when the test ends. Xvfb chooses a free display
// number itself and tells it (-displayfd), so tests started at the same
// time never share a screen.
func Start(t testing.TB) *Display {
	t.Helper()
	Require(t)
	d := &Display{t: t}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Start()
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() { testenv.StopProcess(cmd.Process, 3*time.Second); <-exited })
	// Xvfb writes the number once it accepts clients; the pipe ends without
	// one if it fails (the guard of the test binary's -timeout is enough).
	line, err := bufio.NewReader(r).ReadString('\n')
	if n, convErr := strconv.Atoi(strings.TrimSpace(line)); convErr == nil && err == nil {
		d.Name = fmt.Sprintf(":%d", n)
		return d
	}
	<-exited
	t.Fatalf("Xvfb did not start (%v): %s", err, stderr.String())
	return nil
}

// Env is env with DISPLAY set to this screen.
func (d *Display) Env(env []string) []string {
	return append(append([]string(nil), env...), "DISPLAY="+d.Name)
}

// Xdotool runs xdotool with args on this screen and returns its output.
func (d *Display) Xdotool(args ...string) string {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = d.Env(os.Environ())
	out, _ := cmd.Output()
	return strings.TrimSpace(string(out))
}

// WaitWindow returns the id of the visible window whose title matches the
// pattern, waiting up to timeout (a guard); if none appears it fails the
// test with the program's output read from logFile.
func (d *Display) WaitWindow(title string, timeout time.Duration, logFile string) string {
	d.t.Helper()
	var id string
	testenv.Eventually(d.t, timeout, func() error {
		if ids := strings.Fields(d.Xdotool("search", "--onlyvisible", "--name", title)); len(ids) > 0 {
			id = ids[0]
			return nil
		}
		log, _ := os.ReadFile(logFile)
		return fmt.Errorf("no window matching %q appeared; the program said:\n%s", title, log)
	})
	return id
}

// Screenshot takes the window's picture until it is not blank and ready
// (if not nil) says it shows what it should; it returns the PNG.
func (d *Display) Screenshot(win, name string, ready func(image.Image) bool) []byte {
	d.t.Helper()
	return d.Wait(win, name, func(img image.Image) bool { return Variance(img) > 200 && (ready == nil || ready(img)) })
}

// Wait takes the window's picture until ready says it shows what it
// should (the name says what, for the failure), failing the test after a
// guard of a minute; it returns the PNG.
func (d *Display) Wait(win, name string, ready func(image.Image) bool) []byte {
	d.t.Helper()
	var data []byte
	testenv.Eventually(d.t, time.Minute, func() error {
		cmd := exec.Command("import", "-window", win, "png:-")
		cmd.Env = d.Env(os.Environ())
		var err error
		if data, err = cmd.Output(); err != nil {
			return fmt.Errorf("%s: no picture of the window: %w", name, err)
		}
		if dir := os.Getenv("SECUREMAIL_XVFB_KEEP"); dir != "" { // the last picture, to see why a wait failed
			os.WriteFile(filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(name)+".png"), data, 0o644)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil || !ready(img) {
			return fmt.Errorf("%s: the window stayed blank or did not show it (%v)", name, err)
		}
		b := img.Bounds()
		d.t.Logf("%s: %dx%d, luminance variance %.0f", name, b.Dx(), b.Dy(), Variance(img))
		return nil
	})
	return data
}

// Variance is the variance of the pixels' luminance: near 0 for a blank window.
func Variance(img image.Image) float64 {
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

// HasColour reports whether at least 200 pixels have that colour (±2).
func HasColour(img image.Image, r, g, b uint8) bool { return CountColour(img, r, g, b) >= 200 }

// CountColour counts the pixels of that colour (±2).
func CountColour(img image.Image, r, g, b uint8) int {
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
