package testca

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"securemail/internal/durable"
)

// Files of a CA folder. The certificates are PEM; the private keys are
// PKCS #8 PEM readable by the owner only.
const (
	RootCertFile  = "Root_CA.pem"
	RootKeyFile   = "Root_CA.key"
	InterCertFile = "EC_CA.pem"
	InterKeyFile  = "EC_CA.key"
	lockFile      = ".creating"
)

// Creating a CA takes a few seconds; a lock older than staleLock was left by
// a process that died, and waiting for one gives up after lockWait.
const (
	staleLock = 5 * time.Minute
	lockWait  = 2 * time.Minute
)

// Open returns the CA kept in dir, creating it there on first use (dir
// 0700, keys 0600), so that every tester of a network shares one root.
// Concurrent first calls, in one process or several, create one CA: the
// first takes an exclusive lock file and the others wait for it.
func Open(dir string, opts ...Option) (*CA, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("testca: cannot create the CA folder: %w", err)
	}
	if ca, err := load(dir); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return ca, err
	}
	release, err := acquire(filepath.Join(dir, lockFile), dir)
	if err != nil {
		return nil, err
	}
	ca, err := createIn(dir, opts)
	if rmErr := release(); err == nil && rmErr != nil {
		err = rmErr
	}
	return ca, err
}

// OpenExisting returns the CA kept in dir without creating one.
func OpenExisting(dir string) (*CA, error) {
	ca, err := load(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("testca: there is no test CA in %s (testca issue creates one): %w", dir, err)
	}
	return ca, err
}

// acquire takes the lock file path, waiting while another program holds
// it; a lock older than staleLock was left by a process that died. The
// returned function releases it.
func acquire(path, dir string) (release func() error, err error) {
	deadline := time.Now().Add(lockWait)
	for {
		lock, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			lock.Close()
			return func() error {
				if err := os.Remove(path); err != nil {
					return fmt.Errorf("testca: removing the lock file: %w", err)
				}
				return nil
			}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("testca: cannot lock the CA folder: %w", err)
		}
		if st, err := os.Stat(path); err == nil && time.Since(st.ModTime()) > staleLock {
			_ = os.Remove(path) // left by a process that died holding it
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("testca: another program has been changing the CA in %s for over %v; if none is running, delete %s", dir, lockWait, path)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// createIn makes a CA and writes it; it holds the lock. Another process
// may have finished creating one just before the lock was taken.
func createIn(dir string, opts []Option) (*CA, error) {
	if ca, err := load(dir); !errors.Is(err, fs.ErrNotExist) {
		return ca, err
	}
	ca, err := New(opts...)
	if err != nil {
		return nil, err
	}
	ca.dir = dir
	rootKey, err := x509.MarshalPKCS8PrivateKey(ca.RootKey)
	if err != nil {
		return nil, fmt.Errorf("testca: encoding the root key: %w", err)
	}
	interKey, err := x509.MarshalPKCS8PrivateKey(ca.InterKey)
	if err != nil {
		return nil, fmt.Errorf("testca: encoding the EC CA key: %w", err)
	}
	// The EC CA certificate is written last: load finds a CA only when it
	// is there.
	files := []struct {
		name, typ string
		der       []byte
		perm      os.FileMode
	}{
		{RootKeyFile, "PRIVATE KEY", rootKey, 0o600},
		{InterKeyFile, "PRIVATE KEY", interKey, 0o600},
		{RootCertFile, "CERTIFICATE", ca.Root.Raw, 0o644},
		{InterCertFile, "CERTIFICATE", ca.Intermediate.Raw, 0o644},
	}
	for _, f := range files {
		data := pem.EncodeToMemory(&pem.Block{Type: f.typ, Bytes: f.der})
		if err := durable.WriteFile(filepath.Join(dir, f.name), data, f.perm); err != nil {
			return nil, fmt.Errorf("testca: %w", err)
		}
	}
	return ca, nil
}

// load reads a CA folder. A missing file gives an error wrapping
// fs.ErrNotExist; anything unreadable or inconsistent another error.
func load(dir string) (*CA, error) {
	for _, name := range []string{InterCertFile, RootCertFile, RootKeyFile, InterKeyFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return nil, fmt.Errorf("testca: %w", err)
		}
	}
	root, err := readCert(filepath.Join(dir, RootCertFile))
	if err != nil {
		return nil, err
	}
	inter, err := readCert(filepath.Join(dir, InterCertFile))
	if err != nil {
		return nil, err
	}
	rootKey, err := readKey(filepath.Join(dir, RootKeyFile))
	if err != nil {
		return nil, err
	}
	interKey, err := readKey(filepath.Join(dir, InterKeyFile))
	if err != nil {
		return nil, err
	}
	if !samePublic(rootKey, root) || !samePublic(interKey, inter) || inter.CheckSignatureFrom(root) != nil {
		return nil, fmt.Errorf("testca: the CA files in %s do not belong together; delete the folder to start a new CA", dir)
	}
	ca := &CA{Root: root, RootKey: rootKey, Intermediate: inter, InterKey: interKey, dir: dir}
	if b, err := os.ReadFile(filepath.Join(dir, crlURLFile)); err == nil {
		ca.CRLURL = strings.TrimSpace(string(b))
	}
	return ca, nil
}

func readPEM(path, typ string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("testca: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != typ {
		return nil, fmt.Errorf("testca: %s is not a PEM %s file; delete the CA folder to start a new CA", path, typ)
	}
	return block.Bytes, nil
}

func readCert(path string) (*x509.Certificate, error) {
	der, err := readPEM(path, "CERTIFICATE")
	if err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("testca: %s: %w", path, err)
	}
	return c, nil
}

func readKey(path string) (crypto.Signer, error) {
	der, err := readPEM(path, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("testca: %s: %w", path, err)
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("testca: %s holds a %T, not a signing key", path, k)
	}
	return s, nil
}

func samePublic(k crypto.Signer, c *x509.Certificate) bool {
	pub, ok := k.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(c.PublicKey)
}
