package keystore

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zalando/go-keyring"
)

// chunkSize bounds each keyring entry. Windows' Credential Manager refuses
// secrets over 2,560 bytes; an RSA-4096 private key is ~2,400 bytes of DER
// and ~3,200 in base64, so secrets are split into chunks below that limit.
const chunkSize = 2000

// OSKeyring stores secrets in the operating system's keyring under one
// service name per profile, so two profiles never see each other's entries.
type OSKeyring struct {
	Service string
}

// ForProfile returns the keyring store of the profile in dir. The service
// name is derived from the folder's absolute path.
func ForProfile(dir string) (*OSKeyring, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("keystore: profile folder %q: %w", dir, err)
	}
	sum := sha256.Sum256([]byte(abs))
	return &OSKeyring{Service: "SecureMail/" + hex.EncodeToString(sum[:8])}, nil
}

// Check reports ErrUnavailable when the keyring cannot be used.
func (k *OSKeyring) Check() error {
	_, err := keyring.Get(k.Service, "probe")
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return fmt.Errorf("%w (%v)", ErrUnavailable, err)
}

// Set stores secret under name, replacing any earlier value. The secret is
// written as base64 chunks followed by a manifest holding their count and
// checksum, so a reader never mistakes a half-written secret for a whole one.
func (k *OSKeyring) Set(name string, secret []byte) error {
	if err := validName(name); err != nil {
		return err
	}
	enc := base64.StdEncoding.EncodeToString(secret)
	n := 0
	for off := 0; off < len(enc) || n == 0; off += chunkSize {
		end := min(off+chunkSize, len(enc))
		if err := keyring.Set(k.Service, chunkName(name, n), enc[off:end]); err != nil {
			return k.wrap("storing", name, err)
		}
		n++
	}
	sum := sha256.Sum256(secret)
	manifest := fmt.Sprintf("v1:%d:%s", n, hex.EncodeToString(sum[:]))
	if err := keyring.Set(k.Service, name, manifest); err != nil {
		return k.wrap("storing", name, err)
	}
	// Remove chunks left over from a longer earlier value.
	for i := n; ; i++ {
		if err := keyring.Delete(k.Service, chunkName(name, i)); err != nil {
			break
		}
	}
	return nil
}

// Get returns the secret stored under name.
func (k *OSKeyring) Get(name string) ([]byte, error) {
	if err := validName(name); err != nil {
		return nil, err
	}
	manifest, err := keyring.Get(k.Service, name)
	if err != nil {
		return nil, k.wrap("reading", name, err)
	}
	var n int
	var sumHex string
	parts := strings.Split(manifest, ":")
	if len(parts) != 3 || parts[0] != "v1" {
		return nil, fmt.Errorf("%w: %s has an unknown format", ErrCorrupt, name)
	}
	if n, err = strconv.Atoi(parts[1]); err != nil || n < 1 || n > 1000 {
		return nil, fmt.Errorf("%w: %s has a bad chunk count", ErrCorrupt, name)
	}
	sumHex = parts[2]
	var b strings.Builder
	for i := 0; i < n; i++ {
		c, err := keyring.Get(k.Service, chunkName(name, i))
		if err != nil {
			return nil, k.wrap("reading", name, err)
		}
		b.WriteString(c)
	}
	secret, err := base64.StdEncoding.DecodeString(b.String())
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
	}
	sum := sha256.Sum256(secret)
	if hex.EncodeToString(sum[:]) != sumHex {
		return nil, fmt.Errorf("%w: %s does not match its checksum", ErrCorrupt, name)
	}
	return secret, nil
}

// Delete removes the secret stored under name; deleting a missing secret is
// ErrNotFound.
func (k *OSKeyring) Delete(name string) error {
	if err := validName(name); err != nil {
		return err
	}
	if err := keyring.Delete(k.Service, name); err != nil {
		return k.wrap("deleting", name, err)
	}
	for i := 0; ; i++ {
		if err := keyring.Delete(k.Service, chunkName(name, i)); err != nil {
			break
		}
	}
	return nil
}

func (k *OSKeyring) wrap(verb, name string, err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return fmt.Errorf("keystore: %s %s: the OS keyring refused the size of the entry: %w", verb, name, err)
	}
	return fmt.Errorf("%w: %s %s: %v", ErrUnavailable, verb, name, err)
}

func chunkName(name string, i int) string { return name + "#" + strconv.Itoa(i) }

func validName(name string) error {
	if name == "" || len(name) > 200 || strings.ContainsAny(name, "#\r\n\x00") {
		return fmt.Errorf("keystore: %q is not a valid secret name", name)
	}
	return nil
}
