package testnet

import (
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"securemail/testnet/testca"
)

// ConfigFile is the network's effective configuration inside its folder.
const ConfigFile = "testnet.toml"

// Account is a handout's account.json (DESIGN.md §3): how a tester's mail
// client reaches the national server.
type Account struct {
	Address  string `json:"address"`
	POP3     string `json:"pop3"`
	POP3TLS  string `json:"pop3_tls"` // none | starttls | implicit
	SMTP     string `json:"smtp"`
	SMTPTLS  string `json:"smtp_tls"`
	Username string `json:"username"`
	Password string `json:"password"`
	ServerCA string `json:"server_ca"` // file in the same folder
}

// Prepare makes dir ready to run: the configuration (configFile when given,
// else dir/testnet.toml, else the built-in default; ports and passwords
// filled in and saved to dir/testnet.toml), the test CA (created once, kept
// in dir/ca) and one handout folder per tester in dir/handouts/<address>/.
// Later calls reuse what exists.
func Prepare(dir, configFile string) (Config, *testca.CA, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Config{}, nil, fmt.Errorf("testnet: cannot create the network folder: %w", err)
	}
	own := filepath.Join(dir, ConfigFile)
	var cfg Config
	var err error
	save := false
	switch {
	case configFile != "":
		cfg, err = LoadConfig(configFile)
		save = true
	case fileExists(own):
		cfg, err = LoadConfig(own)
	default:
		cfg = DefaultConfig()
		save = true
	}
	if err != nil {
		return cfg, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, err
	}
	changed, err := cfg.complete()
	if err != nil {
		return cfg, nil, err
	}
	if save || changed {
		if err := cfg.Save(own); err != nil {
			return cfg, nil, err
		}
	}
	ca, err := openCA(filepath.Join(dir, "ca"))
	if err != nil {
		return cfg, nil, err
	}
	if err := writeHandouts(dir, cfg, ca); err != nil {
		return cfg, nil, err
	}
	return cfg, ca, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// openCA loads the CA kept in dir or creates it.
//
// TODO(testca): use testca.Open(dir) once it lands; this keeps the root
// and EC CA as PEM certificates and PKCS#8 keys.
func openCA(dir string) (*testca.CA, error) {
	files := []string{"root.pem", "root.key", "ec.pem", "ec.key"}
	if fileExists(filepath.Join(dir, files[0])) {
		var parts [4][]byte
		for i, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				return nil, fmt.Errorf("testnet: the test CA in %s is incomplete: %w", dir, err)
			}
			blk, _ := pem.Decode(b)
			if blk == nil {
				return nil, fmt.Errorf("testnet: %s is not PEM; remove %s to make a new CA", f, dir)
			}
			parts[i] = blk.Bytes
		}
		root, err1 := x509.ParseCertificate(parts[0])
		rk, err2 := x509.ParsePKCS8PrivateKey(parts[1])
		inter, err3 := x509.ParseCertificate(parts[2])
		ik, err4 := x509.ParsePKCS8PrivateKey(parts[3])
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return nil, fmt.Errorf("testnet: the test CA in %s is damaged; remove it to make a new one: %w", dir, err)
		}
		rs, ok1 := rk.(crypto.Signer)
		is, ok2 := ik.(crypto.Signer)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("testnet: the test CA keys in %s cannot sign", dir)
		}
		return &testca.CA{Root: root, RootKey: rs, Intermediate: inter, InterKey: is}, nil
	}
	ca, err := testca.New()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("testnet: %w", err)
	}
	rk, err1 := x509.MarshalPKCS8PrivateKey(ca.RootKey)
	ik, err2 := x509.MarshalPKCS8PrivateKey(ca.InterKey)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("testnet: %w", err)
	}
	blocks := []*pem.Block{{Type: "CERTIFICATE", Bytes: ca.Root.Raw}, {Type: "PRIVATE KEY", Bytes: rk},
		{Type: "CERTIFICATE", Bytes: ca.Intermediate.Raw}, {Type: "PRIVATE KEY", Bytes: ik}}
	for i, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f), pem.EncodeToMemory(blocks[i]), 0o600); err != nil {
			return nil, fmt.Errorf("testnet: %w", err)
		}
	}
	return ca, nil
}

// HandoutDir returns the handout folder of an address.
func HandoutDir(dir, addr string) string {
	return filepath.Join(dir, "handouts", strings.ToLower(addr))
}

// writeHandouts gives every tester Root_CA.cer and EC_CA.cer (PEM, which
// Windows, OpenSSL and Python all read), Mail.pfx with password.txt, and
// account.json. A tester's certificate is issued once and kept.
func writeHandouts(dir string, cfg Config, ca *testca.CA) error {
	for _, co := range cfg.Countries {
		for _, t := range co.Testers {
			addr := co.Address(t)
			hd := HandoutDir(dir, addr)
			if err := os.MkdirAll(hd, 0o700); err != nil {
				return fmt.Errorf("testnet: %w", err)
			}
			write := func(name string, b []byte) error {
				if err := os.WriteFile(filepath.Join(hd, name), b, 0o600); err != nil {
					return fmt.Errorf("testnet: writing the handout of %s: %w", addr, err)
				}
				return nil
			}
			if err := write("Root_CA.cer", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Root.Raw})); err != nil {
				return err
			}
			if err := write("EC_CA.cer", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Intermediate.Raw})); err != nil {
				return err
			}
			if !fileExists(filepath.Join(hd, "Mail.pfx")) || !fileExists(filepath.Join(hd, "password.txt")) {
				is, err := ca.Issue(testca.IssueOptions{Email: addr, Name: strings.ReplaceAll(t.Name, ".", " ")})
				if err != nil {
					return err
				}
				pfx, err := pkcs12.Modern.Encode(is.PrivateKey, is.Certificate, is.Chain, t.Password)
				if err != nil {
					return fmt.Errorf("testnet: encoding Mail.pfx of %s: %w", addr, err)
				}
				if err := write("Mail.pfx", pfx); err != nil {
					return err
				}
				if err := write("password.txt", []byte(t.Password+"\n")); err != nil {
					return err
				}
			}
			acc := Account{Address: addr,
				POP3: fmt.Sprintf("%s:%d", cfg.Host, co.POP3Port), POP3TLS: "starttls",
				SMTP: fmt.Sprintf("%s:%d", cfg.Host, co.SubmitPort), SMTPTLS: "starttls",
				Username: addr, Password: t.Password, ServerCA: "Root_CA.cer"}
			b, _ := json.MarshalIndent(acc, "", "  ")
			if err := write("account.json", append(b, '\n')); err != nil {
				return err
			}
		}
	}
	return nil
}
