package app

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"securemail/app/digitalid"
	"securemail/app/keystore"
	"securemail/app/profile"
	"securemail/internal/durable"
	"securemail/internal/phrase"
	"securemail/smime/identity"
	"securemail/smime/trust"
	"securemail/testaaddr"
)

// Names of the server passwords in the keystore.
const (
	secretPOP3 = "pop3-password"
	secretSMTP = "smtp-password"
	// serverCAFile is the copy of the servers' private TLS CA in the profile.
	serverCAFile = "server-ca.pem"
)

// ErrRootNotTrusted is SetupAccount's refusal when the user did not tick
// "Trust this authority to identify e-mail senders".
var ErrRootNotTrusted = errors.New("app: the Root CA was not trusted; SecureMail cannot check anyone's Digital ID until you confirm that you trust this authority (tick the box, or give --trust-root)")

// SetupAccount checks and stores an account: the address, the root (only
// with TrustRoot), the EC CA chaining to it, the Mail.pfx matching the
// address and chaining to the root; passwords and the key go to the keyring.
// Nothing is stored when a check fails.
func (a *App) SetupAccount(ctx context.Context, s Setup) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	addr, err := testaaddr.Parse(strings.TrimSpace(s.Address))
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	account := addr.String()
	if err := checkServer("POP3", s.POP3); err != nil {
		return err
	}
	if err := checkServer("SMTP", s.SMTP); err != nil {
		return err
	}
	if s.POP3Password == "" {
		return refusal(sentence("app.Setup.pop3PasswordEmpty", "The POP3 password is empty", "type the password of your mailbox", nil))
	}
	root, err := digitalid.InspectAuthority(s.RootCA)
	if err != nil {
		return err
	}
	if !root.SelfSigned {
		return refusal(sentence("app.Setup.notRoot", "{{.Name}} is not a root authority (it was issued by {{.Issuer}})",
			"give the Root CA file, and the EC CA separately", phrase.Args{"Name": quoted(root.Name), "Issuer": quoted(root.Certificate.Issuer.CommonName)}))
	}
	if !s.TrustRoot {
		return ErrRootNotTrusted
	}
	now := a.now()
	if now.After(root.NotAfter) {
		return refusal(sentence("digitalid.AuthorityError.Expired", "The authority {{.Name}} expired on {{.Day}}",
			"ask for a current Root CA", phrase.Args{"Name": quoted(root.Name), "Day": phrase.Date(root.NotAfter)}))
	}
	ec, err := digitalid.InspectAuthority(s.ECCA)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	pool.AddCert(root.Certificate)
	if _, err := ec.Certificate.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return refusal(sentence("app.Setup.notIssuedByRoot", "The EC CA {{.EC}} was not issued by the Root CA {{.Root}} ({{.Err}})",
			"use the EC CA that came with your Root CA", phrase.Args{"EC": quoted(ec.Name), "Root": quoted(root.Name), "Err": err.Error()}))
	}
	id, err := identity.ParsePFX(s.PFX, s.PFXPassword)
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	if got := identity.Address(id.Certificate); !testaaddr.Equal(got, account) {
		return refusal(sentence("app.Setup.otherAccount",
			"The Digital ID in Mail.pfx is for {{.IDFor}}, but your account is {{.Account}}, so you could neither sign nor encrypt with it",
			"ask for a Mail.pfx issued for {{.Account}}", phrase.Args{"IDFor": got, "Account": account}))
	}
	res := trust.Evaluate(id.Certificate, id.Chain, trust.Policy{Roots: []*x509.Certificate{root.Certificate},
		Intermediates: []*x509.Certificate{ec.Certificate}, Purpose: trust.Signing, Now: now, Address: account})
	if res.Problem != trust.OK {
		return refusal(sentence("app.Setup.refused", "Your Mail.pfx cannot be used: {{.Reason}}", "", phrase.Args{"Reason": asPhrase(res.ReasonPhrase, res.Reason)}))
	}
	var serverCA []byte
	if len(s.ServerCA) > 0 {
		certs, err := identity.ParseCertificates(s.ServerCA)
		if err != nil {
			return &ServerCAError{Err: err}
		}
		for _, c := range certs {
			serverCA = append(serverCA, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
		}
	}
	if ok, err := keyringUsable(a.Keys); !ok {
		return err
	}

	// Every check passed: store.
	if err := a.Wallet.TrustRoot(root, now); err != nil {
		return err
	}
	if err := a.Wallet.AddAuthority(ec, now); err != nil {
		return err
	}
	if _, err := a.Wallet.ImportPFX(s.PFX, s.PFXPassword, account, now); err != nil {
		return err
	}
	a.forgetKeys()
	if err := a.Keys.Set(secretPOP3, []byte(s.POP3Password)); err != nil {
		return because(sentence("app.Setup.pop3PasswordKeyring", "The POP3 password could not be put in the keyring", "", nil), err)
	}
	smtpPW := s.SMTPPassword
	if smtpPW == "" {
		smtpPW = s.POP3Password
	}
	if err := a.Keys.Set(secretSMTP, []byte(smtpPW)); err != nil {
		return because(sentence("app.Setup.smtpPasswordKeyring", "The SMTP password could not be put in the keyring", "", nil), err)
	}
	set, err := a.Profile.Load()
	if err != nil && !errors.Is(err, profile.ErrNoAccount) {
		return err
	}
	set.Account = profile.Account{Address: account, DisplayName: s.DisplayName, POP3: s.POP3, SMTP: s.SMTP}
	if set.Account.DisplayName == "" {
		set.Account.DisplayName = addr.FirstName + " " + addr.Surname
	}
	if serverCA != nil {
		if err := durable.WriteFile(a.Profile.Path(serverCAFile), serverCA, 0o644); err != nil {
			return fmt.Errorf("app: %w", err)
		}
		set.Account.ServerCA = serverCAFile
	}
	set.Bundled = s.Bundled
	return a.Profile.Save(set)
}

// keyringUsable reports whether secrets can be stored; with the OS keyring
// it asks the keyring first, so that a machine without one gets a clear
// sentence before anything is written.
func keyringUsable(k keystore.Store) (bool, error) {
	if osk, ok := k.(*keystore.OSKeyring); ok {
		if err := osk.Check(); err != nil {
			return false, err
		}
	}
	return true, nil
}

func checkServer(what string, s profile.Server) error {
	args := phrase.Args{"Protocol": what, "Address": quoted(s.Address), "TLS": quoted(s.TLS)}
	if s.Address == "" {
		return refusal(sentence("app.Setup.serverMissing", "The {{.Protocol}} server is missing", "give it as host:port", args))
	}
	if !strings.Contains(s.Address, ":") {
		return refusal(sentence("app.Setup.noPort", "The {{.Protocol}} server {{.Address}} has no port", "give it as host:port", args))
	}
	switch s.TLS {
	case "none", "starttls", "implicit":
	default:
		return refusal(sentence("app.Setup.unknownTLS", "The {{.Protocol}} security {{.TLS}} is not one SecureMail knows", "choose none, starttls or implicit", args))
	}
	if s.Username == "" {
		return refusal(sentence("app.Setup.noUser", "The {{.Protocol}} user name is empty", "type the user name of your mailbox", args))
	}
	return nil
}

// handoutAccount is account.json of a bundled-network handout (docs/ARCHITECTURE.md §3.3).
type handoutAccount struct {
	Address  string `json:"address"`
	POP3     string `json:"pop3"`
	POP3TLS  string `json:"pop3_tls"`
	SMTP     string `json:"smtp"`
	SMTPTLS  string `json:"smtp_tls"`
	Username string `json:"username"`
	Password string `json:"password"`
	ServerCA string `json:"server_ca"`
}

// SetupFromHandout sets the account up from a bundled-network handout
// folder (Root_CA.cer, EC_CA.cer, Mail.pfx, password.txt, account.json).
func (a *App) SetupFromHandout(ctx context.Context, dir string, trustRoot bool) error {
	read := func(name string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, refusal(sentence("app.Handout.unreadable", "The handout folder {{.Dir}} has no readable {{.Name}}",
				"give the folder the bundled network wrote for you (handouts/<address>)", phrase.Args{"Dir": dir, "Name": name}))
		}
		return b, nil
	}
	accJSON, err := read("account.json")
	if err != nil {
		return err
	}
	var acc handoutAccount
	if err := json.Unmarshal(accJSON, &acc); err != nil {
		return refusal(sentence("app.Handout.damaged", "{{.File}} is damaged ({{.Err}})", "run the bundled network again to rewrite it",
			phrase.Args{"File": filepath.Join(dir, "account.json"), "Err": err.Error()}))
	}
	s := Setup{Address: acc.Address, POP3Password: acc.Password, TrustRoot: trustRoot, Bundled: true,
		POP3: profile.Server{Address: acc.POP3, TLS: orStartTLS(acc.POP3TLS), Username: acc.Username, AllowCleartextLogin: acc.POP3TLS == "none"},
		SMTP: profile.Server{Address: acc.SMTP, TLS: orStartTLS(acc.SMTPTLS), Username: acc.Username, AllowCleartextLogin: acc.SMTPTLS == "none"}}
	for name, dst := range map[string]*[]byte{"Root_CA.cer": &s.RootCA, "EC_CA.cer": &s.ECCA, "Mail.pfx": &s.PFX} {
		if *dst, err = read(name); err != nil {
			return err
		}
	}
	pw, err := read("password.txt")
	if err != nil {
		return err
	}
	s.PFXPassword = strings.TrimRight(string(pw), "\r\n")
	if acc.ServerCA != "" {
		if s.ServerCA, err = read(filepath.Base(acc.ServerCA)); err != nil {
			return err
		}
	}
	return a.SetupAccount(ctx, s)
}

func orStartTLS(s string) string {
	if s == "" {
		return "starttls"
	}
	return strings.ToLower(s)
}

// account returns the settings of a set-up account, or profile.ErrNoAccount.
func (a *App) account() (profile.Settings, error) {
	s, err := a.Profile.Load()
	if err != nil {
		return s, err
	}
	if s.Account.Address == "" {
		return s, profile.ErrNoAccount
	}
	return s, nil
}

// trustAnchors returns the trusted roots and known intermediates.
func (a *App) trustAnchors() (roots, inters []*x509.Certificate, err error) {
	if roots, err = a.Wallet.Roots(); err != nil {
		return nil, nil, err
	}
	if inters, err = a.Wallet.Intermediates(); err != nil {
		return nil, nil, err
	}
	return roots, inters, nil
}

// serverRoots returns the pool that verifies the mail servers' TLS
// certificates: the profile's server CA file, or nil for the system's.
func (a *App) serverRoots(s profile.Settings) (*x509.CertPool, error) {
	if s.Account.ServerCA == "" {
		return nil, nil
	}
	b, err := os.ReadFile(a.Profile.Path(filepath.Base(s.Account.ServerCA)))
	if err != nil {
		return nil, refusal(sentence("app.ServerCA.missing", "The servers' CA file of this profile is missing ({{.Err}})", "set the account up again",
			phrase.Args{"Err": err.Error()}))
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, refusal(sentence("app.ServerCA.empty", "The servers' CA file {{.File}} holds no certificate", "set the account up again",
			phrase.Args{"File": a.Profile.Path(s.Account.ServerCA)}))
	}
	return pool, nil
}

// secret reads a password from the keystore with a sentence for the user.
func (a *App) secret(name string) (string, error) {
	b, err := a.Keys.Get(name)
	if errors.Is(err, keystore.ErrNotFound) {
		return "", missingSecret(name)
	}
	if err != nil {
		return "", fmt.Errorf("app: %w", err)
	}
	return string(b), nil
}

// missingSecret is the refusal for a password the keyring should hold and
// does not.
func missingSecret(name string) error {
	switch name {
	case secretPOP3:
		return refusal(sentence("app.secret.pop3", "The pop3 password is not in the keyring", "set the account up again", nil))
	case secretSMTP:
		return refusal(sentence("app.secret.smtp", "The smtp password is not in the keyring", "set the account up again", nil))
	}
	return refusal(sentence("app.secret", "The {{.Name}} is not in the keyring", "set the account up again",
		phrase.Args{"Name": strings.ReplaceAll(name, "-", " ")}))
}
