// Command hostile writes the hostile messages of issue 12 (tests/hostile)
// into a folder for bench/hostile.sh: parts.eml (20 million empty MIME
// parts, 100 MB), certs.eml (20,000 certificates), nesting.eml (a million
// levels of multipart), header.eml (a 100 MB header) and control.eml (an
// honest 100 MB message), all signed by a P-256 Digital ID of a fresh test
// authority whose root is root.pem.
//
// Usage: go run ./bench/hostile DIR
package main

import (
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"securemail/testnet/testca"
	"securemail/tests/hostile"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/hostile DIR")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(2)
	}
}

func write(dir string) error {
	ca, err := testca.New(testca.WithCAValidity(time.Now().AddDate(-1, 0, 0), 3650))
	if err != nil {
		return err
	}
	is, err := ca.Issue(testca.IssueOptions{Email: "Eve.Hostile@tcn.b.eu-admin.net", Key: testca.P256})
	if err != nil {
		return err
	}
	s := hostile.Signer{Key: is.PrivateKey, Certificate: is.Certificate, Chain: is.Chain[:1]}
	root := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Root.Raw})
	if err := os.WriteFile(filepath.Join(dir, "root.pem"), root, 0o600); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		make func() ([]byte, error)
	}{
		{"parts.eml", func() ([]byte, error) { return hostile.EmptyParts(s, 20_000_000) }},
		{"certs.eml", func() ([]byte, error) { return hostile.Certificates(s, 20_000) }},
		{"nesting.eml", func() ([]byte, error) { return hostile.Nesting(s, 1_000_000) }},
		{"header.eml", func() ([]byte, error) { return hostile.Header(s, 100<<20) }},
		{"control.eml", func() ([]byte, error) { return hostile.Control(s, 100<<20) }},
	} {
		msg, err := f.make()
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), msg, 0o600); err != nil {
			return err
		}
	}
	return nil
}
