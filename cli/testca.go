package cli

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"time"

	"securemail/smime/crl"
	"securemail/smime/identity"
	"securemail/testaaddr"
	"securemail/testnet/testca"
)

func runTestCA(ctx context.Context, env *Env, args []string) int {
	return subcommands(ctx, env, "testca", args, map[string]command{
		"issue":  {"issue a Digital ID and write the seed's handout (Root_CA.cer, EC_CA.cer, Mail.pfx, password.txt)", runTestCAIssue},
		"revoke": {"revoke Digital IDs and publish a new CRL (EC_CA.crl)", runTestCARevoke},
	})
}

const testCAIssueSynopsis = `testca issue --ca CADIR --out DIR --email ADDR [--password PW] [--days 30] [--key rsa2048|rsa4096|p256] [--legacy] [--any-address]

Issues a test Digital ID for ADDR from the test CA kept in CADIR (created on
first use, then reused, so every tester shares one Root CA) and writes the
handout the seed describes into DIR: Root_CA.cer and EC_CA.cer (DER),
Mail.pfx and password.txt. The password is never printed; it is only in
password.txt (random unless --password is given).

Exit status: 0 the handout was written; 2 a usage error (such as an address
outside the TESTA syntax) or a local problem (a folder that cannot be written).`

// runTestCAIssue implements `securemail testca issue`.
func runTestCAIssue(_ context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "testca issue", testCAIssueSynopsis)
	caDir := fs.String("ca", "", "folder keeping the test CA (required; created on first use)")
	outDir := fs.String("out", "", "folder to write the handout into (required)")
	email := fs.String("email", "", "the tester's address, Firstname.Surname@tcn.<cc>.eu-admin.net (required)")
	password := fs.String("password", "", "password of Mail.pfx (default: a random one, written to password.txt)")
	days := fs.Int("days", 30, "days the Digital ID is valid (the seed's test IDs live one month)")
	key := fs.String("key", "rsa2048", "key type: rsa2048, rsa4096 or p256")
	legacy := fs.Bool("legacy", false, "write Mail.pfx with 3DES and a SHA-1 MAC, for gpgsm and old Windows")
	anyAddress := fs.Bool("any-address", false, "issue for an address outside the TESTA syntax")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return Fail(env, ExitError, "testca issue: unexpected argument %q; run 'securemail testca issue --help'", fs.Arg(0))
	}
	for _, req := range []struct{ name, value string }{{"--ca CADIR", *caDir}, {"--out DIR", *outDir}, {"--email ADDR", *email}} {
		if req.value == "" {
			return Fail(env, ExitError, "testca issue: %s is required; run 'securemail testca issue --help'", req.name)
		}
	}
	if _, err := testaaddr.Parse(*email); err != nil && !*anyAddress {
		return Fail(env, ExitError, "testca issue: %v (use --any-address to issue it anyway)", err)
	}
	if *days < 1 || *days > 3650 {
		return Fail(env, ExitError, "testca issue: --days must be between 1 and 3650, not %d", *days)
	}
	keyType := testca.KeyType(strings.ToLower(*key))
	switch keyType {
	case testca.RSA2048, testca.RSA4096, testca.P256, testca.P384:
	default:
		return Fail(env, ExitError, "testca issue: --key must be rsa2048, rsa4096 or p256, not %q", *key)
	}

	ca, err := testca.Open(*caDir)
	if err != nil {
		return Fail(env, ExitError, "%v", err)
	}
	h, err := ca.Handout(testca.IssueOptions{Email: *email, Key: keyType, Days: *days}, *password, *legacy)
	if err != nil {
		return Fail(env, ExitError, "cannot issue the Digital ID: %v", err)
	}
	if err := testca.WriteHandout(*outDir, h); err != nil {
		return Fail(env, ExitError, "%v", err)
	}

	form := "AES-256, as OpenSSL 3 writes"
	if *legacy {
		form = "3DES with a SHA-1 MAC, for gpgsm and old Windows"
	}
	w := env.Stdout
	fmt.Fprintf(w, "Wrote the Digital ID handout for %s:\n", identity.Address(h.Certificate))
	for _, f := range []struct{ name, what string }{
		{testca.RootCAFile, "Root CA: install it as a trusted authority"},
		{testca.ECCAFile, "EC CA: the intermediate authority"},
		{testca.MailPFXFile, "your Digital ID (PKCS #12, " + form + ")"},
		{testca.PasswordFile, "the password of Mail.pfx"},
	} {
		fmt.Fprintf(w, "  %-40s %s\n", filepath.Join(*outDir, f.name), f.what)
	}
	fmt.Fprintf(w, "Address:               %s\n", identity.Address(h.Certificate))
	fmt.Fprintf(w, "Valid until:           %s\n", h.Certificate.NotAfter.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "Issued by:             %s\n", h.Certificate.Issuer.CommonName)
	fmt.Fprintf(w, "Fingerprint (SHA-256): %s\n", identity.Fingerprint(h.Certificate))
	return ExitOK
}

const testCARevokeSynopsis = `testca revoke --ca CADIR (--email ADDR | --serial N) [--reason keyCompromise|superseded|…]

Revokes the Digital IDs the test CA in CADIR issued for ADDR (every one), or
the one with serial number N (hex, as OpenSSL prints it, or decimal with a
0d prefix), records the revocation in CADIR and issues a new CRL,
CADIR/EC_CA.crl (DER, signed by the EC CA, current for 7 days). The bundled
network serves that file at the distribution point written into its Digital
IDs, so clients see the revocation the next time they fetch the list.

Exit status: 0 the CRL was written; 2 a usage error, nothing issued matches,
or the folder cannot be written.`

// runTestCARevoke implements `securemail testca revoke`.
func runTestCARevoke(_ context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "testca revoke", testCARevokeSynopsis)
	caDir := fs.String("ca", "", "folder keeping the test CA (required)")
	email := fs.String("email", "", "revoke every Digital ID issued for this address")
	serial := fs.String("serial", "", "revoke the Digital ID with this serial number (hex)")
	reasonName := fs.String("reason", "unspecified", "why: "+crl.ReasonNames())
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return Fail(env, ExitError, "testca revoke: unexpected argument %q; run 'securemail testca revoke --help'", fs.Arg(0))
	}
	if *caDir == "" {
		return Fail(env, ExitError, "testca revoke: --ca CADIR is required; run 'securemail testca revoke --help'")
	}
	if (*email == "") == (*serial == "") {
		return Fail(env, ExitError, "testca revoke: give either --email ADDR or --serial N")
	}
	reason, err := crl.ParseReason(*reasonName)
	if err != nil {
		return Fail(env, ExitError, "testca revoke: --reason %q is not a revocation reason; use one of %s", *reasonName, crl.ReasonNames())
	}
	sel := testca.Select{Email: strings.TrimSpace(*email)}
	if *serial != "" {
		n, ok := parseSerial(*serial)
		if !ok {
			return Fail(env, ExitError, "testca revoke: --serial %q is not a serial number (hex digits, as OpenSSL prints it)", *serial)
		}
		sel.Serial = n
	}
	ca, err := testca.OpenExisting(*caDir)
	if err != nil {
		return Fail(env, ExitError, "%v", err)
	}
	revs, err := ca.Revoke(sel, reason, time.Now())
	if errors.Is(err, testca.ErrNotIssued) {
		what := sel.Email
		if sel.Serial != nil {
			what = "serial " + *serial
		}
		return Fail(env, ExitError, "testca revoke: the CA in %s has issued no Digital ID for %s; nothing was revoked", *caDir, what)
	}
	if err != nil {
		return Fail(env, ExitError, "cannot revoke: %v", err)
	}
	if len(revs) == 0 {
		fmt.Fprintln(env.Stdout, "Already revoked; the CRL was issued again with the first revocation's date and reason.")
	}
	for _, r := range revs {
		fmt.Fprintf(env.Stdout, "Revoked %s (serial %s) on %s: %s.\n", r.Email, r.Serial, r.At.Format("2006-01-02 15:04 MST"), r.Reason)
	}
	fmt.Fprintf(env.Stdout, "New CRL: %s\n", filepath.Join(*caDir, testca.CRLFile))
	if ca.CRLURL != "" {
		fmt.Fprintf(env.Stdout, "Published at: %s (by the bundled network)\n", ca.CRLURL)
	}
	return ExitOK
}

// parseSerial reads a serial number: hex (colons allowed, as OpenSSL
// prints them), or decimal after "0d".
func parseSerial(s string) (*big.Int, bool) {
	s = strings.TrimSpace(s)
	if d, ok := strings.CutPrefix(s, "0d"); ok {
		return new(big.Int).SetString(d, 10)
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	return new(big.Int).SetString(strings.ReplaceAll(s, ":", ""), 16)
}
