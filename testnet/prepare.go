package testnet

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"securemail/testnet/testca"
)

// ConfigFile is the network's effective configuration inside its folder.
const ConfigFile = "testnet.toml"

// Account is a handout's account.json (docs/ARCHITECTURE.md §3.3): how a tester's mail
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
//
// The ports Prepare chooses (a new network without base_port) are bound
// now and stay bound in the returned Config until Start serves on them, so
// that no other program or network started at the same moment takes them
// in between; a caller that does not Start the network in this process
// calls cfg.Release.
func Prepare(dir, configFile string) (Config, *testca.CA, error) {
	return prepare(dir, configFile, defaultPortRange())
}

// prepare is Prepare choosing new ports from r.
func prepare(dir, configFile string, r portRange) (Config, *testca.CA, error) {
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
	changed, err := cfg.complete(r)
	if err != nil {
		return cfg, nil, err
	}
	ca, err := finishPrepare(dir, own, cfg, save || changed)
	if err != nil {
		cfg.Release()
		return cfg, nil, err
	}
	return cfg, ca, nil
}

// finishPrepare saves the completed configuration when it changed, opens
// the test CA and writes the handouts.
func finishPrepare(dir, own string, cfg Config, save bool) (*testca.CA, error) {
	if save {
		if err := cfg.Save(own); err != nil {
			return nil, err
		}
	}
	ca, err := testca.Open(filepath.Join(dir, "ca"))
	if err != nil {
		return nil, err
	}
	// Digital IDs issued from now on name the network's CRL server.
	if err := ca.SetCRLURL(cfg.CRLURL()); err != nil {
		return nil, err
	}
	if err := writeHandouts(dir, cfg, ca); err != nil {
		return nil, err
	}
	return ca, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// HandoutDir returns the handout folder of an address.
func HandoutDir(dir, addr string) string {
	return filepath.Join(dir, "handouts", strings.ToLower(addr))
}

// ServerCAFile is the handout file, PEM, with which mail clients verify the
// network's TLS certificates (the Root CA; Root_CA.cer is the same in DER).
const ServerCAFile = "server_ca.pem"

// writeHandouts gives every tester the seed's handout (Root_CA.cer and
// EC_CA.cer in DER, Mail.pfx, password.txt; written by testca), the Root
// CA again in PEM for mail clients such as Python's, and account.json. A
// tester's Digital ID is issued once and kept; the Mail.pfx password is the
// tester's mailbox password.
func writeHandouts(dir string, cfg Config, ca *testca.CA) error {
	rootPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Root.Raw})
	for _, co := range cfg.Countries {
		for _, t := range co.Testers {
			addr := co.Address(t)
			hd := HandoutDir(dir, addr)
			if !fileExists(filepath.Join(hd, testca.MailPFXFile)) || !fileExists(filepath.Join(hd, testca.PasswordFile)) {
				h, err := ca.Handout(testca.IssueOptions{Email: addr, Name: strings.ReplaceAll(t.Name, ".", " ")}, t.Password, false)
				if err != nil {
					return fmt.Errorf("testnet: the handout of %s: %w", addr, err)
				}
				if err := testca.WriteHandout(hd, h); err != nil {
					return fmt.Errorf("testnet: the handout of %s: %w", addr, err)
				}
			}
			acc := Account{Address: addr,
				POP3: fmt.Sprintf("%s:%d", cfg.Host, co.POP3Port), POP3TLS: "starttls",
				SMTP: fmt.Sprintf("%s:%d", cfg.Host, co.SubmitPort), SMTPTLS: "starttls",
				Username: addr, Password: t.Password, ServerCA: ServerCAFile}
			b, _ := json.MarshalIndent(acc, "", "  ")
			for name, data := range map[string][]byte{ServerCAFile: rootPEM, "account.json": append(b, '\n')} {
				if err := os.WriteFile(filepath.Join(hd, name), data, 0o600); err != nil {
					return fmt.Errorf("testnet: writing the handout of %s: %w", addr, err)
				}
			}
		}
	}
	return nil
}
