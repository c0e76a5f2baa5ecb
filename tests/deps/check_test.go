package deps

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// check returns one sentence per way the graph breaks the table, each naming
// the import and the table's line to change; none when the graph keeps it.
func (t *table) check(g graph) []string {
	var problems []string
	used := map[string]bool{} // "line to" of every ~> item some import still needs
	pkgs := make([]string, 0, len(g))
	for p := range g {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, from := range pkgs {
		allow := t.rulesFor(from, opAllow)
		if !slices.ContainsFunc(allow, func(r rule) bool { return r.owns(from) }) {
			problems = append(problems, fmt.Sprintf(
				"%s has no line of its own in %s: add a line %q in the section of its layer, listing what it may import",
				from, tableFile, short(from)+" -> ..."))
			continue
		}
		for _, e := range g[from] {
			if r, p, ok := t.find(from, e.to, opTemporary); ok {
				used[fmt.Sprint(r.line, " ", p)] = true
				continue
			}
			what := fmt.Sprintf("%s imports %s (%s)", from, e.to, e.at)
			if e.test {
				what = fmt.Sprintf("%s's tests import %s (%s)", from, e.to, e.at)
			}
			if r, _, ok := t.find(from, e.to, opForbid); ok {
				problems = append(problems, fmt.Sprintf(
					"%s, which %s forbids: that is a rule of the layering (docs/ARCHITECTURE.md, Layers), so move the work to the layer that may do it",
					what, r))
				continue
			}
			if e.test {
				continue // tests may import anything no !-> line forbids
			}
			if _, _, ok := t.find(from, e.to, opAllow); ok {
				continue
			}
			problems = append(problems, fmt.Sprintf(
				"%s, which no line of %s allows: if the layering should change, add %s to line %d %q (and say why in docs/ARCHITECTURE.md); if not, remove the import",
				what, tableFile, short(e.to), bestLine(allow, from).line, bestLine(allow, from).text))
		}
	}
	for _, r := range t.rules {
		for name := range r.written {
			if _, ok := g[name]; !ok {
				problems = append(problems, fmt.Sprintf("%s names %s, which is no longer a package: take it off the line", r, short(name)))
			}
		}
		if r.op != opTemporary {
			continue
		}
		for _, p := range r.to {
			if !used[fmt.Sprint(r.line, " ", p)] {
				problems = append(problems, fmt.Sprintf(
					"%s lets %s import %s until it stops, and it has: take %s off that line (and the line away once it is empty)",
					r, strings.Join(shorts(r.from), ", "), short(string(p)), short(string(p))))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// rulesFor returns the rules of one kind whose left side holds the package.
func (t *table) rulesFor(pkg, op string) []rule {
	var rs []rule
	for _, r := range t.rules {
		if _, ok := matchAny(r.from, pkg); ok && r.op == op {
			rs = append(rs, r)
		}
	}
	return rs
}

// find returns the first rule of one kind that covers the import from → to,
// and the pattern of its right side that matched.
func (t *table) find(from, to, op string) (rule, pattern, bool) {
	for _, r := range t.rulesFor(from, op) {
		if p, ok := matchAny(r.to, to); ok {
			return r, p, true
		}
	}
	return rule{}, "", false
}

// bestLine picks the line to extend for a package: the one that names it
// on its own, else the first of its own lines (a path pattern holding it).
func bestLine(rs []rule, pkg string) rule {
	for _, r := range rs {
		if r.written[pkg] {
			return r
		}
	}
	for _, r := range rs {
		if r.owns(pkg) {
			return r
		}
	}
	return rs[0]
}

// short writes a path as the table does.
func short(path string) string {
	if s, ok := strings.CutPrefix(path, modulePath+"/"); ok {
		return s
	}
	return path
}

func shorts(ps []pattern) []string {
	var s []string
	for _, p := range ps {
		s = append(s, short(string(p)))
	}
	return s
}
