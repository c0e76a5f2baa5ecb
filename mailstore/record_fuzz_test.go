package mailstore

import (
	"testing"
	"time"
)

// FuzzParseRecord: a listing record comes from the index file, which may be damaged; parsing it must never
// panic, and what it accepts must account for every byte.
func FuzzParseRecord(f *testing.F) {
	f.Add("28,5,2,3,4,0,1748851200000,314,9,1,0:0123456789abcdef0123456789aba@b.cxy12,3none")
	f.Add("28,5,2,3,4,0,1748851200000,314,9,1,20:0123456789abcdef0123456789aba@b.cxy12,3none")
	f.Add("28,0,2,3,4,0,1748851200000,314,9,1,1:0123456789abcdef0123456789abxy12,3none")
	f.Add("1,0,0,0,0,0,-157766400000,0,0,0,0:x")
	f.Add("0,0,0,0,0,0,0,0,0,0,0:")
	f.Add("0,0,0,0,0,0,0,0,0,0,256:")
	f.Add("0,0,0,0,0,0,0,0,0,0:") // schema 4's ten numbers
	f.Add("99999999999999999999,0,0,0,0,0,0,0,0,0,0:")
	f.Fuzz(func(t *testing.T, rec string) {
		var r Row
		if err := parseRecord(rec, &r); err != nil {
			return
		}
		if r.From != r.Sender.String() {
			t.Fatalf("From %q is not the English of the sender %+v", r.From, r.Sender)
		}
		if n := len(r.ID) + len(r.Sender.Text) + len(r.To) + len(r.Subject) + len(r.Signature) + len(r.DSN); n > len(rec) {
			t.Fatalf("texts of %d bytes from a record of %d", n, len(rec))
		}
		_ = r.Date.Before(time.Now())
	})
}
