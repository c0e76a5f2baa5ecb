package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"securemail/app/compose"
	"securemail/app/digitalid"
	"securemail/app/profile"
	"securemail/internal/durable"
	"securemail/internal/filelock"
	"securemail/internal/safefile"
	"securemail/mailstore"
	"securemail/pop3client"
	"securemail/smime"
	"securemail/smime/identity"
	"securemail/smtpclient"
	"securemail/testaaddr"
)

// TestExplainSentences is what a user reads for every typed error, wrapped
// as the callers wrap it: the exact sentence, never a package prefix or Go
// error text.
func TestExplainSentences(t *testing.T) {
	dir := filepath.Join("profiles", "anna")
	file := filepath.Join(dir, "settings.json")
	accessDenied := &os.LinkError{Op: "rename", Old: file + ".tmp", New: file, Err: syscall.EACCES}
	const pop3 = "127.0.0.1:995"
	badCert := &x509.Certificate{Issuer: pkix.Name{CommonName: "Private Mail CA"}}
	_, badAddr := testaaddr.Parse("Marie Curie@tcn.f.eu-admin.net")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		// Files.
		{"file held by another program",
			fmt.Errorf("app: %w", fmt.Errorf("profile: %w", &durable.WriteError{Path: file, Err: &durable.LockedError{Path: file, Err: accessDenied}})),
			"The file " + file + " is open in another program (a virus scanner or indexer?); close it and try again."},
		{"permission refused",
			fmt.Errorf("app: %w", &durable.WriteError{Path: file, Err: &fs.PathError{Op: "open", Path: dir, Err: syscall.EACCES}}),
			"SecureMail may not write in the folder " + dir + " (it is read-only, or you lack permission); make it writable and try again."},
		{"disk full", &durable.WriteError{Path: file, Err: errDiskFull},
			"The disk holding " + dir + " is full; free some space and try again."},
		{"folder gone", &durable.WriteError{Path: file, Err: &fs.PathError{Op: "open", Path: dir, Err: fs.ErrNotExist}},
			"SecureMail could not write " + file + ": the folder no longer exists; check that its disk is connected and try again."},
		{"other write failure", &durable.WriteError{Path: dir, Folder: true, Err: errors.New("sync failed")},
			"SecureMail could not write " + dir + "; check the disk and try again."},
		{"mail store full", fmt.Errorf("app: %w", &mailstore.StorageError{Dir: "mail", Err: &durable.WriteError{Path: "mail/x", Err: errDiskFull}}),
			"The mail folder mail is full; free some space and try again — nothing was lost."},
		{"mail store read-only", &mailstore.StorageError{Dir: "mail", ReadOnly: true},
			"The mail folder mail cannot be written (it is read-only, or SecureMail lacks permission); make it writable and try again — nothing was lost."},
		{"path too long", &safefile.FolderTooLongError{Dir: `C:\deep`},
			`The path of the folder C:\deep is too long for a file to be saved in it (Windows allows 259 characters in all); choose a folder with a shorter path.`},
		{"folder full of copies", &safefile.FolderFullError{Dir: "Downloads", Name: "a.pdf"},
			"The folder Downloads already holds too many files named like a.pdf; choose another folder."},
		{"lock held", &filelock.HeldError{Path: "x/.lock"}, "The file x/.lock is locked by another program; close the other SecureMail, or the program holding it, and try again."},
		{"profile in use", &profile.InUseError{Dir: dir},
			"The profile folder " + dir + " is already open in another SecureMail window; use that window, or close it and start SecureMail again."},
		// The core's own.
		{"no account", fmt.Errorf("app: %w", profile.ErrNoAccount), "No account is set up yet; run the first-run wizard or 'securemail account setup'."},
		{"problem", fmt.Errorf("app: %w", refusal(sentence("app.Setup.pop3PasswordEmpty", "The POP3 password is empty", "type the password of your mailbox", nil))),
			"The POP3 password is empty; type the password of your mailbox."},
		{"problem with a cause", because(sentence("app.Fetch.failed", "Mail could not be fetched", "", nil), &pop3client.Error{Command: "PASS", Code: "AUTH", Text: "no"}),
			`Mail could not be fetched: the POP3 server refused the login: it answered "[AUTH] no"; check the user name and password.`},
		{"problem with its own advice", &Problem{What: "3 messages are still waiting in the Outbox", Do: "they will be sent at the next send or fetch — nothing is lost",
			Err: &smtpclient.ConnError{Step: "connect", Addr: "127.0.0.1:587", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}},
			"3 messages are still waiting in the Outbox: connection refused by 127.0.0.1:587: no server is listening there; they will be sent at the next send or fetch — nothing is lost."},
		{"no Digital ID for a recipient", &NoDigitalIDError{Recipients: []MissingID{{Address: "Jan.Novak@tcn.cz.eu-admin.net", Reason: "has no Digital ID yet"}}},
			"This message cannot be encrypted: Jan.Novak@tcn.cz.eu-admin.net has no Digital ID yet; ask them for their Digital ID (secure link), or send without encryption."},
		{"servers' CA file", &ServerCAError{Err: fmt.Errorf("identity: %w", identity.ErrNoCertificates)},
			"The servers' CA file cannot be read (This file holds no Digital ID certificate (.cer, .crt, .pem or .p7b), or it is damaged); open the PEM or DER file of the authority that issued your mail servers' certificates."},
		{"server address", &AddressError{Protocol: POP3, Address: "mail"},
			`The POP3 server "mail" is not written as host:port; give it as name:port, for example mail.example.eu-admin.net:995.`},
		{"TESTA address", fmt.Errorf("app: %w", badAddr),
			`"Marie Curie@tcn.f.eu-admin.net" is not a valid TESTA address: it contains a space; remove it (write Firstname.Surname, joined by a dot).`},
		{"Digital ID password", fmt.Errorf("app: %w", identity.ErrWrongPassword),
			"The password of the Digital ID file is wrong; type the password that came with the file."},
		{"message too complex", &smime.LimitError{What: "MIME parts", Limit: 1000},
			"This message has more than 1000 MIME parts, far more than any real message; SecureMail stopped reading it so that no message can make it hang; ask the sender to send it again in a simpler form."},
		// Servers.
		{"DNS", &pop3client.ConnError{Step: "connect", Addr: "mail.invalid:995", Err: &net.DNSError{Name: "mail.invalid", Err: "no such host", IsNotFound: true}},
			`The server name "mail.invalid" cannot be found (DNS); check its spelling, and that this computer is on the network that knows it (TESTA names are known only inside TESTA).`},
		{"refused", fmt.Errorf("app: cannot fetch mail: %w", &pop3client.ConnError{Step: "connect", Addr: pop3, Err: &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}),
			"Connection refused by " + pop3 + ": no server is listening there; check the address and port."},
		{"timeout", &smtpclient.ConnError{Step: "greeting", Addr: "127.0.0.1:587", Err: context.DeadlineExceeded},
			"127.0.0.1:587 did not answer in time during the greeting; check that the address and port are those of an SMTP server, and that it is not overloaded."},
		{"cancelled", &smtpclient.ConnError{Step: "connect", Addr: "127.0.0.1:587", Err: context.Canceled},
			"The connect with 127.0.0.1:587 was cancelled."},
		{"unknown CA", &pop3client.ConnError{Step: "TLS handshake", Addr: pop3, Host: "127.0.0.1", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{Cert: badCert}}},
			`The server's certificate is not trusted for 127.0.0.1: it was issued by "CN=Private Mail CA", which is not among the trusted authorities; give the CA certificate that issued it (the servers' CA file).`},
		{"wrong host name", &smtpclient.ConnError{Step: "TLS handshake", Addr: "127.0.0.1:465", Host: "mail.example", Err: x509.HostnameError{Certificate: &x509.Certificate{DNSNames: []string{"other.example"}}, Host: "mail.example"}},
			"The server's certificate is not valid for mail.example (it is for other.example); connect using a name the certificate lists."},
		{"not TLS", &pop3client.ConnError{Step: "TLS handshake", Addr: "127.0.0.1:110", Err: tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}},
			"127.0.0.1:110 did not answer with TLS during the TLS handshake; if it is a plain POP3 port, choose starttls rather than implicit TLS."},
		{"closed", &smtpclient.ConnError{Step: "EHLO", Addr: "127.0.0.1:25", Err: io.EOF},
			"127.0.0.1:25 closed the connection during the EHLO; check that it is an SMTP server and that the TLS mode is right, then try again."},
		{"STLS not offered", fmt.Errorf("%w (it answered %q)", pop3client.ErrTLSNotOffered, "no"),
			"The POP3 server does not offer STLS, so the connection cannot be encrypted; choose implicit TLS if this is an implicit-TLS port (995), or ask the server's administrator to enable STLS."},
		{"password in clear", smtpclient.ErrCleartextAuth,
			"SecureMail does not send your password over a connection without TLS; choose starttls or implicit TLS; only on a test network, allow a cleartext login explicitly."},
		{"POP3 login refused", &pop3client.Error{Command: "PASS", Code: "AUTH", Text: "Authentication failed."},
			`The POP3 server refused the login: it answered "[AUTH] Authentication failed."; check the user name and password.`},
		{"POP3 mailbox in use", &pop3client.Error{Command: "PASS", Code: "IN-USE", Text: "locked"},
			`The POP3 server refused the login: it answered "[IN-USE] locked"; try again in a few minutes.`},
		{"SMTP login refused", &smtpclient.Error{Command: "AUTH", Code: 535, EnhancedCode: smtpclient.EnhancedCode{5, 7, 8}, Message: "bad"},
			`The SMTP server refused the login: it answered "535 5.7.8 bad"; check the user name and password.`},
		{"recipient refused for now", smtpclient.RecipientError{Recipient: "a@b", Err: &smtpclient.Error{Command: "RCPT TO", Address: "a@b", Code: 450, Message: "busy"}},
			`The server refused the recipient <a@b>: it answered "450 busy"; this is temporary: try again later.`},
		{"every recipient refused", fmt.Errorf("smtp: %w: %w", smtpclient.ErrAllRefused, &smtpclient.Error{Command: "RCPT TO", Address: "a@b", Code: 550, EnhancedCode: smtpclient.EnhancedCode{5, 1, 1}, Message: "no such person"}),
			`The server refused every recipient, so nothing was sent: <a@b> (550 5.1.1 no such person); correct the addresses and send again.`},
		{"message too large", fmt.Errorf("app: %w", smtpclient.ErrTooLarge),
			"The message is larger than the server accepts; remove attachments or send them in several messages."},
		{"bare connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED},
			"A server did not answer; check the network connection and try again; mail waiting to be sent stays in the Outbox."},
		{"Digital ID refused", fmt.Errorf("app: %w", &digitalid.RefusedError{Reason: "The Digital ID expired on 2 February 2026."}),
			"This Digital ID cannot be used: the Digital ID expired on 2 February 2026; ask for a current Mail.pfx issued for your account."},
		{"subject on two lines", fmt.Errorf("app: %w", compose.ErrSubjectLines), "The subject must be one line; remove the line breaks from it."},
		{"not a root", fmt.Errorf("app: %w", &digitalid.AuthorityError{Name: "EC CA", Issuer: "Root CA", Kind: digitalid.NotRoot}),
			`"EC CA" is not a root authority (it was issued by "Root CA"); open the Root CA file here, and the EC CA in the next step.`},
		{"Digital ID of another", &digitalid.AccountMismatchError{IDFor: "a@tcn.b.eu-admin.net", Account: "b@tcn.b.eu-admin.net"},
			"This Digital ID is for a@tcn.b.eu-admin.net, but your account is b@tcn.b.eu-admin.net, so you cannot sign or encrypt with it; ask for a Mail.pfx issued for b@tcn.b.eu-admin.net."},
		// Not typed: one sentence without the package name, the chain or errno text.
		{"untyped", fmt.Errorf("mailstore: index: %w", errors.New("frobnicated")), "SecureMail could not finish this; try again; if it happens again, report it with the time it happened (the details are in the log)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Explain(tc.err).String(); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestExplainCoversEverySentinel: every sentinel in the table gets its own
// sentence, starting with a capital, with no package prefix, and no two
// errors of different meaning read the same.
func TestExplainCoversEverySentinel(t *testing.T) {
	for _, e := range sentinelSentences {
		s := Explain(fmt.Errorf("app: %w", e.err))
		if !reflect.DeepEqual(s, e.s) {
			t.Errorf("%v: got %+v, want %+v", e.err, s, e.s)
		}
		if s.What == "" || strings.ToUpper(s.What[:1]) != s.What[:1] || strings.HasSuffix(s.What, ".") || strings.HasSuffix(s.Do, ".") {
			t.Errorf("%v: %q breaks the wording rules (docs/UX.md §8)", e.err, s)
		}
		if strings.Contains(s.String(), e.err.Error()) && strings.Contains(e.err.Error(), ": ") {
			t.Errorf("%v: the sentence repeats the error's text", e.err)
		}
		if !Explains(e.err) {
			t.Errorf("Explains(%v) is false", e.err)
		}
	}
	if Explains(errors.New("x")) || Explains(nil) {
		t.Error("Explains is true for an untyped error")
	}
}
