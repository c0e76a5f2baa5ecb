// Package deps enforces SecureMail's layering, in the manner of the Go
// standard library's go/build/deps_test.go: layers.txt, a small table, lists
// what every package of the module may import, and TestLayers reads the import
// graph of the whole module (every GOOS the program is built for, with and
// without the nogui tag) and fails on any import the table does not allow,
// naming the table's line to change. docs/ARCHITECTURE.md describes the layers.
//
// Run it with go test ./tests/deps/.
package deps
