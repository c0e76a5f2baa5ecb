package pop3bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"securemail/tests/testenv"
)

var (
	enabled = flag.Bool("pop3bench", false, "run the POP3 fetch benchmark (starts Dovecot, needs fetchmail and python3)")
	runs    = flag.Int("pop3bench.runs", 5, "timed runs per tool and mailbox")
	out     = flag.String("pop3bench.out", "", "also write the Markdown table to this file")
)

type mailbox struct {
	user  string
	count int
	size  int
}

// message returns a message of exactly size octets with 76-octet CRLF
// lines, some starting with a dot, like a base64 attachment.
func message(i, size int) []byte {
	hdr := fmt.Sprintf("From: Marie.Curie@tcn.f.eu-admin.net\r\nTo: Alan.Turing@tcn.gb.eu-admin.net\r\n"+
		"Subject: benchmark message %d\r\nMessage-ID: <%d@bench>\r\n\r\n", i, i)
	b := make([]byte, 0, size)
	b = append(b, hdr...)
	line := 0
	for len(b) < size-2 {
		n := min(74, size-2-len(b))
		start := len(b)
		for j := range n {
			b = append(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(i+j+line)%64])
		}
		if line%50 == 0 {
			b[start] = '.'
		}
		b = append(b, '\r', '\n')
		line++
	}
	return b[:size]
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// timeCmd runs a command and returns its wall time and stdout.
func timeCmd(t *testing.T, env []string, name string, args ...string) (time.Duration, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	o, err := cmd.Output()
	d := time.Since(start)
	if err != nil {
		t.Fatalf("%s: %v\n%s\n%s", name, err, o, stderr.String())
	}
	return d, string(o)
}

func TestPOP3Fetch(t *testing.T) {
	if !*enabled {
		t.Skip("the POP3 benchmark runs only with -pop3bench (bench/pop3.sh)")
	}
	fetchmail := testenv.RequireTool(t, "fetchmail", "fetchmail")
	python := testenv.RequireTool(t, "python3", "python3")
	boxes := []mailbox{{"small", 2000, 20 << 10}, {"large", 20, 5 << 20}}
	users := map[string]string{}
	for _, b := range boxes {
		users[b.user] = "bench-" + b.user
	}
	d := testenv.StartDovecot(t, testenv.DovecotOptions{Users: users})
	for _, b := range boxes {
		for i := range b.count {
			d.Deliver(t, b.user, message(i, b.size))
		}
	}
	dir := t.TempDir()
	ours := filepath.Join(dir, "fetch")
	if o, err := exec.Command("go", "build", "-o", ours, "./fetch").CombinedOutput(); err != nil {
		t.Fatalf("building the fetcher: %v\n%s", err, o)
	}
	script, _ := filepath.Abs("poplib_fetch.py")
	host, port, _ := strings.Cut(d.POP3, ":")
	fetchmailHome := filepath.Join(dir, "fetchmail")
	if err := os.MkdirAll(fetchmailHome, 0o700); err != nil {
		t.Fatal(err)
	}

	var table strings.Builder
	fmt.Fprintf(&table, "| mailbox | pop3client (ours) | fetchmail | Python poplib | ratio ours/fetchmail | ratio ours/poplib |\n")
	fmt.Fprintf(&table, "|---|---|---|---|---|---|\n")
	for _, b := range boxes {
		pwFile := filepath.Join(dir, b.user+".pw")
		if err := os.WriteFile(pwFile, []byte(users[b.user]+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		rc := filepath.Join(fetchmailHome, b.user+".rc")
		rcText := fmt.Sprintf("set no syslog\npoll %s service %s protocol pop3 auth password timeout 300:\n"+
			"  user %q password %q keep fetchall\n  sslproto 'tls1.2+' sslcertck sslcertfile %q sslcommonname localhost\n",
			host, port, b.user, users[b.user], d.CAFile)
		if err := os.WriteFile(rc, []byte(rcText), 0o600); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("%d %d", b.count, b.count*b.size)
		var tOurs, tFetchmail, tPoplib []time.Duration
		// One untimed warm-up each, then interleaved timed runs.
		for r := -1; r < *runs; r++ {
			d1, o1 := timeCmd(t, nil, ours, "-server", d.POP3, "-user", b.user, "-password-file", pwFile, "-ca", d.CAFile)
			if strings.TrimSpace(o1) != want {
				t.Fatalf("ours fetched %q, want %q", o1, want)
			}
			d2, o2 := timeCmd(t, []string{"FETCHMAILHOME=" + fetchmailHome}, fetchmail,
				"-f", rc, "--nodetach", "--bsmtp", "/dev/null", "--keep", "--sslcommonname", "localhost")
			if !strings.Contains(o2, fmt.Sprintf("%d messages for %s", b.count, b.user)) {
				t.Fatalf("fetchmail did not see the mailbox: %s", o2)
			}
			d3, o3 := timeCmd(t, nil, python, script, host, port, b.user, pwFile, d.CAFile)
			if strings.TrimSpace(o3) != want {
				t.Fatalf("poplib fetched %q, want %q", o3, want)
			}
			if r >= 0 {
				tOurs, tFetchmail, tPoplib = append(tOurs, d1), append(tFetchmail, d2), append(tPoplib, d3)
			}
		}
		mo, mf, mp := median(tOurs), median(tFetchmail), median(tPoplib)
		fmt.Fprintf(&table, "| %d × %s | %.3f s | %.3f s | %.3f s | %.2f | %.2f |\n", b.count, sizeName(b.size),
			mo.Seconds(), mf.Seconds(), mp.Seconds(), mo.Seconds()/mf.Seconds(), mo.Seconds()/mp.Seconds())
		t.Logf("%s: ours %v, fetchmail %v, poplib %v", b.user, tOurs, tFetchmail, tPoplib)
	}
	fmt.Print(table.String())
	if *out != "" {
		if err := os.WriteFile(*out, []byte(table.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return strconv.Itoa(n>>20) + " MB"
	}
	return strconv.Itoa(n>>10) + " KB"
}
