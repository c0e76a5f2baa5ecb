package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestSummaryCountsAndShowsFailures(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"fine\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestA","Elapsed":0.1}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:9: want 2, got 3\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestB","Elapsed":0.2}`,
		`{"Action":"output","Package":"p","Test":"TestC","Output":"    c_test.go:3: dovecot not installed\n"}`,
		`{"Action":"output","Package":"p","Test":"TestC","Output":"--- SKIP: TestC (0.00s)\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestC"}`,
		`{"Action":"fail","Package":"p","Elapsed":0.5}`,
		`# q`, `q/x.go:1: syntax error`,
	}, "\n")
	var out bytes.Buffer
	s, err := read(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	if s.passed != 1 || s.failed != 1 || s.skipped != 1 || len(s.failedPkgs) != 1 {
		t.Fatalf("counts %+v", s)
	}
	for _, want := range []string{"--- FAIL: p TestB", "want 2, got 3", "SKIP p TestC: c_test.go:3: dovecot not installed", "FAIL p", "q/x.go:1: syntax error"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "fine") {
		t.Error("a passing test's output was printed")
	}
}

// TestSummaryShowsATestThatDiedWithItsPackage: a panic ends the test binary;
// go test then reports the package's failure but no end for the running
// test, whose output holds the panic. The summary must show it.
func TestSummaryShowsATestThatDiedWithItsPackage(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestDraft"}`,
		`{"Action":"output","Package":"p","Test":"TestDraft","Output":"panic: runtime error: invalid memory address or nil pointer dereference\n"}`,
		`{"Action":"output","Package":"p","Test":"TestDraft","Output":"\tp/daily_test.go:312 +0x1a\n"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t3.3s\n"}`,
		`{"Action":"fail","Package":"p","Elapsed":3.3}`,
	}, "\n")
	var out bytes.Buffer
	s, err := read(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--- DIED: p TestDraft", "nil pointer dereference", "daily_test.go:312", "FAIL p"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if s.failed != 1 {
		t.Errorf("%d failed tests counted, want the one that died", s.failed)
	}
}
