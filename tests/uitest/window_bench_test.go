package uitest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/app/profile"
	"securemail/mailstore"
	"securemail/tests/testenv"
	"securemail/tests/xvfb"
)

// noSyncFS skips fsync while the benchmark's store is filled.
type noSyncFS struct{ mailstore.OSFS }

type noSyncFile struct{ *os.File }

func (noSyncFile) Sync() error { return nil }

func (noSyncFS) CreateTemp(dir, pattern string) (mailstore.File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return noSyncFile{f}, nil
}

func (noSyncFS) SyncDir(string) error { return nil }

// benchProfile makes (once, in SECUREMAIL_BENCH_DIR when set) a profile with n Inbox messages.
func benchProfile(t *testing.T, n int) string {
	dir := os.Getenv("SECUREMAIL_BENCH_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, fmt.Sprintf("window-%d", n))
	if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
		return dir
	}
	p, err := profile.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := profile.DefaultSettings()
	s.Account.Address = "Alain.Dupont@tcn.b.eu-admin.net"
	s.Account.POP3 = profile.Server{Address: "127.0.0.1:1", TLS: "none"}
	s.Account.SMTP = profile.Server{Address: "127.0.0.1:1", TLS: "none"}
	s.CheckEvery = 0
	if err := p.Save(s); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := mailstore.Open(ctx, p.Path("mail"), mailstore.Options{FS: noSyncFS{}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		msg := fmt.Sprintf("From: Marie Curie <Marie.Curie@tcn.f.eu-admin.net>\r\nTo: Alain.Dupont@tcn.b.eu-admin.net\r\n"+
			"Subject: Dossier %d: card status\r\nDate: %s\r\nMessage-ID: <bench%d@tcn.f.eu-admin.net>\r\n\r\nCard %d is blocked.\r\n",
			i, start.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z), i, i)
		if _, err := st.Add(ctx, mailstore.Inbox, []byte(msg), mailstore.AddOptions{Flags: mailstore.Seen}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "ready"), nil, 0o600)
	return dir
}

func TestWindowWithFiftyThousandMessages(t *testing.T) {
	if os.Getenv("SECUREMAIL_BENCH_WINDOW") != "1" {
		t.Skip("a benchmark: set SECUREMAIL_BENCH_WINDOW=1 to run it")
	}
	for _, tool := range [][2]string{{"Xvfb", "xvfb"}, {"xdotool", "xdotool"}} {
		testenv.RequireTool(t, tool[0], tool[1])
	}
	t0 := time.Now()
	prof := benchProfile(t, 50000)
	t.Logf("profile with 50,000 messages ready in %v", time.Since(t0).Round(time.Second))
	bin := filepath.Join(t.TempDir(), "securemail")
	if out, err := exec.Command("go", "build", "-o", bin, "securemail").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	screen := xvfb.Start(t)
	env := append(os.Environ(), "DISPLAY="+screen.Name, "LANG=en_US.UTF-8", "SECUREMAIL_TRACE=1", "SECUREMAIL_KEY_PASSPHRASE=window benchmark",
		"XDG_CONFIG_HOME="+t.TempDir())
	xdo := func(args ...string) string {
		c := exec.Command("xdotool", args...)
		c.Env = env
		out, _ := c.Output()
		return strings.TrimSpace(string(out))
	}

	gui := exec.Command(bin, "--profile", prof)
	gui.Env = env
	stderr, _ := gui.StderrPipe()
	started := time.Now()
	if err := gui.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { testenv.StopProcess(gui.Process, 5*time.Second) })
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// The time to the window is the measurement: a 5 ms poll is its
	// resolution (testenv.Eventually backs off to 50 ms).
	var win string
	for win == "" {
		if ids := strings.Fields(xdo("search", "--onlyvisible", "--name", "^SecureMail$")); len(ids) > 0 {
			win = ids[0]
		}
		if time.Since(started) > 120*time.Second {
			t.Fatal("no window")
		}
		if win == "" {
			time.Sleep(5 * time.Millisecond)
		}
	}
	mapped := time.Since(started)
	var traces []string
	wait := func(prefix string) string {
		timeout := time.After(60 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("the program ended before %q:\n%s", prefix, strings.Join(traces, "\n"))
				}
				traces = append(traces, l)
				if strings.Contains(l, prefix) {
					return l
				}
			case <-timeout:
				t.Fatalf("no %q:\n%s", prefix, strings.Join(traces, "\n"))
			}
		}
	}
	populated := wait("list populated")
	populatedAt := time.Since(started)

	// Scroll: 300 wheel steps over the list, then drag the scroll bar to the
	// bottom (row 50,000) and back to the top.
	xdo("mousemove", "--window", win, "600", "150")
	scrollStart := time.Now()
	xdo("click", "--repeat", "300", "--delay", "8", "5")
	xdo("mousemove", "--window", win, "1094", "50", "mousedown", "1")
	xdo("mousemove", "--window", win, "1094", "250")
	xdo("mouseup", "1")
	xdo("mousemove", "--window", win, "1094", "250", "mousedown", "1")
	xdo("mousemove", "--window", win, "1094", "48")
	xdo("mouseup", "1")
	scrolled := time.Since(scrollStart)
	gui.Process.Signal(os.Interrupt)
	rows := wait("row callbacks")
	go io.Copy(io.Discard, stderr)
	report := fmt.Sprintf("window mapped %.0f ms after exec; %s; list populated %.0f ms after exec; scrolling (300 wheel steps + 2 scroll-bar drags) took %.0f ms of wall time; %s",
		ms(mapped), after(populated), ms(populatedAt), ms(scrolled), after(rows))
	t.Log(report)
	if out := os.Getenv("SECUREMAIL_BENCH_OUT"); out != "" {
		os.WriteFile(out, []byte(report+"\n"+strings.Join(traces, "\n")+"\n"), 0o644)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// after strips the "trace: N ms " prefix.
func after(line string) string {
	if i := strings.Index(line, " ms "); i >= 0 {
		return line[i+4:]
	}
	return line
}
