package cli

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"securemail/app"
	"securemail/internal/bigbuf"
	"securemail/smime"
	"securemail/smime/crl"
	"securemail/smime/envelope"
	"securemail/smime/identity"
)

// runSMIME dispatches `securemail smime sign|encrypt|open|export-p7b`. Each
// reads a raw RFC 5322 message on stdin and writes its result on stdout.
func runSMIME(ctx context.Context, env *Env, args []string) int {
	return subcommands(ctx, env, "smime", args, map[string]command{
		"sign":       {"sign the message on stdin with a Digital ID (.pfx)", runSMIMESign},
		"encrypt":    {"encrypt the message on stdin for recipients' Digital IDs", runSMIMEEncrypt},
		"open":       {"decrypt and verify the message on stdin; print the JSON report", runSMIMEOpen},
		"export-p7b": {"write a Digital ID's certificate and chain as .p7b (never the key)", runSMIMEExportP7B},
	})
}

func runSMIMESign(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "smime sign", "smime sign --pfx FILE --password-file FILE [--opaque] [--digest sha256|sha384|sha512] < message > signed")
	pfx := fs.String("pfx", "", "your Digital ID (.pfx or .p12 file)")
	pwFile := fs.String("password-file", "", "file holding the Digital ID's password")
	opaque := fs.Bool("opaque", false, "make an opaque signed message (application/pkcs7-mime) instead of multipart/signed")
	digest := fs.String("digest", "sha256", "digest: sha256, sha384 or sha512")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	h, ok := map[string]crypto.Hash{"sha256": crypto.SHA256, "sha384": crypto.SHA384, "sha512": crypto.SHA512}[strings.ToLower(*digest)]
	if !ok {
		return Fail(env, ExitError, "--digest must be sha256, sha384 or sha512, not %q", *digest)
	}
	id, code := loadIdentity(env, *pfx, *pwFile)
	if id == nil {
		return code
	}
	msg, err := readMessage(ctx, env)
	if err != nil {
		return failRead(env, err)
	}
	out := &resultWriter{w: env.Stdout}
	if err := smime.SignMessageTo(out, msg, id, smime.SignOptions{Opaque: *opaque, Digest: h}); err != nil {
		return out.fail(env, err)
	}
	return ExitOK
}

func runSMIMEEncrypt(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "smime encrypt", "smime encrypt --to CERT [--to CERT…] [--self CERT] [--cipher aes256-cbc|aes128-cbc|aes256-gcm|aes128-gcm] < message > encrypted")
	var to StringList
	fs.Var(&to, "to", "a recipient's Digital ID (PEM, DER or .p7b); repeat for each recipient")
	self := fs.String("self", "", "your own Digital ID certificate, so that you can read the message later")
	cipherName := fs.String("cipher", "aes256-cbc", "content cipher: aes256-cbc, aes128-cbc, aes256-gcm or aes128-gcm")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	c, ok := cipherByName(*cipherName)
	if !ok {
		return Fail(env, ExitError, "--cipher must be aes256-cbc, aes128-cbc, aes256-gcm or aes128-gcm, not %q", *cipherName)
	}
	if len(to) == 0 {
		return Fail(env, ExitError, "name at least one recipient with --to CERT; run 'securemail smime encrypt --help'")
	}
	files := append([]string(nil), to...)
	if *self != "" {
		files = append(files, *self)
	}
	var recipients []*x509.Certificate
	for _, f := range files {
		certs, err := readCertificates(f)
		if err != nil {
			return Fail(env, ExitError, "%v", err)
		}
		recipients = append(recipients, certs[0]) // the first is the person's own
	}
	msg, err := readMessage(ctx, env)
	if err != nil {
		return failRead(env, err)
	}
	out := &resultWriter{w: env.Stdout}
	if err := smime.EncryptMessageTo(out, msg, recipients, smime.EncryptOptions{Cipher: c}); err != nil {
		return out.fail(env, err)
	}
	return ExitOK
}

func runSMIMEOpen(ctx context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "smime open", "smime open [--pfx FILE --password-file FILE] --trust CERT [--trust CERT…] [--at RFC3339] [--crl FILE…] < message > report.json")
	var pfxs, pwFiles, trusted, inters, crls StringList
	fs.Var(&pfxs, "pfx", "your Digital ID (.pfx or .p12) to decrypt with; may be repeated")
	fs.Var(&pwFiles, "password-file", "file holding the password of each --pfx (one for all, or one per --pfx)")
	fs.Var(&trusted, "trust", "a trusted authority's certificate (PEM, DER or .p7b); may be repeated")
	fs.Var(&inters, "intermediate", "an intermediate authority's certificate not carried by the message; may be repeated")
	fs.Var(&crls, "crl", "a certificate revocation list (DER or PEM) to judge with; may be repeated (nothing is fetched)")
	at := fs.String("at", "", "judge the signature at this moment (RFC 3339) instead of now")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	opts := smime.OpenOptions{}
	for _, f := range crls {
		b, err := os.ReadFile(f)
		if err != nil {
			return Fail(env, ExitError, "cannot read the revocation list %s: %v", f, errors.Unwrap(err))
		}
		l, err := crl.Parse(b)
		if err != nil {
			return Fail(env, ExitError, "%s is not a certificate revocation list (DER or PEM)", f)
		}
		opts.CRLs = append(opts.CRLs, l)
	}
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return Fail(env, ExitError, "--at must be a moment such as 2026-05-01T12:00:00Z, not %q", *at)
		}
		opts.Now = t
	}
	if len(pwFiles) > 1 && len(pwFiles) != len(pfxs) {
		return Fail(env, ExitError, "give one --password-file for all --pfx files, or one per --pfx")
	}
	for i, p := range pfxs {
		if len(pwFiles) == 0 {
			return Fail(env, ExitError, "--pfx needs --password-file with the Digital ID's password")
		}
		pw := pwFiles[0]
		if len(pwFiles) > 1 {
			pw = pwFiles[i]
		}
		id, code := loadIdentity(env, p, pw)
		if id == nil {
			return code
		}
		opts.Keys = append(opts.Keys, envelope.Key{Certificate: id.Certificate, PrivateKey: id.PrivateKey})
		opts.Intermediates = append(opts.Intermediates, id.Chain...)
	}
	for _, f := range trusted {
		certs, err := readCertificates(f)
		if err != nil {
			return Fail(env, ExitError, "%v", err)
		}
		opts.Roots = append(opts.Roots, certs...)
	}
	for _, f := range inters {
		certs, err := readCertificates(f)
		if err != nil {
			return Fail(env, ExitError, "%v", err)
		}
		opts.Intermediates = append(opts.Intermediates, certs...)
	}
	msg, err := readMessage(ctx, env)
	if err != nil {
		return failRead(env, err)
	}
	// The message is not needed afterwards: open it in its own buffer.
	report, openErr := smime.OpenInPlace(ctx, msg, opts)
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(report); err != nil {
		return Fail(env, ExitError, "cannot write the report: %v", err)
	}
	switch {
	case openErr != nil:
		return Fail(env, ExitError, "%s", report.Error)
	case report.Signature != smime.StatusValid && report.Signature != smime.StatusNone:
		return ExitNegative
	}
	return ExitOK
}

func runSMIMEExportP7B(_ context.Context, env *Env, args []string) int {
	fs := NewFlagSet(env, "smime export-p7b", "smime export-p7b --pfx FILE --password-file FILE > my-id.p7b")
	pfx := fs.String("pfx", "", "your Digital ID (.pfx or .p12 file)")
	pwFile := fs.String("password-file", "", "file holding the Digital ID's password")
	if code, done := ParseFlags(env, fs, args); done {
		return code
	}
	id, code := loadIdentity(env, *pfx, *pwFile)
	if id == nil {
		return code
	}
	p7b, err := identity.EncodeP7B(append([]*x509.Certificate{id.Certificate}, id.Chain...))
	if err != nil {
		return Fail(env, ExitError, "cannot write the .p7b: %v", err)
	}
	return writeOut(env, p7b)
}

// loadIdentity opens a .pfx with the password in a file. On failure it
// returns nil and the exit status, having said why on stderr.
func loadIdentity(env *Env, pfx, pwFile string) (*identity.Identity, int) {
	if pfx == "" || pwFile == "" {
		return nil, Fail(env, ExitError, "give your Digital ID with --pfx FILE and its password with --password-file FILE")
	}
	data, err := os.ReadFile(pfx)
	if err != nil {
		return nil, Fail(env, ExitError, "cannot read the Digital ID file %s: %v", pfx, errors.Unwrap(err))
	}
	pw, err := ReadSecretFile(pwFile)
	if err != nil {
		return nil, Fail(env, ExitError, "%v", err)
	}
	id, err := identity.ParsePFX(data, pw)
	switch {
	case errors.Is(err, identity.ErrWrongPassword):
		return nil, Fail(env, ExitError, "the password in %s does not open the Digital ID %s; check that you have the password delivered with it", pwFile, pfx)
	case err != nil:
		return nil, Fail(env, ExitError, "cannot use the Digital ID %s: %v", pfx, err)
	}
	return id, ExitOK
}

// readCertificates reads a certificate file in PEM, DER or .p7b form.
func readCertificates(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the certificate file %s: %w", path, errors.Unwrap(err))
	}
	certs, err := identity.ParseCertificates(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", path, app.Explain(err).Inline())
	}
	return certs, nil
}

// cipherByName maps the CLI's cipher names (and OpenSSL's spelling) to the
// envelope package's.
func cipherByName(name string) (envelope.Cipher, bool) {
	switch strings.ToLower(strings.ReplaceAll(name, "-", "")) {
	case "aes256cbc":
		return envelope.AES256CBC, true
	case "aes128cbc":
		return envelope.AES128CBC, true
	case "aes256gcm":
		return envelope.AES256GCM, true
	case "aes128gcm":
		return envelope.AES128GCM, true
	}
	return "", false
}

// readMessage reads the message on stdin in one allocation when its size is
// known (a file or a pipe from a file), else in pieces (bigbuf.ReadAll:
// io.ReadAll's single-step copies of a growing buffer kept SIGTERM waiting
// for up to 1.7 s on 100 MB), and lowers the garbage collector's
// headroom: S/MIME holds a few message-sized buffers at once, and the
// default (heap may double before a collection) would make peak memory
// several times the message size.
//
// It returns ctx's error as soon as ctx is done (SIGTERM, Ctrl-C), even
// while a pipe keeps it waiting: the read then goes on in the background,
// stopping at its next piece, until the process exits, which is what a
// command does next.
func readMessage(ctx context.Context, env *Env) ([]byte, error) {
	debug.SetGCPercent(25)
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		if f, ok := env.Stdin.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
				buf := make([]byte, st.Size())
				_, err := io.ReadFull(f, buf)
				done <- result{buf, err}
				return
			}
		}
		b, err := bigbuf.ReadAll(ctx, env.Stdin, 0)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// failRead reports why readMessage failed: interrupted (SIGTERM or Ctrl-C)
// or the input could not be read.
func failRead(env *Env, err error) int {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return Fail(env, ExitError, "stopped before the whole message was read from standard input: the command was interrupted, and wrote nothing")
	}
	return Fail(env, ExitError, "cannot read the message from standard input: %v", err)
}

// resultWriter passes the result to standard output as the smime package
// streams it, and remembers a failed write so that the user reads "cannot
// write the result", not a signing or encryption error. The package does
// every check before its first write, so a refusal prints nothing.
type resultWriter struct {
	w   io.Writer
	err error
}

func (rw *resultWriter) Write(b []byte) (int, error) {
	n, err := rw.w.Write(b)
	if err != nil && rw.err == nil {
		rw.err = err
	}
	return n, err
}

// fail reports err, or the failed write behind it.
func (rw *resultWriter) fail(env *Env, err error) int {
	if rw.err != nil {
		return Fail(env, ExitError, "cannot write the result: %v", rw.err)
	}
	return Fail(env, ExitError, "%v", err)
}

func writeOut(env *Env, out []byte) int {
	if _, err := env.Stdout.Write(out); err != nil {
		return Fail(env, ExitError, "cannot write the result: %v", err)
	}
	return ExitOK
}
