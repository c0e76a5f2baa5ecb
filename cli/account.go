package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"securemail/app"
	"securemail/app/keystore"
	"securemail/app/profile"
)

// keyFileFlag adds --key-file-passphrase-file, the explicit opt-in to keep
// secrets in a passphrase-protected file instead of the OS keyring.
func keyFileFlag(fs *flag.FlagSet) *string {
	return fs.String("key-file-passphrase-file", "", "keep private keys and passwords in a file protected by the passphrase in this file, instead of the OS keyring (or set SECUREMAIL_KEY_PASSPHRASE)")
}

// keyFileAdvice is the way out named in every "no keyring" sentence.
const keyFileAdvice = "start your desktop's keyring, or keep the keys in a passphrase-protected file with --key-file-passphrase-file FILE (or SECUREMAIL_KEY_PASSPHRASE)"

// profileOptions say how a command opens its profile.
type profileOptions struct {
	// PassFile is --key-file-passphrase-file: the keys are in files sealed
	// with the passphrase it holds ("" means SECUREMAIL_KEY_PASSPHRASE, or
	// the OS keyring when that is unset too).
	PassFile string
	// NeedKeys is set by a command that signs, decrypts or logs in: the OS
	// keyring is checked first, so a machine without one gets a clear
	// sentence before anything is done.
	NeedKeys bool
}

// withApp runs do on the profile of env, opened as opts say, and closes it
// afterwards: the shape of every command that works on a profile. An error
// do returns is printed as the command's one sentence (failErr) and the
// status is ExitError; otherwise the status is the one do returns.
func withApp(ctx context.Context, env *Env, opts profileOptions, do func(a *app.App) (int, error)) int {
	a, code := openApp(ctx, env, opts)
	if a == nil {
		return code
	}
	defer a.Close()
	code, err := do(a)
	if err != nil {
		return failErr(env, err)
	}
	return code
}

// openApp opens the profile of env with the keystore the user chose. On
// failure it returns nil and the exit status.
func openApp(ctx context.Context, env *Env, opts profileOptions) (*app.App, int) {
	p, err := profile.Open(env.Profile)
	if err != nil {
		return nil, Fail(env, ExitError, "%v", err)
	}
	pass := env.Getenv("SECUREMAIL_KEY_PASSPHRASE")
	if opts.PassFile != "" {
		if pass, err = ReadSecretFile(opts.PassFile); err != nil {
			return nil, Fail(env, ExitError, "%v", err)
		}
	}
	var keys keystore.Store
	sealedDir := p.Path("keys")
	switch {
	case pass != "":
		s, err := keystore.NewSealedFiles(sealedDir, []byte(pass))
		if err != nil {
			return nil, Fail(env, ExitError, "%v", err)
		}
		keys = s
	default:
		if m, _ := filepath.Glob(filepath.Join(sealedDir, "*.sealed")); len(m) > 0 && opts.NeedKeys {
			return nil, Fail(env, ExitError, "this profile keeps its keys in a file protected by a passphrase; give it with --key-file-passphrase-file FILE (or SECUREMAIL_KEY_PASSPHRASE)")
		}
		k, err := keystore.ForProfile(p.Dir)
		if err != nil {
			return nil, Fail(env, ExitError, "%v", err)
		}
		if opts.NeedKeys {
			if err := k.Check(); err != nil {
				return nil, Fail(env, ExitError, "no OS keyring is available (the Secret Service, Credential Manager or Keychain did not answer); %s", keyFileAdvice)
			}
		}
		keys = k
	}
	a, err := app.Open(ctx, p.Dir, app.Options{Keys: keys})
	if err != nil {
		return nil, Fail(env, ExitError, "%v", err)
	}
	return a, ExitOK
}

// failErr prints err as the one sentence of a failed command, pointing at
// the key-file option when the keyring is the problem.
func failErr(env *Env, err error) int {
	if errors.Is(err, keystore.ErrUnavailable) {
		return Fail(env, ExitError, "no OS keyring is available; %s", keyFileAdvice)
	}
	return Fail(env, ExitError, "%v", err)
}

// runAccount dispatches `securemail account setup|show|set`.
func runAccount(ctx context.Context, env *Env, args []string) int {
	return subcommands(ctx, env, "account", args, map[string]command{
		"setup": {"set the account up: address, servers, trusted authority, your Digital ID", runAccountSetup},
		"show":  {"show the account, its settings and your Digital IDs", runAccountShow},
		"set":   {"change settings: sign/encrypt defaults, check interval, leave on server", runAccountSet},
	})
}

func runAccountSetup(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "account setup", "account setup --from-handout DIR --trust-root\n       securemail account setup --address A --pop3 HOST:PORT --smtp HOST:PORT --user U --password-file F --root Root_CA.cer --ca EC_CA.cer --pfx Mail.pfx --pfx-password-file F --trust-root [--pop3-tls starttls|implicit|none] [--smtp-tls …] [--server-ca FILE]")
	handout := fs.String("from-handout", "", "a handout folder of the bundled network (Root_CA.cer, EC_CA.cer, Mail.pfx, password.txt, account.json)")
	trustRoot := fs.Bool("trust-root", false, "trust the Root CA to identify e-mail senders (required: SecureMail never trusts an authority silently)")
	addr := fs.String("address", "", "your TESTA address, Firstname.Surname@tcn.<country>.eu-admin.net")
	name := fs.String("name", "", "your name as shown to recipients (default: from the address)")
	pop3 := fs.String("pop3", "", "POP3 server, host:port")
	smtp := fs.String("smtp", "", "SMTP submission server, host:port")
	user := fs.String("user", "", "mailbox user name (default: the address)")
	pwFile := fs.String("password-file", "", "file holding the mailbox password")
	smtpUser := fs.String("smtp-user", "", "SMTP user name when it differs from --user")
	smtpPWFile := fs.String("smtp-password-file", "", "file holding the SMTP password when it differs")
	root := fs.String("root", "", "the Root CA file (Root_CA.cer)")
	ca := fs.String("ca", "", "the EC CA file (EC_CA.cer)")
	pfx := fs.String("pfx", "", "your Digital ID (Mail.pfx)")
	pfxPW := fs.String("pfx-password-file", "", "file holding the Mail.pfx password")
	pop3TLS := fs.String("pop3-tls", "starttls", "POP3 security: starttls, implicit or none")
	smtpTLS := fs.String("smtp-tls", "starttls", "SMTP security: starttls, implicit or none")
	serverCA := fs.String("server-ca", "", "CA certificate that issued the servers' TLS certificates, when private")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return Fail(env, ExitError, "account setup: unexpected argument %q; run 'securemail account setup --help'", fs.Arg(0))
	}
	return withApp(ctx, env, profileOptions{PassFile: *passFile, NeedKeys: true}, func(a *app.App) (int, error) {
		if *handout != "" {
			if err := a.SetupFromHandout(ctx, *handout, *trustRoot); err != nil {
				return ExitError, err
			}
			return accountDone(env, a)
		}
		need := map[string]string{"--address": *addr, "--pop3": *pop3, "--smtp": *smtp, "--password-file": *pwFile,
			"--root": *root, "--ca": *ca, "--pfx": *pfx, "--pfx-password-file": *pfxPW}
		for _, f := range []string{"--address", "--pop3", "--smtp", "--password-file", "--root", "--ca", "--pfx", "--pfx-password-file"} {
			if need[f] == "" {
				return Fail(env, ExitError, "account setup needs %s (or --from-handout DIR); run 'securemail account setup --help'", f), nil
			}
		}
		s := app.Setup{Address: *addr, DisplayName: *name, TrustRoot: *trustRoot}
		u := *user
		if u == "" {
			u = *addr
		}
		su := *smtpUser
		if su == "" {
			su = u
		}
		s.POP3 = profile.Server{Address: *pop3, TLS: strings.ToLower(*pop3TLS), Username: u, AllowCleartextLogin: strings.EqualFold(*pop3TLS, "none")}
		s.SMTP = profile.Server{Address: *smtp, TLS: strings.ToLower(*smtpTLS), Username: su, AllowCleartextLogin: strings.EqualFold(*smtpTLS, "none")}
		var err error
		if s.POP3Password, err = ReadSecretFile(*pwFile); err != nil {
			return Fail(env, ExitError, "%v", err), nil
		}
		if *smtpPWFile != "" {
			if s.SMTPPassword, err = ReadSecretFile(*smtpPWFile); err != nil {
				return Fail(env, ExitError, "%v", err), nil
			}
		}
		if s.PFXPassword, err = ReadSecretFile(*pfxPW); err != nil {
			return Fail(env, ExitError, "%v", err), nil
		}
		files := []struct {
			path string
			dst  *[]byte
		}{{*root, &s.RootCA}, {*ca, &s.ECCA}, {*pfx, &s.PFX}, {*serverCA, &s.ServerCA}}
		for _, f := range files {
			if f.path == "" {
				continue
			}
			if *f.dst, err = os.ReadFile(f.path); err != nil {
				return Fail(env, ExitError, "cannot read %s: %v", f.path, errors.Unwrap(err)), nil
			}
		}
		if err := a.SetupAccount(ctx, s); err != nil {
			return ExitError, err
		}
		return accountDone(env, a)
	})
}

func accountDone(env *Env, a *app.App) (int, error) {
	s, err := a.Settings()
	if err != nil {
		return ExitError, err
	}
	ids, _ := a.Wallet.MyIDs()
	fmt.Fprintf(env.Stdout, "The account %s is set up in %s.\n", s.Account.Address, a.Profile.Dir)
	if len(ids) > 0 {
		fmt.Fprintf(env.Stdout, "Your Digital ID is valid until %s (%d days left). Outgoing mail is signed and encrypted by default.\n",
			ids[0].Certificate.NotAfter.UTC().Format("2 January 2006"), ids[0].DaysLeft(a.Now()))
	}
	fmt.Fprintln(env.Stdout, "Next: exchange Digital IDs with 'securemail securelink request --to ADDRESS'.")
	return ExitOK, nil
}

// accountView is `account show --json`.
type accountView struct {
	Address           string         `json:"address"`
	Name              string         `json:"name"`
	Profile           string         `json:"profile"`
	POP3              profile.Server `json:"pop3"`
	SMTP              profile.Server `json:"smtp"`
	SignAll           bool           `json:"sign_all"`
	EncryptAll        bool           `json:"encrypt_all"`
	CheckEvery        string         `json:"check_every"`
	LeaveOnServerDays int            `json:"leave_on_server_days"`
	Harvest           bool           `json:"harvest_digital_ids"`
	Bundled           bool           `json:"bundled"`
	DigitalIDs        []myIDView     `json:"digital_ids"`
	Warnings          []string       `json:"warnings"`
}

type myIDView struct {
	Fingerprint string    `json:"fingerprint_sha256"`
	Address     string    `json:"address"`
	NotAfter    time.Time `json:"not_after"`
	DaysLeft    int       `json:"days_left"`
	Current     bool      `json:"current"`
}

func runAccountShow(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "account show", "account show [--json]")
	asJSON := fs.Bool("json", false, "print one JSON object")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	return withApp(ctx, env, profileOptions{PassFile: *passFile}, func(a *app.App) (int, error) {
		s, err := a.Settings()
		if err != nil {
			return ExitError, err
		}
		v := accountView{Address: s.Account.Address, Name: s.Account.DisplayName, Profile: a.Profile.Dir, POP3: s.Account.POP3,
			SMTP: s.Account.SMTP, SignAll: s.Security.SignAll, EncryptAll: s.Security.EncryptAll,
			CheckEvery: time.Duration(s.CheckEvery).String(), LeaveOnServerDays: s.LeaveOnServerDays, Harvest: s.HarvestDigitalIDs,
			Bundled: s.Bundled, DigitalIDs: []myIDView{}, Warnings: []string{}}
		ids, err := a.Wallet.MyIDs()
		if err != nil {
			return ExitError, err
		}
		for _, id := range ids {
			v.DigitalIDs = append(v.DigitalIDs, myIDView{Fingerprint: id.Fingerprint, Address: id.Address,
				NotAfter: id.Certificate.NotAfter.UTC(), DaysLeft: id.DaysLeft(a.Now()), Current: id.Current})
		}
		ws, err := a.Expiring()
		if err != nil {
			return ExitError, err
		}
		for _, w := range ws {
			v.Warnings = append(v.Warnings, w.Sentence)
		}
		if *asJSON {
			return printJSON(env, v), nil
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintf(w, "Address\t%s\n", v.Address)
		fmt.Fprintf(w, "Name\t%s\n", v.Name)
		fmt.Fprintf(w, "Profile\t%s\n", v.Profile)
		fmt.Fprintf(w, "POP3\t%s (%s) as %s\n", v.POP3.Address, v.POP3.TLS, v.POP3.Username)
		fmt.Fprintf(w, "SMTP\t%s (%s) as %s\n", v.SMTP.Address, v.SMTP.TLS, v.SMTP.Username)
		fmt.Fprintf(w, "Sign all outgoing\t%s\n", yesNo(v.SignAll))
		fmt.Fprintf(w, "Encrypt all outgoing\t%s\n", yesNo(v.EncryptAll))
		fmt.Fprintf(w, "Check for mail every\t%s\n", v.CheckEvery)
		switch {
		case v.LeaveOnServerDays < 0:
			fmt.Fprintf(w, "On the server\tkept for ever\n")
		case v.LeaveOnServerDays == 0:
			fmt.Fprintf(w, "On the server\tdeleted once stored here\n")
		default:
			fmt.Fprintf(w, "On the server\tkept %d days\n", v.LeaveOnServerDays)
		}
		fmt.Fprintf(w, "Add Digital IDs of signed mail\t%s\n", yesNo(v.Harvest))
		for _, id := range v.DigitalIDs {
			cur := ""
			if id.Current {
				cur = " (current)"
			}
			fmt.Fprintf(w, "Digital ID%s\t%s, valid until %s (%d days left)\n", cur, id.Fingerprint, id.NotAfter.Format("2 January 2006"), id.DaysLeft)
		}
		w.Flush()
		for _, s := range v.Warnings {
			fmt.Fprintln(env.Stdout, "Warning:", s)
		}
		return ExitOK, nil
	})
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func runAccountSet(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "account set", "account set [--sign-all=true|false] [--encrypt-all=true|false] [--check-every 5m] [--leave-on-server-days N] [--harvest=true|false]")
	signAll := fs.Bool("sign-all", true, "digitally sign all outgoing messages")
	encryptAll := fs.Bool("encrypt-all", true, "encrypt contents and attachments for all outgoing messages")
	every := fs.Duration("check-every", 5*time.Minute, "how often the window checks for new mail (0: never)")
	leave := fs.Int("leave-on-server-days", 0, "keep fetched mail on the server N days (0: delete once stored here; -1: keep for ever)")
	harvest := fs.Bool("harvest", true, "add the Digital IDs of validly signed mail to the address book")
	passFile := keyFileFlag(fs)
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	return withApp(ctx, env, profileOptions{PassFile: *passFile}, func(a *app.App) (int, error) {
		s, err := a.Settings()
		if err != nil {
			return ExitError, err
		}
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "sign-all":
				s.Security.SignAll = *signAll
			case "encrypt-all":
				s.Security.EncryptAll = *encryptAll
			case "check-every":
				s.CheckEvery = profile.Duration(*every)
			case "leave-on-server-days":
				s.LeaveOnServerDays = *leave
			case "harvest":
				s.HarvestDigitalIDs = *harvest
			}
		})
		if *leave < -1 || *every < 0 {
			return Fail(env, ExitError, "--leave-on-server-days must be -1 or more and --check-every not negative"), nil
		}
		if err := a.SaveSettings(s); err != nil {
			return ExitError, err
		}
		fmt.Fprintln(env.Stdout, "Settings saved.")
		return ExitOK, nil
	})
}
