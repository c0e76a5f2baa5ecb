package mailstore_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"securemail/mailstore"
)

// corpus generates realistic ~5 KB messages deterministically.
type corpus struct {
	r     *rand.Rand
	vocab []string
}

func newCorpus() *corpus {
	c := &corpus{r: rand.New(rand.NewPCG(1, 2))}
	syll := []string{"ta", "cho", "graph", "card", "en", "force", "ment", "ver", "ify", "cer", "ti", "fi", "cate",
		"na", "tion", "al", "dri", "ver", "li", "cen", "ce", "is", "su", "ing", "au", "tho", "ri", "ty", "re", "port"}
	for i := 0; i < 3000; i++ {
		var w strings.Builder
		for j := 0; j < 2+c.r.IntN(3); j++ {
			w.WriteString(syll[c.r.IntN(len(syll))])
		}
		c.vocab = append(c.vocab, w.String())
	}
	return c
}

var benchNames = []string{"Marie.Curie", "Alain.Dupont", "Jan.Jansen", "Anna.Schmidt", "Luca.Rossi", "Eva.Novak",
	"Piet.Peeters", "Maria.Garcia", "Nils.Berg", "Kari.Virtanen"}
var benchCountries = []string{"f", "b", "nl", "d", "i", "cz", "e", "s", "fin", "pl"}

func (c *corpus) addr() string {
	n := benchNames[c.r.IntN(len(benchNames))]
	return strings.ReplaceAll(n, ".", " ") + " <" + n + "@tcn." + benchCountries[c.r.IntN(len(benchCountries))] + ".eu-admin.net>"
}

func (c *corpus) words(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			if i%14 == 0 {
				b.WriteString(".\r\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(c.vocab[c.r.IntN(len(c.vocab))])
	}
	return b.String()
}

// message i: ~5 KB, dated over two years; every 5,000th carries the rare word "zebracard".
func (c *corpus) message(i int) []byte {
	date := time.Date(2023, 6, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(c.r.IntN(2*365*24*3600)) * time.Second)
	body := "Dear colleague, the tachograph card batch is attached below.\r\n" + c.words(560)
	if i%5000 == 1 {
		body += " zebracard"
	}
	refs := ""
	if i%3 == 0 {
		refs = fmt.Sprintf("In-Reply-To: <%d.bench@tcn.f.eu-admin.net>\r\nReferences: <%d.bench@tcn.f.eu-admin.net>\r\n", i-1, i-1)
	}
	return []byte(fmt.Sprintf("Return-Path: <x@tcn.f.eu-admin.net>\r\nReceived: from relay1.eu-admin.net by mail.tcn.f.eu-admin.net; %s\r\n"+
		"From: %s\r\nTo: %s\r\nCc: %s\r\nSubject: %s %d\r\nDate: %s\r\nMessage-ID: <%d.bench@tcn.f.eu-admin.net>\r\n%s"+
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
		date.Format(time.RFC1123Z), c.addr(), c.addr(), c.addr(), c.words(5), i, date.Format(time.RFC1123Z), i, refs, body))
}

// bigMessage is a 1 MB message: a short text and a base64 attachment.
func (c *corpus) bigMessage() []byte {
	att := make([]byte, 800<<10)
	for i := range att {
		att[i] = byte(c.r.IntN(256))
	}
	return []byte("From: " + marie + "\r\nTo: " + alain + "\r\nSubject: the big one\r\nDate: Mon, 2 Jun 2025 10:00:00 +0200\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n" +
		"--b\r\nContent-Type: application/octet-stream; name=cards.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(att) + "\r\n--b--\r\n")
}

// benchStore opens the 50,000-message store, building it the first time in $MAILSTORE_BENCH_DIR (or a temp
// folder). Building goes through Add with fsync switched off (an fsync costs 4-10 ms on the shared machines;
// Add's own cost with fsync is measured separately) and logs its rate.
func benchStore(b *testing.B) (*mailstore.Store, string) {
	n := 50000
	if v, err := strconv.Atoi(os.Getenv("MAILSTORE_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	dir := os.Getenv("MAILSTORE_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	dir = filepath.Join(dir, fmt.Sprintf("store-%d", n))
	ctx := context.Background()
	done := filepath.Join(dir, "built")
	s, _ := open(b, dir, &mailstore.Options{FS: noSyncFS{}})
	if _, err := os.Stat(done); err == nil {
		id, _ := os.ReadFile(done)
		return s, string(id)
	}
	c := newCorpus()
	start := time.Now()
	for i := 1; i <= n; i++ {
		if _, err := s.Add(ctx, mailstore.Inbox, c.message(i), mailstore.AddOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(start)
	big, err := s.Add(ctx, mailstore.Inbox, c.bigMessage(), mailstore.AddOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d messages in %v (%.0f msg/s, fsync off)", n, el.Round(time.Millisecond), float64(n)/el.Seconds())
	if err := os.WriteFile(done, []byte(big), 0o600); err != nil {
		b.Fatal(err)
	}
	return s, big
}

// BenchmarkMailStore: list (a page, and the whole folder), search and open on a 50,000-message Inbox. Goals (issue 5): list < 200 ms,
// search < 50 ms, open < 100 ms.
func BenchmarkMailStore(b *testing.B) {
	ctx := context.Background()
	s, big := benchStore(b)
	total, err := s.Count(ctx, mailstore.Inbox)
	if err != nil {
		b.Fatal(err)
	}
	list := func(offset int) func(*testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				rows, err := s.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, offset, 100)
				if err != nil || len(rows) != 100 {
					b.Fatalf("List: %d rows, %v", len(rows), err)
				}
			}
		}
	}
	b.Run("Count", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Count(ctx, mailstore.Inbox); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ListFirstPage", list(0))
	b.Run("ListWholeFolder", func(b *testing.B) { // what `messages list` does: every row, by date
		for b.Loop() {
			rows, err := s.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 0, total)
			if err != nil || len(rows) != total {
				b.Fatalf("List: %d rows of %d, %v", len(rows), total, err)
			}
		}
	})
	b.Run("ListMiddlePage", list(total/2))
	b.Run("ListSubjectSortMiddle", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.List(ctx, mailstore.Inbox, mailstore.BySubject, total/2, 100); err != nil {
				b.Fatal(err)
			}
		}
	})
	search := func(q string, min int) func(*testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				r, err := s.Search(ctx, q, mailstore.SearchOptions{})
				if err != nil || len(r.Rows) < min {
					b.Fatalf("Search %q: %d rows, %v", q, len(r.Rows), err)
				}
			}
		}
	}
	b.Run("SearchRareWord", search("zebracard", 1))
	b.Run("SearchCommonWord", search("tachograph", 100))
	b.Run("SearchTwoWords", search("tachograph batch", 100))
	b.Run("Get1MB", func(b *testing.B) {
		for b.Loop() {
			m, err := s.Get(ctx, big)
			if err != nil || len(m.Raw) < 1<<20 {
				b.Fatalf("Get: %v", err)
			}
		}
	})
	b.Run("AddWithFsync", func(b *testing.B) {
		ws, _ := open(b, b.TempDir(), nil)
		c := newCorpus()
		for i := 0; b.Loop(); i++ {
			if _, err := ws.Add(ctx, mailstore.Inbox, c.message(i), mailstore.AddOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OpenReconcile", func(b *testing.B) {
		s.Close()
		for b.Loop() {
			s2, err := mailstore.Open(ctx, s.Dir(), mailstore.Options{})
			if err != nil {
				b.Fatal(err)
			}
			s2.Close()
		}
	})
}
