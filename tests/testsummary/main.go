// Command testsummary reads `go test -json` on standard input and prints
// what a person needs: one line per package, the output of each failed
// test, and a closing line "N passed, N failed, N skipped". It exits 1 when
// anything failed, so scripts can use it in place of go test's own output.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is one line of test2json output.
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

type summary struct {
	passed, failed, skipped int
	output                  map[string]*strings.Builder // package/test -> its output
	failedPkgs              []string
}

func main() {
	s, err := read(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	fmt.Printf("%d passed, %d failed, %d skipped\n", s.passed, s.failed, s.skipped)
	if s.failed > 0 || len(s.failedPkgs) > 0 {
		os.Exit(1)
	}
}

func read(r io.Reader, w io.Writer) (*summary, error) {
	s := &summary{output: map[string]*strings.Builder{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil || e.Action == "" {
			// Not JSON: a build error printed by go test itself.
			fmt.Fprintln(w, string(line))
			continue
		}
		key := e.Package + "/" + e.Test
		switch e.Action {
		case "output":
			b := s.output[key]
			if b == nil {
				b = &strings.Builder{}
				s.output[key] = b
			}
			b.WriteString(e.Output)
		case "pass", "fail", "skip":
			if e.Test == "" {
				s.packageDone(w, e)
				continue
			}
			switch e.Action {
			case "pass":
				s.passed++
			case "skip":
				s.skipped++
				fmt.Fprintf(w, "SKIP %s %s: %s", e.Package, e.Test, lastLine(s.output[key]))
			case "fail":
				s.failed++
				fmt.Fprintf(w, "--- FAIL: %s %s (%.2fs)\n", e.Package, e.Test, e.Elapsed)
				if b := s.output[key]; b != nil {
					fmt.Fprint(w, b.String())
				}
			}
			delete(s.output, key)
		}
	}
	sort.Strings(s.failedPkgs)
	return s, sc.Err()
}

func (s *summary) packageDone(w io.Writer, e event) {
	out := s.output[e.Package+"/"]
	delete(s.output, e.Package+"/")
	switch e.Action {
	case "pass":
		fmt.Fprintf(w, "ok   %s %.1fs\n", e.Package, e.Elapsed)
	case "skip":
		// a package without test files
	case "fail":
		s.failedPkgs = append(s.failedPkgs, e.Package)
		fmt.Fprintf(w, "FAIL %s %.1fs\n", e.Package, e.Elapsed)
		if out != nil && !strings.Contains(out.String(), "--- FAIL") {
			fmt.Fprint(w, out.String()) // a panic, a timeout or a TestMain failure
		}
		// A test still running when its package failed died with it (a
		// panic, a timeout): go test reports no end for it, so its own
		// output, the panic's message and stack, is said here.
		var running []string
		for key := range s.output {
			if strings.HasPrefix(key, e.Package+"/") {
				running = append(running, key)
			}
		}
		sort.Strings(running)
		for _, key := range running {
			s.failed++
			fmt.Fprintf(w, "--- DIED: %s %s\n", e.Package, strings.TrimPrefix(key, e.Package+"/"))
			fmt.Fprint(w, s.output[key].String())
			delete(s.output, key)
		}
	}
}

// lastLine is the last line of a test's output that is not go test's own
// "--- SKIP" or "=== RUN" marker: the reason the test gave.
func lastLine(b *strings.Builder) string {
	if b == nil {
		return "\n"
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.HasPrefix(l, "--- ") && !strings.HasPrefix(l, "=== ") {
			return l + "\n"
		}
	}
	return "\n"
}
