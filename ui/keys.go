package ui

import (
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/keystore"
	"securemail/app/profile"
)

// KeySource is where a profile's secrets can be kept: the OS keyring, or a
// key file protected by a passphrase (the explicit fallback).
type KeySource interface {
	// Keyring returns the OS keyring, or an error wrapping
	// keystore.ErrUnavailable when there is none.
	Keyring() (keystore.Store, error)
	// HasKeyFile reports whether the profile already keeps its keys in a
	// passphrase-protected file.
	HasKeyFile() bool
	// OpenKeyFile opens (creating when new) the key file with passphrase;
	// keystore.ErrWrongPassphrase when an existing file does not open.
	OpenKeyFile(passphrase string) (keystore.Store, error)
}

// ProfileKeys is the KeySource of the profile p: its OS keyring entries, or
// the sealed files in its "keys" folder — the same files the command line
// uses with --key-file-passphrase-file.
func ProfileKeys(p *profile.Profile) KeySource { return profileKeys{p} }

type profileKeys struct{ p *profile.Profile }

func (k profileKeys) Keyring() (keystore.Store, error) {
	s, err := keystore.ForProfile(k.p.Dir)
	if err != nil {
		return nil, err
	}
	if err := s.Check(); err != nil {
		return nil, err
	}
	return s, nil
}

func (k profileKeys) HasKeyFile() bool {
	m, _ := filepath.Glob(filepath.Join(k.p.Path("keys"), "*.sealed"))
	return len(m) > 0
}

func (k profileKeys) OpenKeyFile(passphrase string) (keystore.Store, error) {
	s, err := keystore.NewSealedFiles(k.p.Path("keys"), []byte(passphrase))
	if err != nil {
		return nil, err
	}
	if err := app.CheckPassphrase(s); err != nil {
		return nil, err
	}
	return s, nil
}

// KeyPrompt is the window asking for the key file's passphrase: once to
// unlock an existing key file, twice to create one when the OS keyring is
// unavailable.
type KeyPrompt struct {
	win              fyne.Window
	explain          *widget.Label
	passphrase       *widget.Entry
	again            *widget.Entry // nil when unlocking an existing file
	okBtn, quitBtn   *widget.Button
	message          *widget.Label
	src              KeySource
	open             func(keystore.Store) error
	creating, opened bool
}

// OpenKeys finds where the profile's secrets are kept and calls open with
// that store. When the OS keyring answers and there is no key file, open is
// called at once and its error returned. Otherwise a KeyPrompt is shown
// (and returned): when the profile has a key file, it asks for its
// passphrase; when there is no keyring, it says so and offers a new key
// file, asking for the passphrase twice. open runs once the passphrase is
// right; its error is then shown in the prompt. Any other keyring failure
// is returned.
func OpenKeys(a fyne.App, src KeySource, open func(keystore.Store) error) (*KeyPrompt, error) {
	if src.HasKeyFile() {
		return newKeyPrompt(a, src, open, false), nil
	}
	keys, err := src.Keyring()
	if errors.Is(err, keystore.ErrUnavailable) {
		return newKeyPrompt(a, src, open, true), nil
	}
	if err != nil {
		return nil, err
	}
	return nil, open(keys)
}

func newKeyPrompt(a fyne.App, src KeySource, open func(keystore.Store) error, creating bool) *KeyPrompt {
	p := &KeyPrompt{win: a.NewWindow(lang.L("keys.title")), src: src, open: open, creating: creating,
		passphrase: widget.NewPasswordEntry(), message: widget.NewLabel("")}
	p.message.Wrapping = fyne.TextWrapWord
	p.quitBtn = widget.NewButton(lang.L("Quit"), p.win.Close)
	form := widget.NewForm(widget.NewFormItem(lang.L("keys.passphrase"), p.passphrase))
	if creating {
		p.explain = widget.NewLabel(lang.L("keys.create.explain"))
		p.again = widget.NewPasswordEntry()
		p.again.OnSubmitted = func(string) { p.Submit() }
		form.Append(lang.L("keys.again"), p.again)
		p.okBtn = widget.NewButton(lang.L("keys.create.ok"), p.Submit)
	} else {
		p.explain = widget.NewLabel(lang.L("keys.unlock.explain"))
		p.passphrase.OnSubmitted = func(string) { p.Submit() }
		p.okBtn = widget.NewButton(lang.L("Open"), p.Submit)
	}
	p.explain.Wrapping = fyne.TextWrapWord
	p.okBtn.Importance = widget.HighImportance
	p.win.SetContent(container.NewBorder(p.explain, container.NewBorder(nil, nil, nil, container.NewHBox(p.quitBtn, p.okBtn), p.message), nil, nil, form))
	p.win.Resize(fyne.NewSize(520, 240))
	p.win.Show()
	return p
}

// Submit checks the passphrase typed, opens the key file and calls open.
func (p *KeyPrompt) Submit() {
	if p.opened {
		return
	}
	pass := p.passphrase.Text
	if p.creating && pass != p.again.Text {
		p.message.SetText(lang.L("keys.differ"))
		return
	}
	keys, err := p.src.OpenKeyFile(pass)
	if errors.Is(err, keystore.ErrWrongPassphrase) {
		p.message.SetText(lang.L("keys.wrong"))
		p.passphrase.SetText("")
		return
	}
	if err == nil {
		err = p.open(keys)
	}
	if err != nil {
		p.message.SetText(explain(err))
		return
	}
	p.opened = true
	p.win.Close()
}
