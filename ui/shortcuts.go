package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// How a window's keys reach it whichever widget has focus (issue 14
// point 3). Fyne hands a key to the focused widget first:
//
//   - a shortcut with Ctrl (or Cmd) goes first to the window's main menu,
//     then to a focused widget that takes shortcuts (an entry, a selectable
//     text), and only then to the canvas; so the main window's commands are
//     main-menu items carrying their shortcut (mainMenu), which win over any
//     focused widget;
//   - a plain key (Delete, F5, Esc, Enter) goes only to the focused widget,
//     or to the canvas's OnTypedKey when nothing has focus; so the focusable
//     widgets of our windows are the small wrappers below (keyList,
//     keyTable, keyEntry), which pass the keys they have no use for to the
//     window's keymap, and the keymap is also the canvas's OnTypedKey.
//
// A focused Fyne button or selectable text still keeps a plain key to
// itself; their window's commands stay on Ctrl shortcuts and on Esc with
// nothing focused.

// keymap is one window's keyboard commands: plain keys and shortcuts.
type keymap struct {
	keys      map[fyne.KeyName]func()
	shortcuts map[string]func()
}

func newKeymap() *keymap {
	return &keymap{keys: map[fyne.KeyName]func(){}, shortcuts: map[string]func(){}}
}

// onShortcut binds a shortcut (Ctrl+N, Ctrl+Shift+R…) to f.
func (k *keymap) onShortcut(s fyne.Shortcut, f func()) { k.shortcuts[s.ShortcutName()] = f }

// typedShortcut runs the command bound to s; false when there is none.
func (k *keymap) typedShortcut(s fyne.Shortcut) bool {
	if k == nil {
		return false
	}
	f, ok := k.shortcuts[s.ShortcutName()]
	if ok {
		f()
	}
	return ok
}

// on binds a plain key (no modifier) to f.
func (k *keymap) on(key fyne.KeyName, f func()) { k.keys[key] = f }

// typedKey runs the command bound to e; false when there is none.
func (k *keymap) typedKey(e *fyne.KeyEvent) bool {
	if k == nil {
		return false
	}
	f, ok := k.keys[e.Name]
	if ok {
		f()
	}
	return ok
}

// install makes the keymap serve the canvas: its keys when nothing has
// focus, its shortcuts when the focused widget takes none.
func (k *keymap) install(c fyne.Canvas) {
	c.SetOnTypedKey(func(e *fyne.KeyEvent) { k.typedKey(e) })
	for name, f := range k.shortcuts {
		c.AddShortcut(namedShortcut(name), func(fyne.Shortcut) { f() })
	}
}

// namedShortcut is a shortcut known by its name (all the canvas compares).
type namedShortcut string

func (n namedShortcut) ShortcutName() string { return string(n) }

// ctrl is the platform's Ctrl (Cmd on macOS) shortcut with key.
func ctrl(key fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

// ctrlShift is Ctrl+Shift (Cmd+Shift) with key.
func ctrlShift(key fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
}

// keyList is a widget.List that passes the keys it does not use (all but
// the arrows and Space) to its window's keymap: Delete and F5 work while a
// row has focus.
type keyList struct {
	widget.List
	keys *keymap
}

func newKeyList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey runs the window's command for the key, else moves in the list.
func (l *keyList) TypedKey(e *fyne.KeyEvent) {
	if !l.keys.typedKey(e) {
		l.List.TypedKey(e)
	}
}

// keyTable is a widget.Table that passes the keys it does not use to its
// window's keymap.
type keyTable struct {
	widget.Table
	keys *keymap
}

func newKeyTable(length func() (int, int), create func() fyne.CanvasObject, update func(widget.TableCellID, fyne.CanvasObject)) *keyTable {
	t := &keyTable{}
	t.Length, t.CreateCell, t.UpdateCell = length, create, update
	t.ExtendBaseWidget(t)
	return t
}

// TypedKey runs the window's command for the key, else moves in the table.
func (t *keyTable) TypedKey(e *fyne.KeyEvent) {
	if !t.keys.typedKey(e) {
		t.Table.TypedKey(e)
	}
}

// entryKeys are the keys an entry has no use for: they go to the window.
// (Delete, Enter and the arrows edit the text.)
var entryKeys = map[fyne.KeyName]bool{fyne.KeyEscape: true, fyne.KeyF5: true}

// keyEntry is a widget.Entry that passes Esc and F5 to its window's keymap.
type keyEntry struct {
	widget.Entry
	keys *keymap
}

func newKeyEntry(keys *keymap) *keyEntry {
	e := &keyEntry{keys: keys}
	e.ExtendBaseWidget(e)
	return e
}

func newKeyPasswordEntry(keys *keymap) *keyEntry {
	e := newKeyEntry(keys)
	e.Password = true
	return e
}

// TypedShortcut runs the window's command for the shortcut, else edits
// (copy, paste, undo… are the entry's own).
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if !e.keys.typedShortcut(s) {
		e.Entry.TypedShortcut(s)
	}
}

// TypedKey runs the window's command for Esc and F5, else edits.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if entryKeys[k.Name] && e.keys.typedKey(k) {
		return
	}
	e.Entry.TypedKey(k)
}

// escCloses makes Esc close the window's open dialog or, when none is
// open, call close (nil: Esc only closes dialogs). It returns the keymap
// for the window's keyList, keyTable and keyEntry widgets.
func escCloses(w fyne.Window, close func()) *keymap {
	k := newKeymap()
	k.on(fyne.KeyEscape, func() {
		if closeTopDialog(w.Canvas()) || close == nil {
			return
		}
		close()
	})
	k.install(w.Canvas())
	return k
}

// closeTopDialog closes the dialog (or pop-up) on top of the canvas as its
// own Cancel, Close or No button would, running what that button runs (a
// dialog that asks, such as the composer's "Save draft / Discard /
// Cancel", answers Cancel); one without such a button is hidden. False
// when no dialog is open.
func closeTopDialog(c fyne.Canvas) bool {
	top := c.Overlays().Top()
	if top == nil {
		return false
	}
	if p, ok := top.(*widget.PopUp); ok {
		for _, label := range dismissLabels() {
			if b := findButton(p.Content, label); b != nil {
				b.OnTapped()
				if c.Overlays().Top() != top {
					return true
				}
			}
		}
	}
	top.Hide()
	if c.Overlays().Top() == top { // a bare overlay that Hide does not remove
		c.Overlays().Remove(top)
	}
	return true
}

// dismissLabels are the buttons that leave a dialog without doing
// anything, in the order Esc looks for them, in the window's language.
func dismissLabels() []string {
	return []string{lang.L("Cancel"), lang.L("Close"), lang.L("closing.keepopen"), lang.L("No"), lang.L("OK")}
}

// findButton finds the enabled, shown button labelled text among o's
// containers.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	switch v := o.(type) {
	case *widget.Button:
		if v.Text == text && v.Visible() && !v.Disabled() && v.OnTapped != nil {
			return v
		}
	case *fyne.Container:
		if !v.Visible() {
			return nil
		}
		for _, c := range v.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// enterPressesNext makes Enter the wizard's default button: typed in a
// one-line field of any step, or with nothing focused, it presses Next
// (which does nothing while the step is not valid). Esc closes an open
// dialog. Tab moves through a step's fields in the order they are shown.
func (w *Wizard) enterPressesNext() {
	keys := escCloses(w.win, nil)
	keys.on(fyne.KeyReturn, w.next)
	keys.on(fyne.KeyEnter, w.next)
	for _, p := range w.pages {
		forEntries(p, func(e *widget.Entry) {
			if !e.MultiLine && e.OnSubmitted == nil {
				e.OnSubmitted = func(string) { w.next() }
			}
		})
	}
}

// forEntries calls f on each entry in o: in containers, forms and scrolls.
func forEntries(o fyne.CanvasObject, f func(*widget.Entry)) {
	switch v := o.(type) {
	case *widget.Entry:
		f(v)
	case *fyne.Container:
		for _, c := range v.Objects {
			forEntries(c, f)
		}
	case *widget.Form:
		for _, it := range v.Items {
			forEntries(it.Widget, f)
		}
	case *container.Scroll:
		forEntries(v.Content, f)
	}
}
