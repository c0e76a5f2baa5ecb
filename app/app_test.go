package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/app/compose"
	"securemail/app/keystore"
	"securemail/mailstore"
	"securemail/testnet"
	"securemail/testnet/mailbox"
	"securemail/tests/testenv"
)

const (
	alain = "Alain.Dupont@tcn.b.eu-admin.net"
	marie = "Marie.Curie@tcn.f.eu-admin.net"
)

// startNet starts the bundled network in this process.
func startNet(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfgFile := filepath.Join(t.TempDir(), "net.toml")
	os.WriteFile(cfgFile, []byte(testenv.TwoTesters), 0o600)
	cfg, ca, err := testnet.Prepare(dir, cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	n, err := testnet.Start(testnet.Options{Dir: dir, Config: cfg, CA: ca})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return dir
}

// tester opens a profile for addr, set up from its handout, with secrets
// in a passphrase-protected file (the keyring's explicit fallback).
func tester(t *testing.T, netDir, addr string, now func() time.Time) *App {
	t.Helper()
	dir := t.TempDir()
	keys, err := keystore.NewSealedFiles(filepath.Join(dir, "keys"), []byte("a test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(context.Background(), dir, Options{Keys: keys, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.SetupFromHandout(context.Background(), testnet.HandoutDir(netDir, addr), true); err != nil {
		t.Fatal(err)
	}
	return a
}

// fetchUntil fetches until cond holds.
func fetchUntil(t *testing.T, a *App, what string, cond func(*FetchResult) bool) {
	t.Helper()
	testenv.Eventually(t, time.Minute, func() error {
		res, err := a.Fetch(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !cond(res) {
			return fmt.Errorf("%s has not happened", what)
		}
		return nil
	})
}

func TestSetupRefusesWithoutTrustAndStoresNothing(t *testing.T) {
	netDir := startNet(t)
	dir := t.TempDir()
	keys, _ := keystore.NewSealedFiles(filepath.Join(dir, "keys"), []byte("a test passphrase"))
	a, err := Open(context.Background(), dir, Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	err = a.SetupFromHandout(context.Background(), testnet.HandoutDir(netDir, alain), false)
	if !errors.Is(err, ErrRootNotTrusted) {
		t.Fatalf("set-up without trusting the root: %v", err)
	}
	if a.Profile.HasAccount() {
		t.Fatal("a refused set-up left settings behind")
	}
	if roots, _ := a.Wallet.Roots(); len(roots) != 0 {
		t.Fatal("a refused set-up trusted the root anyway")
	}
	// The Mail.pfx of another tester does not match the address.
	h := testnet.HandoutDir(netDir, alain)
	s := Setup{Address: marie, TrustRoot: true, POP3Password: "x"}
	s.POP3.Address, s.POP3.TLS, s.POP3.Username = "127.0.0.1:1", "starttls", marie
	s.SMTP = s.POP3
	s.RootCA, _ = os.ReadFile(filepath.Join(h, "Root_CA.cer"))
	s.ECCA, _ = os.ReadFile(filepath.Join(h, "EC_CA.cer"))
	s.PFX, _ = os.ReadFile(filepath.Join(h, "Mail.pfx"))
	pw, _ := os.ReadFile(filepath.Join(h, "password.txt"))
	s.PFXPassword = strings.TrimSpace(string(pw))
	err = a.SetupAccount(context.Background(), s)
	if err == nil || !strings.Contains(err.Error(), alain) || !strings.Contains(err.Error(), marie) {
		t.Fatalf("Alain's Mail.pfx for Marie's account: %v; want a refusal naming both addresses", err)
	}
	if roots, _ := a.Wallet.Roots(); len(roots) != 0 || a.Profile.HasAccount() {
		t.Fatal("a refused set-up stored something")
	}
}

// TestOutboxKeepsMailWhileTheServerIsDown: a message sent while the SMTP
// server is unreachable stays in the Outbox with a clear sentence, and
// FlushOutbox delivers it once the server is back.
func TestOutboxKeepsMailWhileTheServerIsDown(t *testing.T) {
	netDir := startNet(t)
	a := tester(t, netDir, alain, nil)
	m := tester(t, netDir, marie, nil)
	ctx := context.Background()
	set, _ := a.Settings()
	good := set.Account.SMTP.Address
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := l.Addr().String()
	l.Close()
	set.Account.SMTP.Address = dead
	a.SaveSettings(set)

	res, err := a.Send(ctx, &compose.Draft{To: []string{marie}, Subject: "while down", Text: "hello"}, SendOptions{Sign: true})
	if err != nil {
		t.Fatalf("Send with the server down: %v; want it queued", err)
	}
	if !res.Queued || !strings.Contains(res.Notice, "Outbox") || !strings.Contains(res.Notice, "nothing is lost") {
		t.Fatalf("result %+v; want Queued with a sentence about the Outbox", res)
	}
	if n, _ := a.Store.Count(ctx, mailstore.Outbox); n != 1 {
		t.Fatalf("%d messages in the Outbox, want 1", n)
	}
	if _, err := a.FlushOutbox(ctx); err == nil || !strings.Contains(err.Error(), "still waiting") {
		t.Fatalf("FlushOutbox with the server still down: %v", err)
	}

	set.Account.SMTP.Address = good
	a.SaveSettings(set)
	sent, err := a.FlushOutbox(ctx)
	if err != nil || sent != 1 {
		t.Fatalf("FlushOutbox with the server back: %d sent, %v", sent, err)
	}
	if n, _ := a.Store.Count(ctx, mailstore.Outbox); n != 0 {
		t.Fatalf("%d messages left in the Outbox", n)
	}
	if n, _ := a.Store.Count(ctx, mailstore.Sent); n != 1 {
		t.Fatalf("%d messages in Sent, want 1", n)
	}
	fetchUntil(t, m, "the queued message's arrival", func(r *FetchResult) bool { return r.New > 0 })
	// Its signature was harvested: Marie now holds Alain's Digital ID.
	cv, err := m.Contact(alain)
	if err != nil || cv.Verdict.Status != "valid" {
		t.Fatalf("Alain in Marie's address book: %+v, %v", cv.Verdict, err)
	}
}

// TestDeliveryReportLinkedToItsMessage: mail to a mailbox that does not
// exist comes back as a delivery status notification, which the fetch
// recognises and links to the Sent message.
func TestDeliveryReportLinkedToItsMessage(t *testing.T) {
	netDir := startNet(t)
	a := tester(t, netDir, alain, nil)
	ctx := context.Background()
	res, err := a.Send(ctx, &compose.Draft{To: []string{"Nobody.There@tcn.f.eu-admin.net"}, Subject: "to nobody", Text: "hello"}, SendOptions{})
	if err != nil || res.Queued {
		t.Fatalf("Send: %+v, %v", res, err)
	}
	var reports int
	fetchUntil(t, a, "the delivery report", func(r *FetchResult) bool { reports += r.Reports; return reports > 0 })
	rows, err := a.Messages(ctx, mailstore.Inbox, 0, 0)
	if err != nil || len(rows) != 1 {
		t.Fatalf("Inbox: %+v, %v", rows, err)
	}
	if rows[0].DSN != res.ID {
		t.Fatalf("the report is linked to %q, want the sent message %q", rows[0].DSN, res.ID)
	}
}

// TestLeaveOnServerDays keeps fetched mail on the server for the days set,
// then deletes it at the first fetch after.
func TestLeaveOnServerDays(t *testing.T) {
	netDir := startNet(t)
	now := time.Now()
	clock := func() time.Time { return now }
	m := tester(t, netDir, marie, clock)
	set, _ := m.Settings()
	set.LeaveOnServerDays = 3
	m.SaveSettings(set)
	boxes, err := mailbox.Open(filepath.Join(netDir, "nodes", "f-server", "mail"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { boxes.Close() }) // Windows does not delete an open file (seen.log)
	user := strings.ToLower(marie)
	for i := range 3 {
		boxes.Deliver(user, "", strings.NewReader(fmt.Sprintf("From: %s\r\nSubject: keep %d\r\n\r\nbody\r\n", alain, i)))
	}
	ctx := context.Background()
	res, err := m.Fetch(ctx, nil)
	if err != nil || res.New != 3 {
		t.Fatalf("first fetch: %+v, %v", res, err)
	}
	if left, _ := boxes.List(user); len(left) != 3 {
		t.Fatalf("%d messages on the server after the first fetch; want all 3 kept", len(left))
	}
	res, err = m.Fetch(ctx, nil)
	if err != nil || res.New != 0 {
		t.Fatalf("second fetch fetched again: %+v, %v", res, err)
	}
	now = now.Add(3*24*time.Hour + time.Minute)
	if _, err := m.Fetch(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if left, _ := boxes.List(user); len(left) != 0 {
		t.Fatalf("%d messages on the server after 3 days; want them deleted", len(left))
	}
	if n, _ := m.Store.Count(ctx, mailstore.Inbox); n != 3 {
		t.Fatalf("%d messages in the Inbox, want 3", n)
	}
}
