package deps

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// citeRE finds a comment's citation of the repository's docs: docs/UX.md,
// docs/ARCHITECTURE.md §3.2.
var citeRE = regexp.MustCompile(`docs/([A-Za-z]+\.md)(?: §([0-9]+(?:\.[0-9]+)?))?`)

// strayRE finds a design file named without its folder, or one that is not
// in the repository (DESIGN.md lived outside it).
var strayRE = regexp.MustCompile(`(^|[^/A-Za-z])(DESIGN|UX|ARCHITECTURE)\.md`)

// TestDocCitations: every docs/X.md a Go file cites exists, and so does the
// section it names (a heading "## 3." or "### 3.2"); no file cites a design
// document outside the repository.
func TestDocCitations(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	doc := func(name string) (string, bool) {
		if text, ok := docs[name]; ok {
			return text, true
		}
		b, err := os.ReadFile(filepath.Join(root, "docs", name))
		if err != nil {
			return "", false
		}
		docs[name] = string(b)
		return docs[name], true
	}
	cited := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (n == "testdata" || strings.HasPrefix(n, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "citations_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for i, line := range strings.Split(string(b), "\n") {
			at := filepath.ToSlash(rel) + ":" + strconv.Itoa(i+1)
			if m := strayRE.FindStringSubmatch(line); m != nil {
				want := "docs/" + m[2] + ".md"
				if m[2] == "DESIGN" {
					want = "docs/ARCHITECTURE.md (DESIGN.md is not in the repository)"
				}
				t.Errorf("%s cites %s.md: cite %s and its section", at, m[2], want)
			}
			for _, m := range citeRE.FindAllStringSubmatch(line, -1) {
				cited++
				text, ok := doc(m[1])
				if !ok {
					t.Errorf("%s cites docs/%s, which does not exist", at, m[1])
					continue
				}
				if m[2] == "" {
					continue
				}
				heading := "## " + m[2] + "."
				if strings.Contains(m[2], ".") {
					heading = "### " + m[2] + " "
				}
				if !strings.Contains("\n"+text, "\n"+heading) {
					t.Errorf("%s cites docs/%s §%s, which has no heading %q", at, m[1], m[2], strings.TrimSpace(heading))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cited == 0 {
		t.Fatal("found no citation of docs/ at all: the walk missed the module")
	}
}
