package main

import "testing"

func TestGUIRequested(t *testing.T) {
	env := func(string) string { return "" }
	for _, c := range []struct {
		args []string
		dir  string
		gui  bool
	}{
		{nil, "", true},
		{[]string{"--profile", "/p"}, "/p", true},
		{[]string{"--profile=/q"}, "/q", true},
		{[]string{"fetch"}, "", false},
		{[]string{"--profile", "/p", "fetch"}, "", false},
		{[]string{"--help"}, "", false},
		{[]string{"--profile"}, "", false},
	} {
		dir, gui := guiRequested(c.args, env)
		if dir != c.dir || gui != c.gui {
			t.Errorf("%v: %q %v, want %q %v", c.args, dir, gui, c.dir, c.gui)
		}
	}
	if dir, gui := guiRequested(nil, func(string) string { return "/env" }); dir != "/env" || !gui {
		t.Errorf("SECUREMAIL_PROFILE: %q %v", dir, gui)
	}
}
