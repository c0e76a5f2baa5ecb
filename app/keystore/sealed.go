package keystore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/scrypt"

	"securemail/internal/durable"
)

// Scrypt cost parameters for sealed files (RFC 7914 recommends N=2^15 for
// interactive use in 2026 hardware terms; it costs ~100 ms and 32 MiB).
const (
	scryptN = 1 << 15
	scryptR = 8
	scryptP = 1
)

// SealedFiles keeps each secret in its own file in Dir, encrypted with
// AES-256-GCM under a key derived from a passphrase with scrypt. It is the
// explicit opt-in for machines without an OS keyring; nothing in it is
// readable without the passphrase.
type SealedFiles struct {
	Dir        string
	passphrase []byte
}

// NewSealedFiles returns a store in dir (created 0700) using passphrase.
func NewSealedFiles(dir string, passphrase []byte) (*SealedFiles, error) {
	if len(passphrase) < 8 {
		return nil, errors.New("keystore: the passphrase must have at least 8 characters")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("keystore: cannot create %s: %w", dir, err)
	}
	return &SealedFiles{Dir: dir, passphrase: append([]byte(nil), passphrase...)}, nil
}

type sealedFile struct {
	Version    int    `json:"v"`
	KDF        string `json:"kdf"`
	N          int    `json:"n"`
	R          int    `json:"r"`
	P          int    `json:"p"`
	Salt       []byte `json:"salt"`
	Nonce      []byte `json:"nonce"`
	Ciphertext []byte `json:"ciphertext"`
}

func (s *SealedFiles) path(name string) string {
	sum := sha256.Sum256([]byte(name))
	return filepath.Join(s.Dir, hex.EncodeToString(sum[:12])+".sealed")
}

// Set seals secret under name, replacing any earlier value atomically.
func (s *SealedFiles) Set(name string, secret []byte) error {
	if err := validName(name); err != nil {
		return err
	}
	f := sealedFile{Version: 1, KDF: "scrypt", N: scryptN, R: scryptR, P: scryptP,
		Salt: make([]byte, 16), Nonce: make([]byte, 12)}
	if _, err := rand.Read(f.Salt); err != nil {
		return fmt.Errorf("keystore: %w", err)
	}
	if _, err := rand.Read(f.Nonce); err != nil {
		return fmt.Errorf("keystore: %w", err)
	}
	aead, err := s.aead(&f)
	if err != nil {
		return err
	}
	f.Ciphertext = aead.Seal(nil, f.Nonce, secret, []byte(name))
	data, err := json.Marshal(&f)
	if err != nil {
		return fmt.Errorf("keystore: %w", err)
	}
	// The file is restricted to its owner before it takes its name, so that
	// it never exists readable by others (on Windows by an ACL).
	err = durable.Write(s.path(name), durable.Options{Perm: 0o600, BeforeRename: ownerOnly}, func(f durable.File) error {
		_, err := f.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("keystore: %w", err)
	}
	return nil
}

// Get opens the secret stored under name.
func (s *SealedFiles) Get(name string) ([]byte, error) {
	if err := validName(name); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(s.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return nil, fmt.Errorf("keystore: reading %s: %w", name, err)
	}
	var f sealedFile
	if err := json.Unmarshal(data, &f); err != nil || f.Version != 1 || f.KDF != "scrypt" || len(f.Nonce) != 12 {
		return nil, fmt.Errorf("%w: %s is not a sealed secret", ErrCorrupt, name)
	}
	if f.N > 1<<20 || f.R > 32 || f.P > 16 {
		return nil, fmt.Errorf("%w: %s asks for an unreasonable key derivation", ErrCorrupt, name)
	}
	aead, err := s.aead(&f)
	if err != nil {
		return nil, err
	}
	secret, err := aead.Open(nil, f.Nonce, f.Ciphertext, []byte(name))
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	return secret, nil
}

// Delete removes the secret stored under name.
func (s *SealedFiles) Delete(name string) error {
	if err := validName(name); err != nil {
		return err
	}
	err := os.Remove(s.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return fmt.Errorf("keystore: deleting %s: %w", name, err)
	}
	return nil
}

func (s *SealedFiles) aead(f *sealedFile) (cipher.AEAD, error) {
	key, err := scrypt.Key(s.passphrase, f.Salt, f.N, f.R, f.P, 32)
	if err != nil {
		return nil, fmt.Errorf("keystore: deriving the key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("keystore: %w", err)
	}
	return cipher.NewGCM(block)
}
