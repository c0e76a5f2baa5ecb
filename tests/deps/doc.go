// Package deps keeps SecureMail's plan visible and enforced, in the manner of
// the Go standard library's go/build/deps_test.go:
//
//   - TestLayers: layers.txt, a small table, lists what every package of the
//     module may import; the test reads the import graph of the whole module
//     (every GOOS the program is built for, with and without the nogui tag)
//     and fails on any import the table does not allow, naming the table's
//     line to change (docs/ARCHITECTURE.md §2).
//   - TestPackageDocs: every package has a package doc comment.
//   - TestDocCitations: every document of docs/ and every section of it
//     that a comment cites exists.
//
// Run it with go test ./tests/deps/.
package deps
