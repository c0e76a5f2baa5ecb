// Package testnet is the bundled offline TESTA network: a national mail
// server per country (SMTP submission, SMTP inbound from the relays, POP3,
// mailboxes on disk), the TESTA relays `relay` (MX 1), `relay-a` and
// `relay-b` (MX 2, 3) and `backup` (MX 4) with durable store-and-forward
// queues, virus scanning and an evidence log, and the test CA's handouts
// for up to three testers per country. Everything listens on 127.0.0.1.
package testnet

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"securemail/internal/durable"
	"securemail/testaaddr"
)

// Duration is a time.Duration written as "2m", "4h" or "120h" in the
// TOML file.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("testnet: %q is not a duration such as 2m or 4h", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Tester is one test address of a country.
type Tester struct {
	Name     string `toml:"name"`     // Firstname.Surname
	Password string `toml:"password"` // mailbox and handout password; generated when empty
}

// Country is one national mail server and its testers.
type Country struct {
	Code        string   `toml:"code"` // Annex A sign, e.g. "B"
	Testers     []Tester `toml:"tester"`
	SubmitPort  int      `toml:"submit_port"`  // SMTP submission with STARTTLS
	SubmitsPort int      `toml:"submits_port"` // SMTP submission with implicit TLS
	InboundPort int      `toml:"inbound_port"` // SMTP from the relays
	POP3Port    int      `toml:"pop3_port"`    // POP3 with STLS
	POP3sPort   int      `toml:"pop3s_port"`   // POP3 with implicit TLS
}

// Relay is one TESTA relay.
type Relay struct {
	Name string `toml:"name"`
	MX   int    `toml:"mx"` // preference; lower is tried first
	Port int    `toml:"port"`
}

// Config is the network's configuration, D/testnet.toml.
type Config struct {
	Host              string    `toml:"host"`      // listen address, 127.0.0.1
	BasePort          int       `toml:"base_port"` // 0: free ports, recorded below at the first run
	MaxTesters        int       `toml:"max_testers"`
	RetryInterval     Duration  `toml:"retry_interval"`
	QueueLifetime     Duration  `toml:"queue_lifetime"`
	DelayWarning      Duration  `toml:"delay_warning"`
	MaxMessageBytes   int64     `toml:"max_message_bytes"`
	MaxLineLength     int       `toml:"max_line_length"`
	MaxRecipients     int       `toml:"max_recipients"`
	MaxConnsPerClient int       `toml:"max_conns_per_client"`
	IdleTimeout       Duration  `toml:"idle_timeout"`
	AuthFailureDelay  Duration  `toml:"auth_failure_delay"`
	ClamdSocket       string    `toml:"clamd_socket"` // unix socket path or host:port; "" = built-in EICAR check only
	CRLPort           int       `toml:"crl_port"`     // HTTP: the test CA's CRL (the distribution point in its Digital IDs)
	Countries         []Country `toml:"country"`
	Relays            []Relay   `toml:"relay"`

	held *heldPorts // listeners bound by complete for the ports it chose, until Start serves on them
}

// DefaultConfig is the built-in network: Belgium and France with three
// testers each and the four relays of the seed.
func DefaultConfig() Config {
	return Config{
		Host:              "127.0.0.1",
		MaxTesters:        3,
		RetryInterval:     Duration{2 * time.Minute},
		QueueLifetime:     Duration{5 * 24 * time.Hour},
		DelayWarning:      Duration{4 * time.Hour},
		MaxMessageBytes:   32 << 20,
		MaxLineLength:     2000,
		MaxRecipients:     100,
		MaxConnsPerClient: 64,
		IdleTimeout:       Duration{5 * time.Minute},
		AuthFailureDelay:  Duration{2 * time.Second},
		Countries: []Country{
			{Code: "B", Testers: []Tester{{Name: "Jan.Peeters"}, {Name: "Anne.Janssens"}, {Name: "Alain.Dupont"}}},
			{Code: "F", Testers: []Tester{{Name: "Marie.Curie"}, {Name: "Jean.Dupont"}, {Name: "Claire.Martin"}}},
		},
		Relays: []Relay{{Name: "relay", MX: 1}, {Name: "relay-a", MX: 2}, {Name: "relay-b", MX: 3}, {Name: "backup", MX: 4}},
	}
}

// LoadConfig reads a TOML file over the defaults.
func LoadConfig(path string) (Config, error) {
	c := DefaultConfig()
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("testnet: cannot read the configuration: %w", err)
	}
	var f Config
	md, err := toml.Decode(string(b), &f)
	if err != nil {
		return c, fmt.Errorf("testnet: %s is not valid TOML: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return c, fmt.Errorf("testnet: %s has unknown settings: %v", path, und)
	}
	// Only the lists replace the defaults when given; scalars overlay.
	if _, err := toml.Decode(string(b), &c); err != nil {
		return c, fmt.Errorf("testnet: %w", err)
	}
	if md.IsDefined("country") {
		c.Countries = f.Countries
	}
	if md.IsDefined("relay") {
		c.Relays = f.Relays
	}
	return c, nil
}

// Save writes the configuration as TOML.
func (c Config) Save(path string) error {
	var b bytes.Buffer
	b.WriteString("# The bundled TESTA network (securemail testnet). Ports and passwords were\n# filled in at the first run; edit and restart to change them.\n\n")
	if err := toml.NewEncoder(&b).Encode(c); err != nil {
		return fmt.Errorf("testnet: %w", err)
	}
	if err := durable.WriteFile(path, b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("testnet: %w", err)
	}
	return nil
}

// Validate checks the configuration and reports the first problem as a
// sentence a tester can act on.
func (c *Config) Validate() error {
	if len(c.Countries) == 0 {
		return fmt.Errorf("testnet: the configuration has no country")
	}
	if len(c.Relays) == 0 {
		return fmt.Errorf("testnet: the configuration has no relay")
	}
	seen := map[string]bool{}
	for _, co := range c.Countries {
		if _, ok := testaaddr.LookupCountry(co.Code); !ok {
			return fmt.Errorf("testnet: %q is not a country sign of Annex A", co.Code)
		}
		if seen[strings.ToUpper(co.Code)] {
			return fmt.Errorf("testnet: country %s appears twice", co.Code)
		}
		seen[strings.ToUpper(co.Code)] = true
		if len(co.Testers) > c.MaxTesters {
			return fmt.Errorf("testnet: country %s has %d testers; at most %d are allowed (max_testers)", co.Code, len(co.Testers), c.MaxTesters)
		}
		for _, t := range co.Testers {
			first, sur, ok := strings.Cut(t.Name, ".")
			if !ok {
				return fmt.Errorf("testnet: tester %q must be written Firstname.Surname", t.Name)
			}
			if _, err := testaaddr.Make(first, sur, co.Code); err != nil {
				return fmt.Errorf("testnet: tester %q: %w", t.Name, err)
			}
		}
	}
	for _, r := range c.Relays {
		if r.Name == "" || strings.ContainsAny(r.Name, " /\\") || seen[r.Name] {
			return fmt.Errorf("testnet: relay name %q is empty, repeated or has a space or slash", r.Name)
		}
		seen[r.Name] = true
	}
	return nil
}

// complete fills in passwords and ports; it reports whether anything
// changed (and the file should be saved). The ports it chooses from r stay
// bound (see heldPorts) until Start serves on them or Release closes them.
func (c *Config) complete(r portRange) (bool, error) {
	changed := false
	next := c.BasePort
	taken := map[int]bool{}
	// A configuration from before a port was added keeps its ports; the
	// new one comes after the highest.
	for _, p := range c.ports() {
		taken[*p] = *p != 0
		if c.BasePort > 0 && *p >= next {
			next = *p + 1
		}
	}
	port := func(p *int) error {
		if *p != 0 {
			return nil
		}
		changed = true
		if c.BasePort > 0 {
			*p = next
			next++
			return nil
		}
		free, l, err := r.bind(c.Host, taken)
		if err != nil {
			return err
		}
		if c.held == nil {
			c.held = &heldPorts{ls: map[int]net.Listener{}}
		}
		c.held.add(free, l)
		*p = free
		taken[free] = true
		return nil
	}
	for _, p := range c.ports() {
		if err := port(p); err != nil {
			c.Release()
			return changed, err
		}
	}
	for i := range c.Countries {
		co := &c.Countries[i]
		for j := range co.Testers {
			if co.Testers[j].Password == "" {
				var b [12]byte
				if _, err := rand.Read(b[:]); err != nil {
					c.Release()
					return changed, fmt.Errorf("testnet: %w", err)
				}
				co.Testers[j].Password = base64.RawURLEncoding.EncodeToString(b[:])
				changed = true
			}
		}
	}
	return changed, nil
}

// ports lists every port of the configuration, in the order complete
// fills them in: relays, national servers, the CRL server.
func (c *Config) ports() []*int {
	var out []*int
	for i := range c.Relays {
		out = append(out, &c.Relays[i].Port)
	}
	for i := range c.Countries {
		co := &c.Countries[i]
		out = append(out, &co.SubmitPort, &co.SubmitsPort, &co.InboundPort, &co.POP3Port, &co.POP3sPort)
	}
	return append(out, &c.CRLPort)
}

// Domain returns a country's mail domain, e.g. tcn.b.eu-admin.net.
func (co Country) Domain() string { return "tcn." + strings.ToLower(co.Code) + "." + testaaddr.Domain }

// NodeName returns the national server's node name, e.g. "b-server".
func (co Country) NodeName() string { return strings.ToLower(co.Code) + "-server" }

// Address returns a tester's mail address.
func (co Country) Address(t Tester) string { return t.Name + "@" + co.Domain() }
