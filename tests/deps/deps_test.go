package deps

import (
	_ "embed"
	"errors"
	"fmt"
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

//go:embed layers.txt
var layers string

// TestLayers checks every import of every package in the module, in every
// build SecureMail ships, against layers.txt.
func TestLayers(t *testing.T) {
	tab := mustParse(t)
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	g, err := loadGraph(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(g) < 40 || g[modulePath+"/ui"] == nil {
		t.Fatalf("read %d packages under %s, without ui: the walk missed the module", len(g), root)
	}
	for _, p := range tab.check(g) {
		t.Error(p)
	}
}

// TestPackageDocs: every package says what it is for in a package doc
// comment (// Package x ... or // Command x ...) in a file that is not a test,
// so go doc and `go list -f '{{.Doc}}'` show it to a newcomer.
func TestPackageDocs(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	err = walkPackages(root, configs[0], func(path string, pkg *build.Package) {
		if pkg.Doc == "" {
			t.Errorf("%s has no package doc comment: add a doc.go saying what the package is for (a test-only package too)", path)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestForbiddenImportNamesTheLine feeds the checker the real table and a
// made-up graph, one bad import at a time, and checks that each failure names
// the import, where it is written and the line of layers.txt to look at.
func TestForbiddenImportNamesTheLine(t *testing.T) {
	tab := mustParse(t)
	// lineOf finds a line of the table by its first words, whatever the spacing.
	lineOf := func(prefix string) string {
		for i, l := range strings.Split(layers, "\n") {
			if strings.HasPrefix(strings.Join(strings.Fields(l), " "), prefix) {
				return fmt.Sprintf("%d", i+1)
			}
		}
		t.Fatalf("layers.txt has no line starting %q", prefix)
		return ""
	}
	for _, tc := range []struct {
		name string
		add  map[string][]edge // added to a graph that keeps the table
		want []string          // in the one problem reported
	}{{
		name: "an engine imports the window",
		add:  map[string][]edge{"securemail/smime": {{to: "securemail/ui", at: "smime/open.go:9"}}},
		want: []string{"securemail/smime imports securemail/ui (smime/open.go:9)", "forbids",
			tableFile + ":" + lineOf("ENGINES, PROTOCOLS, TESTNET, INTERNAL !->")},
	}, {
		name: "the command line pulls in Fyne",
		add:  map[string][]edge{"securemail/cli": {{to: "fyne.io/fyne/v2", at: "cli/notify.go:8"}}},
		want: []string{"securemail/cli imports fyne.io/fyne/v2 (cli/notify.go:8)", "forbids",
			tableFile + ":" + lineOf("cli !->")},
	}, {
		name: "a test of the core opens a window",
		add:  map[string][]edge{"securemail/app/compose": {{to: "fyne.io/fyne/v2/widget", at: "app/compose/x_test.go:5", test: true}}},
		want: []string{"securemail/app/compose's tests import fyne.io/fyne/v2/widget (app/compose/x_test.go:5)",
			tableFile + ":" + lineOf("APP !->")},
	}, {
		name: "a new import no line allows",
		add:  map[string][]edge{"securemail/mailstore": {{to: "securemail/smime", at: "mailstore/index.go:12"}}},
		want: []string{"securemail/mailstore imports securemail/smime (mailstore/index.go:12)", "no line of " + tableFile + " allows",
			"add smime to line " + lineOf("mailstore ->"), `"mailstore -> GOMESSAGE`},
	}, {
		name: "a new package",
		add:  map[string][]edge{"securemail/app/drafts": nil},
		want: []string{"securemail/app/drafts has no line of its own", `"app/drafts -> ..."`},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			g := keepingGraph(tab)
			for from, es := range tc.add {
				g[from] = append(g[from], es...)
			}
			problems := tab.check(g)
			if tc.want == nil {
				if len(problems) != 0 {
					t.Fatalf("problems %q, want none", problems)
				}
				return
			}
			if len(problems) != 1 {
				t.Fatalf("problems %q, want one", problems)
			}
			for _, w := range tc.want {
				if !strings.Contains(problems[0], w) {
					t.Errorf("problem %q\ndoes not say %q", problems[0], w)
				}
			}
		})
	}
}

// TestRemovedImportRetiresTheLine: an import listed as being removed (~>)
// passes while it is there, even against a !-> rule; once it is gone, the
// test says which line to take it off.
func TestRemovedImportRetiresTheLine(t *testing.T) {
	text := layers + "\nui ~> smtpclient   # a made-up import being removed\n"
	line := strings.Count(text, "\n") // the line just added
	tab, err := parseTable(text)
	if err != nil {
		t.Fatal(err)
	}
	g := keepingGraph(tab) // ui imports smtpclient, as the ~> line says
	if problems := tab.check(g); len(problems) != 0 {
		t.Fatalf("with the import still there: problems %q, want none", problems)
	}
	g["securemail/ui"] = nil
	problems := tab.check(g)
	want := fmt.Sprintf("%s:%d", tableFile, line)
	if len(problems) != 1 || !strings.Contains(problems[0], want) || !strings.Contains(problems[0], "take smtpclient off that line") {
		t.Fatalf("once the import is gone: problems %q, want one naming %s and telling to take smtpclient off it", problems, want)
	}
}

// keepingGraph makes up a graph that keeps the table: every package the table
// names one by one, each with the imports of its "being removed" lines.
func keepingGraph(tab *table) graph {
	g := graph{}
	for _, r := range tab.rules {
		for name := range r.written {
			if g[name] == nil {
				g[name] = []edge{}
			}
		}
	}
	for _, r := range tab.rules {
		if r.op != opTemporary {
			continue
		}
		for name := range g {
			if _, ok := matchAny(r.from, name); ok {
				for _, p := range r.to {
					g[name] = append(g[name], edge{to: string(p), at: short(name) + "/old.go:1"})
				}
			}
		}
	}
	return g
}

func mustParse(t *testing.T) *table {
	t.Helper()
	tab, err := parseTable(layers)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// moduleRoot finds the folder of the go.mod of module securemail above the
// test's working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.HasPrefix(string(b), "module "+modulePath+"\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod of module " + modulePath + " above the working directory")
		}
		dir = parent
	}
}

// TestTableMistakesNameTheLine: a table that cannot be read says which line
// and why, rather than checking against half a table.
func TestTableMistakesNameTheLine(t *testing.T) {
	for text, want := range map[string]string{
		"ui -> app\nui app\n":              tableFile + `:2: "ui app" is neither`,
		"# names\n\nui -> APPS\n":          tableFile + ":3: APPS is used before",
		"Apps = app\n":                     tableFile + ":1: a NAME is written in capitals",
		"ui -> app,\n  \"x\"\n":            tableFile + `:1: "\"x\"" is not a package path`,
		"ui !-> \n":                        tableFile + ":1:",
		"SMIME = smime\nsmime ~> SMIME,\n": "",
	} {
		_, err := parseTable(text)
		switch {
		case want == "" && err != nil:
			t.Errorf("table %q: %v, want it read", text, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("table %q: error %v, want one saying %q", text, err, want)
		}
	}
}
