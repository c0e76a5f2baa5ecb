package i18n

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"securemail/internal/phrase"
)

// englishPhrase is one English template written in the core's code, with
// where it is written.
type englishPhrase struct {
	key, english, at string
}

// corePhrases finds every phrase the repository's code words: each call
// phrase.New(KEY, ENGLISH, …) and each app-style sentence(KEY, WHAT, DO, …)
// (keys "sentence.KEY.what" and ".do"). A call whose key or English is not
// a constant string is reported as a problem: the check must see them all.
func corePhrases(t *testing.T) []englishPhrase {
	t.Helper()
	root := filepath.Join("..", "..")
	var out []englishPhrase
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, filepath.Join("internal", "phrase")) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !strings.Contains(string(src), "phrase.New(") && !strings.Contains(string(src), "sentence(") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			at := fset.Position(call.Pos()).String()
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); !ok || x.Name != "phrase" || fn.Sel.Name != "New" || len(call.Args) < 2 {
					return true
				}
				key, ok1 := constString(call.Args[0])
				english, ok2 := constString(call.Args[1])
				if !ok1 || !ok2 {
					t.Errorf("%s: phrase.New needs a constant key and English template, so that en.json can be checked against it", at)
					return true
				}
				out = append(out, englishPhrase{key, english, at})
			case *ast.Ident:
				if fn.Name != "sentence" || len(call.Args) < 3 {
					return true
				}
				key, ok1 := constString(call.Args[0])
				what, ok2 := constString(call.Args[1])
				do, ok3 := constString(call.Args[2])
				if !ok1 || !ok2 || !ok3 {
					t.Errorf("%s: sentence needs a constant key, What and Do, so that en.json can be checked against them", at)
					return true
				}
				out = append(out, englishPhrase{"sentence." + key + ".what", what, at})
				if do != "" {
					out = append(out, englishPhrase{"sentence." + key + ".do", do, at})
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// constString is the value of a string literal or a sum of them.
func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(e.X)
		b, ok2 := constString(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(e.X)
	}
	return "", false
}

// TestPhrasesHaveTheirEnglishInEnJSON checks the one-English rule: every
// phrase the core words has its key in en.json with the very same English
// template, so the window in English reads what the command line prints,
// and every translation starts from the right text.
func TestPhrasesHaveTheirEnglishInEnJSON(t *testing.T) {
	raw, err := files.ReadFile("translations/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]json.RawMessage
	if err := json.Unmarshal(raw, &en); err != nil {
		t.Fatal(err)
	}
	seen := map[string]englishPhrase{}
	for _, p := range corePhrases(t) {
		if prev, ok := seen[p.key]; ok && prev.english != p.english {
			t.Errorf("%s: key %q has another English than at %s:\n  %q\n  %q", p.at, p.key, prev.at, p.english, prev.english)
		}
		seen[p.key] = p
		text, ok := en[p.key]
		if !ok {
			t.Errorf("%s: key %q is missing from en.json (its English: %q)", p.at, p.key, p.english)
			continue
		}
		var s string
		if err := json.Unmarshal(text, &s); err != nil || s != p.english {
			t.Errorf("%s: en.json says %s for %q, the code says %q", p.at, text, p.key, p.english)
		}
	}
}

// TestSayRendersTheLanguage shows a phrase with a date in French and German
// and in English, and its English from the code when a key is unknown.
func TestSayRendersTheLanguage(t *testing.T) {
	day := phrase.Date(time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC))
	p := phrase.New("format.date.test.unknown", "Expired on {{.Day}}.", phrase.Args{"Day": day})
	if got := Say(p); got != "Expired on 2 March 2027." {
		t.Errorf("unknown key in English: %q", got)
	}
	for _, c := range []struct{ code, want string }{{"fr", "mars"}, {"de", "März"}, {"en", "March"}} {
		// English last: the language the other tests expect.
		if _, err := Use(c.code); err != nil {
			t.Fatal(err)
		}
		if got := Say(phrase.New("x", "{{.Day}}", phrase.Args{"Day": day})); !strings.Contains(got, c.want) {
			t.Errorf("date in %s: %q, want it to name %q", c.code, got, c.want)
		}
	}
}
