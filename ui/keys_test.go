package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"securemail/app"
	"securemail/app/keystore"
	"securemail/app/profile"
)

// fakeKeys is a KeySource: keyringErr is the keyring's answer, hasFile
// whether a key file exists, filePass the passphrase that opens it.
type fakeKeys struct {
	keyringErr error
	hasFile    bool
	filePass   string
	tried      []string
}

type namedStore struct {
	keystore.Store
	name string
}

func (f *fakeKeys) Keyring() (keystore.Store, error) {
	if f.keyringErr != nil {
		return nil, f.keyringErr
	}
	return namedStore{name: "keyring"}, nil
}
func (f *fakeKeys) HasKeyFile() bool { return f.hasFile }
func (f *fakeKeys) OpenKeyFile(pass string) (keystore.Store, error) {
	f.tried = append(f.tried, pass)
	if f.hasFile && pass != f.filePass {
		return nil, keystore.ErrWrongPassphrase
	}
	return namedStore{name: "file:" + pass}, nil
}

// opener records the stores open was called with.
type opener struct {
	got []string
	err error
}

func (o *opener) open(s keystore.Store) error {
	o.got = append(o.got, s.(namedStore).name)
	return o.err
}

func TestOpenKeysUsesTheKeyringWithoutAsking(t *testing.T) {
	a := test.NewTempApp(t)
	var o opener
	p, err := OpenKeys(a, &fakeKeys{}, o.open)
	if err != nil || p != nil {
		t.Fatalf("with a keyring: prompt %v, error %v; want no prompt", p, err)
	}
	if len(o.got) != 1 || o.got[0] != "keyring" {
		t.Fatalf("opened with %v; want the keyring", o.got)
	}
	// A keyring failure other than "unavailable" is the caller's error.
	o = opener{}
	boom := errors.New("keystore: profile folder: boom")
	if _, err := OpenKeys(a, &fakeKeys{keyringErr: boom}, o.open); !errors.Is(err, boom) || len(o.got) != 0 {
		t.Fatalf("keyring failure: %v, opened %v", err, o.got)
	}
}

func TestOpenKeysOffersAKeyFileWithoutKeyring(t *testing.T) {
	a := test.NewTempApp(t)
	src := &fakeKeys{keyringErr: fmt.Errorf("%w (dbus: no session bus)", keystore.ErrUnavailable)}
	var o opener
	p, err := OpenKeys(a, src, o.open)
	if err != nil || p == nil {
		t.Fatalf("without a keyring: prompt %v, error %v; want a prompt", p, err)
	}
	if !strings.HasPrefix(p.explain.Text, "No OS keyring is available") || p.again == nil {
		t.Fatalf("explanation %q, second entry %v", p.explain.Text, p.again)
	}
	if len(o.got) != 0 {
		t.Fatal("the core was opened before a passphrase was given")
	}
	test.Type(p.passphrase, "correct horse")
	test.Type(p.again, "correct hrose")
	test.Tap(p.okBtn)
	if len(o.got) != 0 || len(src.tried) != 0 || p.message.Text != "The two passphrases you typed differ; type the same passphrase twice." {
		t.Fatalf("mismatch: opened %v, tried %v, message %q", o.got, src.tried, p.message.Text)
	}
	p.again.SetText("correct horse")
	test.Tap(p.okBtn)
	if len(o.got) != 1 || o.got[0] != "file:correct horse" {
		t.Fatalf("opened with %v; want the key file with the passphrase typed", o.got)
	}
	for _, w := range a.Driver().AllWindows() {
		if w == p.win {
			t.Error("the prompt stayed open after the core opened")
		}
	}
}

func TestOpenKeysAsksOnceForAnExistingKeyFile(t *testing.T) {
	a := test.NewTempApp(t)
	src := &fakeKeys{hasFile: true, filePass: "the passphrase"}
	o := opener{err: &app.Problem{What: "The mail store is damaged", Do: "restore it from a backup"}}
	p, err := OpenKeys(a, src, o.open)
	if err != nil || p == nil || p.again != nil {
		t.Fatalf("existing key file: prompt %+v, error %v; want one passphrase entry", p, err)
	}
	if !strings.Contains(p.explain.Text, "keeps its private keys and passwords in a file protected by a passphrase") {
		t.Errorf("explanation %q", p.explain.Text)
	}
	test.Type(p.passphrase, "a wrong one")
	test.Tap(p.okBtn)
	if len(o.got) != 0 || !strings.HasPrefix(p.message.Text, "The passphrase is wrong") || p.passphrase.Text != "" {
		t.Fatalf("wrong passphrase: opened %v, message %q, entry %q", o.got, p.message.Text, p.passphrase.Text)
	}
	test.Type(p.passphrase, "the passphrase")
	test.Tap(p.okBtn)
	// The core's own refusal is shown, in one sentence, in the prompt.
	if len(o.got) != 1 || p.message.Text != "The mail store is damaged; restore it from a backup." {
		t.Fatalf("opened %v, message %q", o.got, p.message.Text)
	}
}

// TestProfileKeysSharesTheCommandLinesKeyFile: the GUI's key file is the
// profile's "keys" folder, and a wrong passphrase is recognised.
func TestProfileKeysSharesTheCommandLinesKeyFile(t *testing.T) {
	p, err := profile.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	src := ProfileKeys(p)
	if src.HasKeyFile() {
		t.Fatal("a new profile has a key file")
	}
	if _, err := src.OpenKeyFile("short"); err == nil {
		t.Fatal("a 5-character passphrase was accepted")
	}
	s, err := src.OpenKeyFile("right passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set("pop3-password", []byte("x")); err != nil {
		t.Fatal(err)
	}
	cli, err := keystore.NewSealedFiles(p.Path("keys"), []byte("right passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := cli.Get("pop3-password"); err != nil || string(got) != "x" {
		t.Fatalf("the command line's key file reads %q, %v", got, err)
	}
	if !src.HasKeyFile() {
		t.Fatal("HasKeyFile is false after a secret was stored")
	}
	if _, err := src.OpenKeyFile("wrong passphrase"); !errors.Is(err, keystore.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := src.OpenKeyFile("right passphrase"); err != nil {
		t.Fatalf("right passphrase: %v", err)
	}
}
