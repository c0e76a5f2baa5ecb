package app

import (
	"context"
	crand "crypto/rand"
	"crypto/x509"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"securemail/app/compose"
	"securemail/app/keystore"
	"securemail/app/profile"
	"securemail/mailstore"
	"securemail/smime"
	"securemail/smime/identity"
	"securemail/testnet/testca"
)

// The app-core benchmark (bench/app.sh, docs/BENCHMARKS.md "App core"):
// a profile whose Inbox holds N plain messages and one 1 MB signed and
// encrypted message, all stored and indexed by the mail store; then, through
// App, list the whole folder, open the 1 MB message (decrypt and verify) and
// search. SECUREMAIL_BENCH_N sets N (default 2,000 so that a plain
// `go test -bench` stays short; the figures are for 50,000), and
// SECUREMAIL_BENCH_DIR keeps the built profile between runs.

const benchPassphrase = "benchmark passphrase"

// noSyncFS is the OS file system without fsync, used only to build the
// benchmark's profile quickly; the measurements use the normal store.
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

var benchWords = func() []string {
	syl := []string{"ka", "ro", "mi", "tel", "sa", "von", "dre", "lu", "pa", "nor", "ix", "bel", "qu", "ta", "fen", "go"}
	var out []string
	for i := 0; i < 3000; i++ {
		w := syl[i%16] + syl[(i/16)%16] + syl[(i/256)%16]
		out = append(out, w+strconv.Itoa(i%7))
	}
	return out
}()

// benchProfile builds (or reuses) the benchmark profile and returns its
// folder and the id of the 1 MB signed and encrypted message.
func benchProfile(b *testing.B, n int) (dir, bigID string) {
	b.Helper()
	dir = os.Getenv("SECUREMAIL_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	dir = filepath.Join(dir, fmt.Sprintf("profile-%d", n))
	if id, err := os.ReadFile(filepath.Join(dir, "bench-big-id")); err == nil {
		return dir, strings.TrimSpace(string(id))
	}
	os.RemoveAll(dir)
	ctx := context.Background()
	ca, err := testca.New()
	if err != nil {
		b.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: marie})
	if err != nil {
		b.Fatal(err)
	}
	me := &identity.Identity{PrivateKey: is.PrivateKey, Certificate: is.Certificate, Chain: is.Chain[:1]}
	pfx, err := identity.EncodePFX(me, "pw", false)
	if err != nil {
		b.Fatal(err)
	}
	keys, err := keystore.NewSealedFiles(filepath.Join(dir, "keys"), []byte(benchPassphrase))
	if err != nil {
		b.Fatal(err)
	}
	a, err := Open(ctx, dir, Options{Keys: keys})
	if err != nil {
		b.Fatal(err)
	}
	srv := profile.Server{Address: "127.0.0.1:1", TLS: "starttls", Username: marie}
	if err := a.SetupAccount(ctx, Setup{Address: marie, POP3: srv, SMTP: srv, POP3Password: "x", TrustRoot: true,
		RootCA: ca.Root.Raw, ECCA: ca.Intermediate.Raw, PFX: pfx, PFXPassword: "pw"}); err != nil {
		b.Fatal(err)
	}
	a.Close()

	// The N plain messages go in through Store.Add with fsync off.
	st, err := mailstore.Open(ctx, filepath.Join(dir, "mail"), mailstore.Options{FS: noSyncFS{}})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		var body strings.Builder
		for j := 0; j < 400; j++ {
			body.WriteString(benchWords[rng.IntN(len(benchWords))])
			if j%12 == 11 {
				body.WriteString("\r\n")
			} else {
				body.WriteByte(' ')
			}
		}
		msg := fmt.Sprintf("From: Sender %d <s%d@tcn.b.eu-admin.net>\r\nTo: %s\r\nSubject: Dossier %d %s\r\nDate: %s\r\nMessage-ID: <b%d@tcn.b.eu-admin.net>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
			i%300, i%300, marie, i, benchWords[rng.IntN(len(benchWords))], start.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z), i, body.String())
		if _, err := st.Add(ctx, mailstore.Inbox, []byte(msg), mailstore.AddOptions{Source: &mailstore.Source{Account: "bench", UIDL: strconv.Itoa(i)}}); err != nil {
			b.Fatal(err)
		}
	}
	// The 1 MB signed and encrypted message, as Send builds it.
	att := make([]byte, 750<<10) // base64 makes it ~1 MB
	crand.Read(att)
	raw, _, err := compose.Build(&compose.Draft{From: marie, To: []string{marie}, Subject: "The big one",
		Text: "A large signed and encrypted message.", Attachments: []compose.Attachment{{Name: "scan.bin", Data: att}}}, time.Now())
	if err == nil {
		raw, err = smime.SignMessage(raw, me, smime.SignOptions{})
	}
	if err == nil {
		raw, err = smime.EncryptMessage(raw, []*x509.Certificate{is.Certificate}, smime.EncryptOptions{})
	}
	if err != nil {
		b.Fatal(err)
	}
	bigID, err = st.Add(ctx, mailstore.Inbox, raw, mailstore.AddOptions{})
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	os.WriteFile(filepath.Join(dir, "bench-big-id"), []byte(bigID), 0o600)
	b.Logf("built a profile of %d messages + one of %d bytes", n, len(raw))
	return dir, bigID
}

func BenchmarkAppCore(b *testing.B) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("SECUREMAIL_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	dir, bigID := benchProfile(b, n)
	ctx := context.Background()
	keys, err := keystore.NewSealedFiles(filepath.Join(dir, "keys"), []byte(benchPassphrase))
	if err != nil {
		b.Fatal(err)
	}
	a, err := Open(ctx, dir, Options{Keys: keys})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if _, err := a.decryptionKeys(); err != nil { // the keystore is read once per App
		b.Fatal(err)
	}
	query := benchWords[17] + " " + benchWords[1234]

	b.Run(fmt.Sprintf("List%d", n+1), func(b *testing.B) {
		for b.Loop() {
			rows, err := a.Messages(ctx, mailstore.Inbox, 0, 0)
			if err != nil || len(rows) != n+1 {
				b.Fatalf("%d rows, %v", len(rows), err)
			}
		}
	})
	b.Run("CountAndPageOf100", func(b *testing.B) {
		for b.Loop() {
			total, err := a.Store.Count(ctx, mailstore.Inbox)
			if err != nil {
				b.Fatal(err)
			}
			rows, err := a.Messages(ctx, mailstore.Inbox, total/2, 100)
			if err != nil || len(rows) != 100 {
				b.Fatalf("%d rows, %v", len(rows), err)
			}
		}
	})
	b.Run("Open1MBSignedEncrypted", func(b *testing.B) {
		for b.Loop() {
			v, err := a.OpenMessage(ctx, bigID)
			if err != nil || v.Report.Signature != smime.StatusValid || !v.Report.Encrypted || len(v.Report.Attachments) != 1 {
				b.Fatalf("%+v, %v", v.Report, err)
			}
		}
	})
	b.Run("SearchIndexed", func(b *testing.B) {
		for b.Loop() {
			res, err := a.Store.Search(ctx, query, mailstore.SearchOptions{})
			if err != nil || len(res.Rows) == 0 {
				b.Fatalf("%d rows, %v", len(res.Rows), err)
			}
		}
	})
	b.Run("SearchWithEncryptedBodies", func(b *testing.B) {
		for b.Loop() {
			res, err := a.Search(ctx, query, "")
			if err != nil || len(res.Rows) == 0 || res.Decrypted != 1 {
				b.Fatalf("%+v, %v", res, err)
			}
		}
	})
}
