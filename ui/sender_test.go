package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"securemail/app"
	"securemail/internal/mailheader"
	"securemail/mailstore"
	"securemail/smime"
	"securemail/smime/identity"
	"securemail/testnet"
	"securemail/testnet/mailbox"
	"securemail/ui/i18n"
)

// TestRealCoreHostileSender: Eve, a third tester, signs with her own Digital ID two messages presented as Alain's
// — one whose display name is Alain's address, one without From whose Sender names Alain — and they reach
// Marie's mailbox. In Marie's main window (the real core) neither the message list nor the reader shows Alain as
// the sender: both show Eve's certified address, the first flagged ("the name shown contains another address"),
// and the second's banner says it names no sender.
func TestRealCoreHostileSender(t *testing.T) {
	const eveAddr = "Eve.Kask@tcn.b.eu-admin.net"
	netDir := t.TempDir()
	cfgFile := filepath.Join(t.TempDir(), "net.toml")
	os.WriteFile(cfgFile, []byte("auth_failure_delay = \"20ms\"\n[[country]]\ncode = \"B\"\n[[country.tester]]\nname = \"Alain.Dupont\"\n"+
		"[[country.tester]]\nname = \"Eve.Kask\"\n[[country]]\ncode = \"F\"\n[[country.tester]]\nname = \"Marie.Curie\"\n"), 0o600)
	cfg, ca, err := testnet.Prepare(netDir, cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	n, err := testnet.Start(testnet.Options{Dir: netDir, Config: cfg, CA: ca})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	marieApp := realProfile(t)
	if err := marieApp.SetupFromHandout(context.Background(), testnet.HandoutDir(netDir, marieAddr), true); err != nil {
		t.Fatal(err)
	}
	eveDir := testnet.HandoutDir(netDir, eveAddr)
	pfx, _ := os.ReadFile(filepath.Join(eveDir, "Mail.pfx"))
	pw, _ := os.ReadFile(filepath.Join(eveDir, "password.txt"))
	eve, err := identity.ParsePFX(pfx, strings.TrimSpace(string(pw)))
	if err != nil {
		t.Fatal(err)
	}
	boxes, err := mailbox.Open(filepath.Join(netDir, "nodes", "f-server", "mail"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, h := range []struct{ header, subject string }{
		{`From: "` + alainAddr + `" <` + eveAddr + `>`, "Hostile 1"},
		{"Sender: Alain Dupont <" + alainAddr + ">", "Hostile 2"},
	} {
		msg := h.header + "\r\nTo: " + marieAddr + "\r\nSubject: " + h.subject + "\r\nDate: " + now.Format(time.RFC1123Z) + "\r\n\r\nSend me the card file.\r\n"
		signed, err := smime.SignMessage([]byte(msg), eve, smime.SignOptions{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := boxes.Deliver(strings.ToLower(marieAddr), "", strings.NewReader(string(signed))); err != nil {
			t.Fatal(err)
		}
	}

	fa := test.NewTempApp(t)
	s := &serial{}
	m := NewMainWindow(fa, AppCore(marieApp), &fakeNet{dir: netDir})
	m.do = s.do
	s.do(m.Show)
	fetchInWindow(t, s, m, "Hostile 2")
	for i, want := range []struct {
		flagged bool
		banner  string
	}{{false, "has no From field"}, {true, "— valid."}} { // newest first: Hostile 2, then Hostile 1
		var row, from string
		s.do(func() {
			r, _ := m.list.row(i)
			row = r.From
			m.list.list.Select(i)
		})
		eventuallyFor(t, s, 20*time.Second, "the banner of message "+string(rune('0'+i)), func() bool {
			return len(m.reader.bannerTexts) > 0 && strings.Contains(m.reader.bannerTexts[0], want.banner)
		})
		s.do(func() { from = m.reader.from.Text })
		for _, shown := range []string{row, from} {
			if strings.Contains(strings.ToLower(shown), strings.ToLower(alainAddr)) || !strings.Contains(shown, strings.ToLower(eveAddr)) {
				t.Errorf("message %d is shown as from %q, want Eve's certified address", i, shown)
			}
			if strings.Contains(shown, mailheader.FlagOtherAddress) != want.flagged {
				t.Errorf("message %d shown as %q: flagged %v, want %v", i, shown, !want.flagged, want.flagged)
			}
		}
	}

	// In French, the flagged message's row and Details say the mark in French: the real core's store keeps it
	// as data beside Eve's certified address.
	t.Cleanup(func() { i18n.Use("en") })
	if _, err := i18n.Use("fr"); err != nil {
		t.Fatal(err)
	}
	var flagged mailstore.Row
	s.do(func() { flagged, _ = m.list.row(1) })
	const mark = " — le nom affiché contient une autre adresse"
	if got := i18n.Say(app.Correspondent(flagged)); !strings.HasSuffix(got, mark) || !strings.Contains(got, strings.ToLower(eveAddr)) {
		t.Errorf("in French the row shows %q, want Eve's address followed by %q", got, mark)
	}
	v, err := marieApp.OpenMessage(context.Background(), flagged.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := NewProperties(AppCore(marieApp), v, now)
	if len(p.lines) == 0 || !strings.HasPrefix(p.lines[0], lang.L("mail.from")+": ") || !strings.HasSuffix(p.lines[0], mark) ||
		!strings.Contains(p.lines[0], strings.ToLower(eveAddr)) {
		t.Errorf("in French Details show %q, want first Eve's address followed by %q", p.lines, mark)
	}
}
