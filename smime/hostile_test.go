package smime

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"securemail/testnet/testca"
	"securemail/tests/hostile"
)

// Issue 12's bound: any input up to 100 MB judged in under 5 s and under
// 1 GB on one core.
const (
	hostileCPU   = 5 * time.Second
	hostileAlloc = 1 << 30
)

// hostileShape is one shape of issue 12, at the size the issue names.
type hostileShape struct {
	name string
	make func(hostile.Signer) ([]byte, error)
	// check asserts the verdict: what the reader is told.
	check func(t *testing.T, r *Report, err error)
}

func hostileShapes() []hostileShape {
	limit := func(what string) func(t *testing.T, r *Report, err error) {
		return func(t *testing.T, r *Report, err error) {
			t.Helper()
			var le *LimitError
			if !errors.As(err, &le) || le.What != what || !errors.Is(err, ErrTooComplex) {
				t.Fatalf("error %v, want a *LimitError about %s", err, what)
			}
			if r == nil || r.Error != le.Sentence() || !strings.Contains(r.Error, what) {
				t.Fatalf("report error %q, want the limit's sentence", r.Error)
			}
		}
	}
	return []hostileShape{
		{"20 million empty MIME parts (100 MB)", func(s hostile.Signer) ([]byte, error) { return hostile.EmptyParts(s, 20_000_000) },
			func(t *testing.T, r *Report, err error) {
				limit("MIME parts")(t, r, err)
				if r.Signature != StatusValid {
					t.Errorf("the signature over the parts is sound and must read valid, not %q (%s)", r.Signature, r.Reason)
				}
			}},
		{"20,000 certificates", func(s hostile.Signer) ([]byte, error) { return hostile.Certificates(s, 20_000) },
			func(t *testing.T, r *Report, err error) {
				if err != nil || r.Signature != StatusInvalid || r.Problem != ProblemTooLarge ||
					!strings.Contains(r.Reason, "at most 100 certificates") {
					t.Fatalf("%v: %s %s: %s", err, r.Signature, r.Problem, r.Reason)
				}
			}},
		{"a million levels of nesting", func(s hostile.Signer) ([]byte, error) { return hostile.Nesting(s, 1_000_000) },
			limit("levels of MIME nesting")},
		{"a 100 MB header", func(s hostile.Signer) ([]byte, error) { return hostile.Header(s, 100<<20) },
			limit("bytes of header fields")},
		{"a 300,000-line header", func(s hostile.Signer) ([]byte, error) { return hostile.Header(s, 300_000*8) },
			limit("bytes of header fields")},
		{"a 20,000-line header", func(s hostile.Signer) ([]byte, error) { return hostile.Header(s, 20_000*8) },
			limit("header lines")},
		{"control: an honest 100 MB message", func(s hostile.Signer) ([]byte, error) { return hostile.Control(s, 100<<20) },
			func(t *testing.T, r *Report, err error) {
				if err != nil || r.Signature != StatusValid || len(r.Attachments) != 1 {
					t.Fatalf("%v: %s (%s), %d attachments", err, r.Signature, r.Reason, len(r.Attachments))
				}
			}},
	}
}

// hostileSigner is a P-256 Digital ID of a fresh test authority.
func hostileSigner(t testing.TB) (hostile.Signer, []*x509.Certificate) {
	w := newWorld(t)
	p := w.issue(t, testca.IssueOptions{Email: "Eve.Hostile@tcn.b.eu-admin.net", Key: testca.P256})
	return hostile.Signer{Key: p.id.PrivateKey.(crypto.Signer), Certificate: p.id.Certificate, Chain: p.id.Chain[:1]},
		[]*x509.Certificate{w.ca.Root}
}

// TestHostileShapesBounded opens every hostile shape of issue 12 at full
// size: each gets its verdict and sentence within 5 s of CPU time (all
// threads, so garbage collection included) and allocates less than 1 GB in
// all (which bounds the peak), with the message itself.
func TestHostileShapesBounded(t *testing.T) {
	s, roots := hostileSigner(t)
	for _, shape := range hostileShapes() {
		t.Run(shape.name, func(t *testing.T) {
			msg, err := shape.make(s)
			if err != nil {
				t.Fatal(err)
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			cpu := cpuTime(t)
			r, err := OpenInPlace(context.Background(), msg, OpenOptions{Roots: roots})
			cpu = cpuTime(t) - cpu
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d MB: %v CPU, %d MB allocated", len(msg)>>20, cpu.Round(time.Millisecond), alloc>>20)
			shape.check(t, r, err)
			if cpu > hostileCPU {
				t.Errorf("took %v of CPU time; the bound is %v", cpu, hostileCPU)
			}
			if uint64(len(msg))+alloc > hostileAlloc {
				t.Errorf("message (%d MB) and allocations (%d MB) exceed 1 GB", len(msg)>>20, alloc>>20)
			}
		})
	}
}

// TestOpenStopsWhenCancelled: a done context stops Open with the
// context's error and a sentence, at the first check.
func TestOpenStopsWhenCancelled(t *testing.T) {
	s, roots := hostileSigner(t)
	msg, err := hostile.EmptyParts(s, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := OpenContext(ctx, msg, OpenOptions{Roots: roots})
	if !errors.Is(err, context.Canceled) || r.Error != "Opening this message was stopped before it finished." {
		t.Fatalf("%v, %q", err, r.Error)
	}
}

// BenchmarkHostile opens each hostile shape (docs/BENCHMARKS.md, "Hostile
// messages"; bench/hostile.sh compares with openssl cms -verify).
func BenchmarkHostile(b *testing.B) {
	s, roots := hostileSigner(b)
	for _, shape := range hostileShapes() {
		msg, err := shape.make(s)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.NewReplacer(" ", "_", ",", "").Replace(shape.name), func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				if r, _ := OpenContext(context.Background(), msg, OpenOptions{Roots: roots}); r == nil {
					b.Fatal("no report")
				}
			}
		})
	}
}

func ExampleLimitError() {
	fmt.Println((&LimitError{What: "MIME parts", Limit: maxParts}).Sentence())
	// Output: This message has more than 10,000 MIME parts, far more than any real message; SecureMail stopped reading it so that no message can make it hang. Ask the sender to send it again in a simpler form.
}

// TestCertificateLimitBoundary: a signature with 100 certificates is read
// and judged; one with 101 is refused as too large, with its sentence.
func TestCertificateLimitBoundary(t *testing.T) {
	s, roots := hostileSigner(t)
	for _, c := range []struct {
		n       int
		status  string
		problem string
	}{{100, StatusValid, ""}, {101, StatusInvalid, ProblemTooLarge}} {
		msg, err := hostile.Certificates(s, c.n)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Open(msg, OpenOptions{Roots: roots})
		if err != nil || r.Signature != c.status || r.Problem != c.problem {
			t.Errorf("%d certificates: %v %s %s (%s), want %s %q", c.n, err, r.Signature, r.Problem, r.Reason, c.status, c.problem)
		}
	}
}
