package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// mainCommand is one of the main window's commands with its keys.
type mainCommand struct {
	label    string
	shortcut fyne.Shortcut   // shown in the menu and typed anywhere in the window; nil for none
	also     []fyne.Shortcut // further shortcuts for the same command
	key      fyne.KeyName    // a plain key for the same command ("" for none)
	run      func()
}

// commands are the keyboard shortcuts of docs/UX.md §7, grouped as the main menu shows
// them: Ctrl+N new, Ctrl+R reply, Ctrl+Shift+R reply all, Ctrl+Shift+F or
// Ctrl+L forward, Delete, F5 or Ctrl+M Send/Receive, Ctrl+F search.
func (m *MainWindow) commands() [][]mainCommand {
	return [][]mainCommand{
		{
			{label: lang.L("compose.title"), shortcut: ctrl(fyne.KeyN), run: m.newMessage},
			{label: lang.L("main.sendreceive"), shortcut: ctrl(fyne.KeyM), key: fyne.KeyF5, run: m.sendReceive},
			{label: lang.L("menu.search"), shortcut: ctrl(fyne.KeyF), run: m.focusSearch},
		},
		{
			{label: lang.L("main.reply"), shortcut: ctrl(fyne.KeyR), run: func() { m.reply(false) }},
			{label: lang.L("main.replyall"), shortcut: ctrlShift(fyne.KeyR), run: func() { m.reply(true) }},
			{label: lang.L("main.forward"), shortcut: ctrlShift(fyne.KeyF), also: []fyne.Shortcut{ctrl(fyne.KeyL)}, run: m.forward},
			{label: lang.L("main.delete"), key: fyne.KeyDelete, run: m.deleteCurrent},
			{label: lang.L("mail.moveto"), shortcut: ctrlShift(fyne.KeyV), run: m.moveCurrent},
		},
		{
			{label: lang.L("book.title"), shortcut: ctrlShift(fyne.KeyB), run: m.openBook},
			{label: lang.L("link.title"), run: m.openLink},
			{label: lang.L("settings.title"), run: m.openSettings},
		},
	}
}

// shortcuts installs the main window's keys: a main menu whose items carry
// the Ctrl shortcuts (Fyne gives the main menu the first say, before any
// focused widget), the same shortcuts and the plain keys (Delete, F5, Esc
// for an open dialog) in the window's keymap for its lists and entries.
func (m *MainWindow) shortcuts() {
	names := []string{lang.L("menu.mail"), lang.L("menu.message"), lang.L("menu.tools")}
	var menus []*fyne.Menu
	for i, group := range m.commands() {
		var items []*fyne.MenuItem
		for _, c := range group {
			it := fyne.NewMenuItem(c.label, c.run)
			it.Shortcut = c.shortcut
			items = append(items, it)
			if c.shortcut != nil {
				m.keys.onShortcut(c.shortcut, c.run)
			}
			for _, s := range c.also {
				m.keys.onShortcut(s, c.run)
			}
			if c.key != "" {
				m.keys.on(c.key, c.run)
			}
		}
		menus = append(menus, fyne.NewMenu(names[i], items...))
	}
	m.win.SetMainMenu(fyne.NewMainMenu(menus...))
	m.keys.on(fyne.KeyEscape, func() { closeTopDialog(m.win.Canvas()) })
	m.keys.install(m.win.Canvas())
}

// focusSearch puts the cursor in the search field.
func (m *MainWindow) focusSearch() { m.win.Canvas().Focus(m.searchEntry) }
