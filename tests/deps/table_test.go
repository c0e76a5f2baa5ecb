package deps

import (
	"errors"
	"fmt"
	"go/build"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// modulePath is the import path of the module's root package.
const modulePath = "securemail"

// tableFile is the table's path inside the repository, as failures name it.
const tableFile = "tests/deps/layers.txt"

// The kinds of rule in the table.
const (
	opAllow     = "->"  // the left side may import the right side
	opForbid    = "!->" // the left side must never import the right side
	opTemporary = "~>"  // the left side still imports the right side, until that changes
)

// A pattern names one package ("securemail/ui") or a package and everything
// below it ("securemail/app/...").
type pattern string

func (p pattern) match(path string) bool {
	if prefix, ok := strings.CutSuffix(string(p), "/..."); ok {
		return path == prefix || strings.HasPrefix(path, prefix+"/")
	}
	return path == string(p)
}

// A rule is one line of the table.
type rule struct {
	line     int    // where it starts in layers.txt, from 1
	text     string // the line as written, without its comment
	op       string
	from, to []pattern
	// own holds the patterns written on the left side as paths, not through
	// a NAME: the packages whose own line this is.
	own []pattern
	// written holds the module packages that the line names one by one on its
	// left side (not through a NAME or a /... pattern).
	written map[string]bool
}

// owns reports whether the line is the package's own: it names the package,
// or a path pattern holding it, on its left side.
func (r rule) owns(pkg string) bool {
	_, ok := matchAny(r.own, pkg)
	return ok
}

func (r rule) String() string { return fmt.Sprintf("%s:%d %q", tableFile, r.line, r.text) }

func matchAny(ps []pattern, path string) (pattern, bool) {
	for _, p := range ps {
		if p.match(path) {
			return p, true
		}
	}
	return "", false
}

// A table is the parsed layers.txt.
type table struct{ rules []rule }

var (
	nameRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	itemRE = regexp.MustCompile(`^[A-Za-z0-9._\-/]+$`)
)

// parseTable reads the table's text; errors name the line.
func parseTable(text string) (*table, error) {
	names := map[string][]pattern{}
	t := &table{}
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		start := i + 1
		line := stripComment(lines[i])
		for strings.HasSuffix(line, ",") && i+1 < len(lines) {
			i++
			line += " " + stripComment(lines[i])
		}
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		op, left, right, ok := splitRule(line)
		if !ok {
			return nil, fmt.Errorf("%s:%d: %q is neither NAME = ..., A -> B, A !-> B nor A ~> B", tableFile, start, line)
		}
		if op == "=" {
			if !nameRE.MatchString(left) {
				return nil, fmt.Errorf("%s:%d: a NAME is written in capitals: %q", tableFile, start, left)
			}
			ps, _, _, err := expand(names, right)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", tableFile, start, err)
			}
			names[left] = ps
			continue
		}
		from, own, written, err := expand(names, left)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", tableFile, start, err)
		}
		to, _, _, err := expand(names, right)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", tableFile, start, err)
		}
		if len(from) == 0 || (op != opAllow && len(to) == 0) {
			return nil, fmt.Errorf("%s:%d: %q has an empty side", tableFile, start, line)
		}
		t.rules = append(t.rules, rule{line: start, text: line, op: op, from: from, to: to, own: own, written: written})
	}
	return t, nil
}

func stripComment(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func splitRule(line string) (op, left, right string, ok bool) {
	for _, op := range []string{opForbid, opTemporary, opAllow, "="} {
		if l, r, found := strings.Cut(line, op); found {
			return op, strings.TrimSpace(l), strings.TrimSpace(r), true
		}
	}
	return "", "", "", false
}

// expand turns "APP, ui, fyne.io/fyne/v2/..." into patterns; own holds those
// written as paths (not through a NAME), written the module packages named
// one by one.
func expand(names map[string][]pattern, list string) (ps, own []pattern, written map[string]bool, err error) {
	written = map[string]bool{}
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		switch {
		case item == "":
			continue
		case nameRE.MatchString(item):
			set, ok := names[item]
			if !ok {
				return nil, nil, nil, fmt.Errorf("%s is used before a line NAME = ... defines it", item)
			}
			ps = append(ps, set...)
		case itemRE.MatchString(item):
			p := resolve(item)
			ps, own = append(ps, p), append(own, p)
			if !strings.HasSuffix(item, "/...") && isOurs(string(p)) {
				written[string(p)] = true
			}
		default:
			return nil, nil, nil, fmt.Errorf("%q is not a package path", item)
		}
	}
	return ps, own, written, nil
}

// resolve turns a path as the table writes it into an import path pattern.
func resolve(item string) pattern {
	first, _, _ := strings.Cut(item, "/")
	if item == modulePath || strings.Contains(first, ".") {
		return pattern(item)
	}
	return pattern(modulePath + "/" + item)
}

// isOurs reports whether an import path is a package of this module.
func isOurs(path string) bool {
	return path == modulePath || strings.HasPrefix(path, modulePath+"/")
}

// isStd reports whether an import path is in the standard library: its first
// element has no dot (and it is not ours, whose module path has none either).
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".") && !isOurs(path)
}

// An edge is one import, with where it is written.
type edge struct {
	to   string
	at   string // file:line of the import, relative to the module root
	test bool   // only in _test.go files
}

// A graph maps every package of the module to its imports outside the
// standard library.
type graph map[string][]edge

// configs are the builds whose files the graph covers: every GOOS SecureMail
// is built for, with and without the nogui tag (the window-less CLI build).
var configs = func() (cs []build.Context) {
	for _, goos := range []string{"linux", "windows", "darwin"} {
		for _, tags := range [][]string{nil, {"nogui"}} {
			c := build.Default
			c.GOOS, c.GOARCH, c.BuildTags, c.CgoEnabled = goos, "amd64", tags, true
			cs = append(cs, c)
		}
	}
	return cs
}()

// loadGraph reads the imports of every package under the module root with
// go/build, skipping testdata, hidden folders and nested modules (localefix).
func loadGraph(root string) (graph, error) {
	imports := map[string]map[string]edge{} // package -> import -> where
	add := func(from string, pos map[string][]token.Position, test bool) {
		for to, ps := range pos {
			if to == from || to == "C" || isStd(to) {
				continue
			}
			if old, ok := imports[from][to]; ok && (test || !old.test) {
				continue // a production import wins over a test-only one
			}
			f, _ := filepath.Rel(root, ps[0].Filename)
			imports[from][to] = edge{to: to, at: fmt.Sprintf("%s:%d", filepath.ToSlash(f), ps[0].Line), test: test}
		}
	}
	for _, ctx := range configs {
		err := walkPackages(root, ctx, func(path string, pkg *build.Package) {
			if imports[path] == nil {
				imports[path] = map[string]edge{}
			}
			add(path, pkg.ImportPos, false)
			add(path, pkg.TestImportPos, true)
			add(path, pkg.XTestImportPos, true)
		})
		if err != nil {
			return nil, err
		}
	}
	g := graph{}
	for from, es := range imports {
		g[from] = []edge{}
		for _, e := range es {
			g[from] = append(g[from], e)
		}
		sort.Slice(g[from], func(i, j int) bool { return g[from][i].to < g[from][j].to })
	}
	return g, nil
}

// walkPackages calls fn for every package under the module root as one build
// context sees it, skipping testdata, vendor, hidden folders and nested
// modules (localefix).
func walkPackages(root string, ctx build.Context, fn func(path string, pkg *build.Package)) error {
	return filepath.WalkDir(root, func(dir string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if dir != root {
			n := d.Name()
			if n == "testdata" || n == "vendor" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return filepath.SkipDir
			}
		}
		pkg, err := ctx.ImportDir(dir, 0)
		var none *build.NoGoError
		if errors.As(err, &none) {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s (GOOS=%s, tags %v): %w", dir, ctx.GOOS, ctx.BuildTags, err)
		}
		rel, _ := filepath.Rel(root, dir)
		path := modulePath
		if rel != "." {
			path += "/" + filepath.ToSlash(rel)
		}
		fn(path, pkg)
		return nil
	})
}
