package mailbox

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestDeliverListDedupDelete(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close() // Windows does not delete an open file (seen.log)
	const u = "Jan.Peeters@tcn.b.eu-admin.net"
	if dup, err := s.Deliver(u, "env-1", strings.NewReader("Subject: a\r\n\r\nx\r\n")); dup || err != nil {
		t.Fatal(dup, err)
	}
	if dup, err := s.Deliver(u, "env-1", strings.NewReader("Subject: a\r\n\r\nx\r\n")); !dup || err != nil {
		t.Fatalf("second delivery of env-1: dup=%v err=%v, want a duplicate", dup, err)
	}
	if _, err := s.Deliver(strings.ToLower(u), "", strings.NewReader("Subject: b\n\nbare\nlf\n")); err != nil {
		t.Fatal(err)
	}
	ms, err := s.List(u)
	if err != nil || len(ms) != 2 {
		t.Fatalf("List = %v, %v; want 2 messages", ms, err)
	}
	b, _ := s.Bytes(u, ms[1].UID)
	if string(b) != "Subject: b\r\n\r\nbare\r\nlf\r\n" || ms[1].Size != int64(len(b)) {
		t.Fatalf("stored %q size %d; want CR LF line endings and the exact size", b, ms[1].Size)
	}
	if err := s.Delete(u, []string{ms[0].UID}); err != nil {
		t.Fatal(err)
	}
	if dup, _ := s.Deliver(u, "env-1", strings.NewReader("Subject: a\r\n\r\nx\r\n")); !dup {
		t.Fatal("a retransmission after the user deleted the message was delivered again")
	}
	if ms, _ := s.List(u); len(ms) != 1 {
		t.Fatalf("after delete: %v", ms)
	}
	if _, err := s.Deliver("../etc", "", strings.NewReader("x")); err == nil {
		t.Fatal("a mailbox name with a slash was accepted")
	}
}

func TestCopyCRLFAcrossBufferEdge(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	long := strings.Repeat("a", 64*1024-1) + "\r\n" + "end\n"
	s.Deliver("u", "", strings.NewReader(long))
	ms, _ := s.List("u")
	b, _ := s.Bytes("u", ms[0].UID)
	if want := strings.Repeat("a", 64*1024-1) + "\r\nend\r\n"; string(b) != want {
		t.Fatalf("a CR LF split by the read buffer was changed (len %d, want %d)", len(b), len(want))
	}
}

// TestConcurrentDeliveriesShareDirectorySyncs: deliveries running at once
// (their folder fsyncs shared) are all in the mailbox, each once, intact.
func TestConcurrentDeliveriesShareDirectorySyncs(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 32
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Deliver("marie", fmt.Sprint("env-", i), strings.NewReader(fmt.Sprintf("Subject: %d\r\n\r\nbody\r\n", i))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	ms, err := s.List("marie")
	if err != nil || len(ms) != n {
		t.Fatalf("List = %d messages, %v; want %d", len(ms), err, n)
	}
	seen := map[string]bool{}
	for _, m := range ms {
		b, _ := s.Bytes("marie", m.UID)
		seen[string(b)] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct messages, want %d", len(seen), n)
	}
}
