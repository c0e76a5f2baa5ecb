package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"path/filepath"
	"strings"
	"syscall"

	"securemail/app/addressbook"
	"securemail/app/compose"
	"securemail/app/digitalid"
	"securemail/app/keystore"
	"securemail/app/profile"
	"securemail/app/revocation"
	"securemail/internal/durable"
	"securemail/internal/filelock"
	"securemail/internal/mailnet"
	"securemail/internal/safefile"
	"securemail/mailstore"
	"securemail/pop3client"
	"securemail/smime"
	"securemail/smime/crl"
	"securemail/smime/envelope"
	"securemail/smime/identity"
	"securemail/smime/sign"
	"securemail/smtpclient"
	"securemail/testaaddr"
)

// Sentence is an error worded for the user: What happened, and what to Do
// about it (empty when there is nothing to do). docs/UX.md §8 gives the
// wording rules.
type Sentence struct {
	// Key names the sentence in the window's translation files
	// (ui/i18n/translations: "sentence.<Key>.what" and ".do"); "" when the
	// sentence has variable parts and no translation yet. The CLI, the JSON
	// and the logs use What and Do, always English.
	Key  string
	What string // starts with a capital, no final full stop
	Do   string // an instruction starting in lower case, no final full stop; may be ""
}

// String is the sentence as shown: "What; do." or "What.".
func (s Sentence) String() string { return s.Inline() + "." }

// Inline is the sentence without its final full stop, to go inside a
// longer line: "What; do".
func (s Sentence) Inline() string {
	if s.Do == "" {
		return s.What
	}
	return s.What + "; " + s.Do
}

// Explain words err for the user — the one place where the window and the
// command line get their error sentences. It recognises the typed errors of
// the engines (errors.As / errors.Is through any wrapping); an error it does
// not know reads as a general sentence without its internals (package
// names, error chains, errno texts); its own text goes to the log only.
func Explain(err error) Sentence {
	if err == nil {
		return Sentence{}
	}
	if s, ok := explainKnown(err); ok {
		return s
	}
	log.Printf("securemail: an error without a sentence in app.Explain: %v", err)
	return unexplained
}

// unexplained is the sentence for an error Explain does not know.
var unexplained = Sentence{Key: "app.unexplained", What: "SecureMail could not finish this",
	Do: "try again; if it happens again, report it with the time it happened (the details are in the log)"}

// Explains reports whether Explain words err from its type (rather than
// showing its text).
func Explains(err error) bool {
	_, ok := explainKnown(err)
	return err != nil && ok
}

func explainKnown(err error) (Sentence, bool) {
	for _, f := range []func(error) (Sentence, bool){
		explainApp, explainStorage, explainNetwork, explainServerReply, explainSecurity,
	} {
		if s, ok := f(err); ok {
			return s, true
		}
	}
	for _, e := range sentinelSentences {
		if errors.Is(err, e.err) {
			return e.s, true
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return Sentence{Key: "context.Canceled", What: "Cancelled"}, true
	case errors.Is(err, context.DeadlineExceeded):
		return Sentence{Key: "context.DeadlineExceeded", What: "This took too long and was stopped", Do: "try again"}, true
	}
	return Sentence{}, false
}

// explainApp words the core's own typed errors.
func explainApp(err error) (Sentence, bool) {
	var (
		problem *Problem
		noID    *NoDigitalIDError
		caErr   *ServerCAError
		addrErr *AddressError
		inUse   *profile.InUseError
		tooLong *safefile.FolderTooLongError
		full    *safefile.FolderFullError
		held    *filelock.HeldError
		invalid *testaaddr.InvalidError
		auth    *digitalid.AuthorityError
		mism    *digitalid.AccountMismatchError
		refused *digitalid.RefusedError
	)
	switch {
	case errors.As(err, &problem):
		if problem.Err == nil {
			return Sentence{What: problem.What, Do: problem.Do}, true
		}
		cause := Explain(problem.Err)
		do := problem.Do
		if do == "" {
			do = cause.Do
		}
		return Sentence{What: problem.What + ": " + lowerFirst(cause.What), Do: do}, true
	case errors.As(err, &noID):
		var who string
		for i, m := range noID.Recipients {
			if i > 0 {
				who += "; "
			}
			who += m.Address + " " + m.Reason
		}
		return Sentence{What: "This message cannot be encrypted: " + who,
			Do: "ask them for their Digital ID (secure link), or send without encryption"}, true
	case errors.As(err, &caErr):
		return Sentence{What: "The servers' CA file cannot be read (" + Explain(caErr.Err).What + ")",
			Do: "open the PEM or DER file of the authority that issued your mail servers' certificates"}, true
	case errors.As(err, &addrErr):
		return Sentence{What: fmt.Sprintf("The %s server %q is not written as host:port", addrErr.Protocol, addrErr.Address),
			Do: "give it as name:port, for example mail.example.eu-admin.net:995"}, true
	case errors.As(err, &auth):
		switch auth.Kind {
		case digitalid.NotRoot:
			return Sentence{What: fmt.Sprintf("%q is not a root authority (it was issued by %q)", auth.Name, auth.Issuer),
				Do: "open the Root CA file here, and the EC CA in the next step"}, true
		case digitalid.Expired:
			return Sentence{What: fmt.Sprintf("The authority %q expired on %s", auth.Name, auth.NotAfter.Format("2 January 2006")),
				Do: "ask for a current Root CA"}, true
		default:
			return Sentence{What: fmt.Sprintf("%q was not issued by an authority you trust", auth.Name),
				Do: "open the EC CA that came with your Root CA"}, true
		}
	case errors.As(err, &refused):
		return Sentence{What: "This Digital ID cannot be used: " + lowerFirst(strings.TrimSuffix(strings.TrimSpace(refused.Reason), ".")),
			Do: "ask for a current Mail.pfx issued for your account"}, true
	case errors.As(err, &mism):
		return Sentence{What: fmt.Sprintf("This Digital ID is for %s, but your account is %s, so you cannot sign or encrypt with it", mism.IDFor, mism.Account),
			Do: "ask for a Mail.pfx issued for " + mism.Account}, true
	case errors.As(err, &inUse):
		return Sentence{What: fmt.Sprintf("The profile folder %s is already open in another SecureMail window", inUse.Dir),
			Do: "use that window, or close it and start SecureMail again"}, true
	case errors.As(err, &tooLong):
		return Sentence{What: fmt.Sprintf("The path of the folder %s is too long for a file to be saved in it (Windows allows %d characters in all)", tooLong.Dir, safefile.MaxPath),
			Do: "choose a folder with a shorter path"}, true
	case errors.As(err, &full):
		return Sentence{What: fmt.Sprintf("The folder %s already holds too many files named like %s", full.Dir, full.Name),
			Do: "choose another folder"}, true
	case errors.As(err, &held):
		return Sentence{What: fmt.Sprintf("The file %s is locked by another program", held.Path),
			Do: "close the other SecureMail, or the program holding it, and try again"}, true
	case errors.As(err, &invalid):
		return Sentence{What: fmt.Sprintf("%q is not a valid TESTA address: %s", invalid.Input, invalid.Why)}, true
	}
	return Sentence{}, false
}

// explainStorage words failed writes: the mail store's, and any file the
// profile writes ([durable.WriteError], [durable.LockedError]).
func explainStorage(err error) (Sentence, bool) {
	var (
		se *mailstore.StorageError
		le *durable.LockedError
		we *durable.WriteError
	)
	switch {
	case errors.As(err, &se):
		if se.ReadOnly {
			return Sentence{What: fmt.Sprintf("The mail folder %s cannot be written (it is read-only, or SecureMail lacks permission)", se.Dir),
				Do: "make it writable and try again — nothing was lost"}, true
		}
		return Sentence{What: fmt.Sprintf("The mail folder %s is full", se.Dir), Do: "free some space and try again — nothing was lost"}, true
	case errors.As(err, &le):
		return Sentence{What: fmt.Sprintf("The file %s is open in another program (a virus scanner or indexer?)", le.Path),
			Do: "close it and try again"}, true
	case !errors.As(err, &we):
		return Sentence{}, false
	}
	// Say "read-only" only when the system refused permission, never for
	// a file another program holds (which Windows also calls "Access
	// denied"): that is a LockedError, handled above.
	dir := we.Path
	if !we.Folder {
		dir = filepath.Dir(we.Path)
	}
	var errno syscall.Errno
	switch {
	case durable.DiskFull(we.Err):
		return Sentence{What: fmt.Sprintf("The disk holding %s is full", dir), Do: "free some space and try again"}, true
	case errors.Is(we.Err, fs.ErrPermission), durable.IsReadOnlyFS(we.Err):
		return Sentence{What: fmt.Sprintf("SecureMail may not write in the folder %s (it is read-only, or you lack permission)", dir),
			Do: "make it writable and try again"}, true
	case errors.Is(we.Err, fs.ErrNotExist):
		return Sentence{What: fmt.Sprintf("SecureMail could not write %s: the folder no longer exists", we.Path),
			Do: "check that its disk is connected and try again"}, true
	case errors.As(we.Err, &errno):
		return Sentence{What: fmt.Sprintf("SecureMail could not write %s: the system reported %q", we.Path, errno.Error()),
			Do: "check the disk and try again"}, true
	}
	return Sentence{What: fmt.Sprintf("SecureMail could not write %s", we.Path), Do: "check the disk and try again"}, true
}

// explainNetwork words a server that could not be reached or that broke
// off: name lookup, connection, TLS, a silent or vanished server.
func explainNetwork(err error) (Sentence, bool) {
	var (
		dnsErr *net.DNSError
		pce    *pop3client.ConnError
		sce    *smtpclient.ConnError
		opErr  *net.OpError
	)
	switch {
	case errors.As(err, &dnsErr):
		return Sentence{What: fmt.Sprintf("The server name %q cannot be found (DNS)", dnsErr.Name),
			Do: "check its spelling, and that this computer is on the network that knows it (TESTA names are known only inside TESTA)"}, true
	case errors.Is(err, pop3client.ErrTLSNotOffered):
		return Sentence{What: "The POP3 server does not offer STLS, so the connection cannot be encrypted",
			Do: "choose implicit TLS if this is an implicit-TLS port (995), or ask the server's administrator to enable STLS"}, true
	case errors.Is(err, smtpclient.ErrTLSNotOffered):
		return Sentence{What: "The SMTP server does not offer STARTTLS, so the connection cannot be encrypted",
			Do: "choose implicit TLS if this is an implicit-TLS port (465), or ask the server's administrator to enable STARTTLS"}, true
	case errors.As(err, &pce):
		return connSentence("POP3", pce.Step, pce.Addr, pce.Host, pce.Err), true
	case errors.As(err, &sce):
		return connSentence("SMTP", sce.Step, sce.Addr, sce.Host, sce.Err), true
	case errors.As(err, &opErr) && !errors.Is(err, context.Canceled): // a connection failure no mail client wrapped
		return Sentence{What: "A server did not answer",
			Do: "check the network connection and try again; mail waiting to be sent stays in the Outbox"}, true
	}
	return Sentence{}, false
}

// connSentence words a connection failure of either mail client.
func connSentence(protocol, step, addr, host string, err error) Sentence {
	server := "a POP3 server"
	if protocol == "SMTP" {
		server = "an SMTP server"
	}
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
		record    tls.RecordHeaderError
		alert     tls.AlertError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return Sentence{What: fmt.Sprintf("The %s with %s was cancelled", step, addr)}
	case mailnet.IsTimeout(err):
		return Sentence{What: fmt.Sprintf("%s did not answer in time during the %s", addr, step),
			Do: fmt.Sprintf("check that the address and port are those of %s, and that it is not overloaded", server)}
	case mailnet.IsRefused(err):
		return Sentence{What: fmt.Sprintf("Connection refused by %s: no server is listening there", addr), Do: "check the address and port"}
	case errors.As(err, &hostname):
		return Sentence{What: fmt.Sprintf("The server's certificate is not valid for %s (it is for %s)", host, certNames(hostname.Certificate)),
			Do: "connect using a name the certificate lists"}
	case errors.As(err, &unknownCA):
		issuer := "an unknown issuer"
		if unknownCA.Cert != nil {
			issuer = unknownCA.Cert.Issuer.String()
		}
		return Sentence{What: fmt.Sprintf("The server's certificate is not trusted for %s: it was issued by %q, which is not among the trusted authorities", host, issuer),
			Do: "give the CA certificate that issued it (the servers' CA file)"}
	case errors.As(err, &invalid):
		return Sentence{What: fmt.Sprintf("The server's certificate is not trusted for %s: %v", host, invalid.Error()),
			Do: "ask the server's administrator for a current certificate"}
	case errors.As(err, &verifyErr):
		return Sentence{What: fmt.Sprintf("The server's certificate is not trusted for %s: %v", host, verifyErr.Err),
			Do: "give the CA certificate that issued it (the servers' CA file)"}
	case errors.As(err, &record):
		return Sentence{What: fmt.Sprintf("%s did not answer with TLS during the %s", addr, step),
			Do: fmt.Sprintf("if it is a plain %s port, choose starttls rather than implicit TLS", protocol)}
	case errors.As(err, &alert):
		return Sentence{What: fmt.Sprintf("The TLS handshake with %s failed: the server sent the alert %q", addr, alert.Error()),
			Do: "check the TLS mode, or ask the server's administrator"}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), mailnet.IsReset(err):
		return Sentence{What: fmt.Sprintf("%s closed the connection during the %s", addr, step),
			Do: fmt.Sprintf("check that it is %s and that the TLS mode is right, then try again", server)}
	case errors.Is(err, pop3client.ErrProtocol):
		return Sentence{What: fmt.Sprintf("%s broke the POP3 protocol during the %s", addr, step),
			Do: "check that the address and port are those of a POP3 server"}
	}
	return Sentence{What: fmt.Sprintf("The %s with %s failed (%v)", step, addr, err), Do: "check the address and port, and try again"}
}

// lowerFirst puts a sentence after a colon inside another one: its first
// word in lower case when it is a common word ("The server…"), as it is
// when it is a name ("SecureMail…", "POP3…", an address).
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	switch word {
	case "The", "This", "A", "An", "No", "Connection", "Your", "You", "Cancelled":
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

// certNames lists the names a certificate is valid for.
func certNames(c *x509.Certificate) string {
	if c == nil {
		return "other names"
	}
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return "no host name"
	}
	s := names[0]
	for _, n := range names[1:] {
		s += ", " + n
	}
	return s
}

// explainServerReply words a refusal in the server's own words.
func explainServerReply(err error) (Sentence, bool) {
	var (
		pe *pop3client.Error
		se *smtpclient.Error
	)
	if errors.Is(err, smtpclient.ErrAllRefused) && errors.As(err, &se) {
		return Sentence{What: fmt.Sprintf("The server refused every recipient, so nothing was sent: <%s> (%s)", se.Address, se.Reply()),
			Do: smtpAdvice(se, "correct the addresses and send again")}, true
	}
	switch {
	case errors.As(err, &pe):
		quoted := pe.Text
		if pe.Code != "" {
			quoted = "[" + pe.Code + "] " + quoted
		}
		do := "check the address and try again later"
		if pe.Temporary() {
			do = "try again in a few minutes"
		}
		switch pe.Command {
		case "USER", "PASS", "AUTH":
			if !pe.Temporary() {
				do = "check the user name and password"
			}
			return Sentence{What: fmt.Sprintf("The POP3 server refused the login: it answered %q", quoted), Do: do}, true
		}
		return Sentence{What: fmt.Sprintf("The POP3 server refused %s: it answered %q", pe.Command, quoted), Do: do}, true
	case errors.As(err, &se):
		switch se.Command {
		case "AUTH":
			return Sentence{What: fmt.Sprintf("The SMTP server refused the login: it answered %q", se.Reply()),
				Do: smtpAdvice(se, "check the user name and password")}, true
		case "MAIL FROM":
			return Sentence{What: fmt.Sprintf("The server refused the sender <%s>: it answered %q", se.Address, se.Reply()),
				Do: smtpAdvice(se, "correct it before sending again")}, true
		case "RCPT TO":
			return Sentence{What: fmt.Sprintf("The server refused the recipient <%s>: it answered %q", se.Address, se.Reply()),
				Do: smtpAdvice(se, "correct it before sending again")}, true
		case "DATA":
			return Sentence{What: fmt.Sprintf("The server refused the message: it answered %q", se.Reply()),
				Do: smtpAdvice(se, "correct it before sending again")}, true
		}
		return Sentence{What: fmt.Sprintf("The SMTP server refused %s: it answered %q", se.Command, se.Reply()),
			Do: smtpAdvice(se, "check that the address and port are those of an SMTP submission server")}, true
	}
	return Sentence{}, false
}

// smtpAdvice is "try again later" for a temporary refusal, else permanent.
func smtpAdvice(e *smtpclient.Error, permanent string) string {
	if e.Temporary() {
		return "this is temporary: try again later"
	}
	return permanent
}

// explainSecurity words the typed errors of S/MIME that carry details.
func explainSecurity(err error) (Sentence, bool) {
	var limit *smime.LimitError
	if errors.As(err, &limit) {
		return Sentence{What: fmt.Sprintf("This message has more than %d %s, far more than any real message; SecureMail stopped reading it so that no message can make it hang", limit.Limit, limit.What),
			Do: "ask the sender to send it again in a simpler form"}, true
	}
	var several interface{ Addresses() []string }
	if errors.Is(err, identity.ErrSeveralIdentities) && errors.As(err, &several) {
		who := ""
		for i, a := range several.Addresses() {
			if i > 0 {
				who += ", "
			}
			who += a
		}
		return Sentence{What: fmt.Sprintf("This file holds %d Digital IDs (%s)", len(several.Addresses()), who),
			Do: "export only the one for your address and open that file"}, true
	}
	var unsupported interface{ Algorithm() string }
	if errors.Is(err, identity.ErrUnsupported) && errors.As(err, &unsupported) {
		return Sentence{What: "This Digital ID file is protected with " + unsupported.Algorithm() + ", which SecureMail does not support",
			Do: "export it again with AES or 3DES protection"}, true
	}
	return Sentence{}, false
}

// sentinelSentences words the engines' sentinel errors, most specific
// first; it is read, never written.
var sentinelSentences = []struct {
	err error
	s   Sentence
}{
	// Logging in without TLS.
	{pop3client.ErrCleartextLogin, Sentence{Key: "pop3client.ErrCleartextLogin", What: "SecureMail does not send your password over a connection without TLS", Do: "choose starttls or implicit TLS; only on a test network, allow a cleartext login explicitly"}},
	{smtpclient.ErrCleartextAuth, Sentence{Key: "smtpclient.ErrCleartextAuth", What: "SecureMail does not send your password over a connection without TLS", Do: "choose starttls or implicit TLS; only on a test network, allow a cleartext login explicitly"}},
	{smtpclient.ErrAuthNotOffered, Sentence{Key: "smtpclient.ErrAuthNotOffered", What: "The SMTP server offers no way to log in with a password (AUTH PLAIN or LOGIN)", Do: "check that this is the submission port (587 or 465), or ask the server's administrator"}},
	{pop3client.ErrProtocol, Sentence{Key: "pop3client.ErrProtocol", What: "The POP3 server broke the protocol", Do: "check that the address and port are those of a POP3 server"}},
	{pop3client.ErrClosed, Sentence{Key: "pop3client.ErrClosed", What: "The connection to the POP3 server was closed", Do: "try again"}},
	{pop3client.ErrBusy, Sentence{Key: "pop3client.ErrBusy", What: "A message is still being read from the POP3 server", Do: "wait for it and try again"}},
	{smtpclient.ErrClosed, Sentence{Key: "smtpclient.ErrClosed", What: "The connection to the SMTP server was closed", Do: "try again"}},
	// Sending.
	{smtpclient.ErrTooLarge, Sentence{Key: "smtpclient.ErrTooLarge", What: "The message is larger than the server accepts", Do: "remove attachments or send them in several messages"}},
	{smtpclient.Err8BitMIME, Sentence{Key: "smtpclient.Err8BitMIME", What: "The message needs 8BITMIME, which the server does not offer", Do: "ask the server's administrator"}},
	{smtpclient.ErrSMTPUTF8, Sentence{Key: "smtpclient.ErrSMTPUTF8", What: "An address or the header holds characters beyond ASCII, and the server does not offer SMTPUTF8", Do: "use plain ASCII addresses"}},
	{smtpclient.ErrBadMessage, Sentence{Key: "smtpclient.ErrBadMessage", What: "The message cannot be sent by SMTP as it is (a line too long, or a NUL byte)", Do: "save it as a draft and report this"}},
	{smtpclient.ErrBadAddress, Sentence{Key: "smtpclient.ErrBadAddress", What: "An address cannot be used in SMTP (spaces, angle brackets, control characters, or no @)", Do: "write it as name@domain"}},
	// The account and the keyring.
	{profile.ErrNoAccount, Sentence{Key: "profile.ErrNoAccount", What: "No account is set up yet", Do: "run the first-run wizard or 'securemail account setup'"}},
	{profile.ErrNoHome, Sentence{Key: "profile.ErrNoHome", What: "This system names no folder for SecureMail's files", Do: "give one with --profile"}},
	{ErrRootNotTrusted, Sentence{Key: "app.ErrRootNotTrusted", What: "The Root CA was not trusted, so SecureMail cannot check anyone's Digital ID", Do: "confirm that you trust this authority (tick the box, or give --trust-root)"}},
	{digitalid.ErrNoDigitalID, Sentence{Key: "digitalid.ErrNoDigitalID", What: "You have no Digital ID yet", Do: "import your Mail.pfx in Settings"}},
	{keystore.ErrNotFound, Sentence{Key: "keystore.ErrNotFound", What: "A password or key is missing from the keyring", Do: "set the account up again"}},
	{keystore.ErrUnavailable, Sentence{Key: "keystore.ErrUnavailable", What: "No OS keyring is available (the Secret Service, Credential Manager or Keychain did not answer)", Do: "start your desktop's keyring, or choose a key file protected by a passphrase"}},
	{keystore.ErrWrongPassphrase, Sentence{Key: "keystore.ErrWrongPassphrase", What: "The passphrase of the key file is wrong", Do: "type it again"}},
	{keystore.ErrCorrupt, Sentence{Key: "keystore.ErrCorrupt", What: "A secret stored in the keyring is damaged", Do: "set the account up again"}},
	{addressbook.ErrNoContact, Sentence{Key: "addressbook.ErrNoContact", What: "This address is not in the address book", Do: "add it first"}},
	{compose.ErrNoRecipient, Sentence{Key: "compose.ErrNoRecipient", What: "The message has no recipient", Do: "add one in To"}},
	{compose.ErrSubjectLines, Sentence{Key: "compose.ErrSubjectLines", What: "The subject must be one line", Do: "remove the line breaks from it"}},
	{addressbook.ErrNoAddressInID, Sentence{Key: "addressbook.ErrNoAddressInID", What: "This Digital ID names no e-mail address, so it cannot be used for mail", Do: "ask its owner for their mail Digital ID"}},
	{addressbook.ErrNoPersonInFile, Sentence{Key: "addressbook.ErrNoPersonInFile", What: "The file holds no one's Digital ID (only authorities, or certificates without an e-mail address)", Do: "open the .cer file of the person you write to, or ask them for a signed mail (secure link)"}},
	{digitalid.ErrNoAuthority, Sentence{Key: "digitalid.ErrNoAuthority", What: "This file holds no certification authority", Do: "the Root CA and EC CA files are the .cer files you received with your Mail.pfx"}},
	{digitalid.ErrDamaged, Sentence{Key: "digitalid.ErrDamaged", What: "A Digital ID file kept in your profile is damaged", Do: "import your Mail.pfx again in Settings"}},
	{addressbook.ErrNotAnAddress, Sentence{Key: "addressbook.ErrNotAnAddress", What: "This is not an e-mail address", Do: "write it as name@domain"}},
	{addressbook.ErrNoSuchDigitalID, Sentence{Key: "addressbook.ErrNoSuchDigitalID", What: "This contact has no such Digital ID", Do: "open the address book again and choose one of theirs"}},
	{digitalid.ErrNoRootTrusted, Sentence{Key: "digitalid.ErrNoRootTrusted", What: "No authority is trusted yet", Do: "open the Root CA first"}},
	{compose.ErrMailto, Sentence{Key: "compose.ErrMailto", What: "This is not a mailto: link SecureMail can open", Do: ""}},
	{revocation.ErrOlder, Sentence{Key: "revocation.ErrOlder", What: "A newer revocation list from this authority is already kept", Do: "nothing needs to be done"}},
	{revocation.ErrUnreachable, Sentence{Key: "revocation.ErrUnreachable", What: "The revocation list could not be fetched", Do: "check the network, or import the list from a file (Import CRL…)"}},
	// Digital ID files.
	{identity.ErrWrongPassword, Sentence{Key: "identity.ErrWrongPassword", What: "The password of the Digital ID file is wrong", Do: "type the password that came with the file"}},
	{identity.ErrNotPFX, Sentence{Key: "identity.ErrNotPFX", What: "This file is not a Digital ID (.pfx/.p12) file, or it is damaged", Do: "open the Mail.pfx you were given"}},
	{identity.ErrUnsupported, Sentence{Key: "identity.ErrUnsupported", What: "This Digital ID file uses something SecureMail does not support", Do: "export it again with AES or 3DES protection"}},
	{identity.ErrNoPrivateKey, Sentence{Key: "identity.ErrNoPrivateKey", What: "This file holds no private key, so it is not your own Digital ID", Do: "to add someone else's Digital ID, import it in the address book"}},
	{identity.ErrNoCertificate, Sentence{Key: "identity.ErrNoCertificate", What: "This file holds a private key but not its certificate", Do: "export the Digital ID again with its certificate"}},
	{identity.ErrSeveralIdentities, Sentence{Key: "identity.ErrSeveralIdentities", What: "This file holds several Digital IDs", Do: "export only the one for your address and open that file"}},
	{identity.ErrNoCertificates, Sentence{Key: "identity.ErrNoCertificates", What: "This file holds no Digital ID certificate (.cer, .crt, .pem or .p7b), or it is damaged", Do: "open the certificate file itself"}},
	// Messages.
	{envelope.ErrNotRecipient, Sentence{Key: "envelope.ErrNotRecipient", What: "This message is encrypted, but none of your Digital IDs can open it", Do: "ask the sender to encrypt it for your current Digital ID"}},
	{envelope.ErrUnsupported, Sentence{Key: "envelope.ErrUnsupported", What: "The message is encrypted with an algorithm SecureMail does not support", Do: "ask the sender to use AES"}},
	{envelope.ErrCorrupt, Sentence{Key: "envelope.ErrCorrupt", What: "The encrypted message is damaged or was altered and cannot be opened", Do: "ask the sender to send it again"}},
	{sign.ErrDigestMismatch, Sentence{Key: "sign.ErrDigestMismatch", What: "The content was changed after it was signed", Do: "do not trust it; ask the sender"}},
	{sign.ErrBadSignature, Sentence{Key: "sign.ErrBadSignature", What: "The signature is not valid", Do: "do not trust the message; ask the sender"}},
	{sign.ErrContentTypeMismatch, Sentence{Key: "sign.ErrContentTypeMismatch", What: "The signed content type differs from the message's", Do: "do not trust the message; ask the sender"}},
	{sign.ErrSignerNotFound, Sentence{Key: "sign.ErrSignerNotFound", What: "The signer's Digital ID is not in the message", Do: "ask the sender for a secure link"}},
	{sign.ErrUnsupportedAlgorithm, Sentence{Key: "sign.ErrUnsupportedAlgorithm", What: "The message is signed with an algorithm SecureMail does not support", Do: "ask the sender to sign with SHA-256"}},
	{sign.ErrMalformed, Sentence{Key: "sign.ErrMalformed", What: "The signature is damaged or not a CMS signature", Do: "ask the sender to send it again"}},
	{sign.ErrTooLarge, Sentence{Key: "sign.ErrTooLarge", What: "The signature holds more certificates or signers than SecureMail reads", Do: "ask the sender to send it again"}},
	{smime.ErrTooComplex, Sentence{Key: "smime.ErrTooComplex", What: "The message is too complex to be opened safely", Do: "ask the sender to send it again in a simpler form"}},
	{smime.ErrNotMessage, Sentence{Key: "smime.ErrNotMessage", What: "This is not an e-mail message", Do: "open an .eml file"}},
	{smime.ErrTooDeep, Sentence{Key: "smime.ErrTooDeep", What: "The message is wrapped in too many S/MIME layers", Do: "ask the sender to send it again"}},
	{smime.ErrDamaged, Sentence{Key: "smime.ErrDamaged", What: "An S/MIME part of the message is damaged", Do: "ask the sender to send it again"}},
	{crl.ErrTooLarge, Sentence{Key: "crl.ErrTooLarge", What: "The revocation list is too large", Do: "check that this is the authority's CRL file"}},
	{crl.ErrNotCRL, Sentence{Key: "crl.ErrNotCRL", What: "This is not a certificate revocation list", Do: "open the authority's CRL file (.crl)"}},
	{crl.ErrUnknownIssuer, Sentence{Key: "crl.ErrUnknownIssuer", What: "The revocation list was issued by an authority you do not know", Do: "trust that authority first, in Settings"}},
	{crl.ErrBadSignature, Sentence{Key: "crl.ErrBadSignature", What: "The revocation list's signature does not verify", Do: "fetch the list again from the authority"}},
	// The mail store.
	{mailstore.ErrNotFound, Sentence{Key: "mailstore.ErrNotFound", What: "This message is no longer there", Do: ""}},
	{mailstore.ErrDuplicate, Sentence{Key: "mailstore.ErrDuplicate", What: "This message is already stored", Do: ""}},
	{mailstore.ErrNoFolder, Sentence{Key: "mailstore.ErrNoFolder", What: "This folder is no longer there", Do: ""}},
	{mailstore.ErrFolderExists, Sentence{Key: "mailstore.ErrFolderExists", What: "A folder with that name already exists", Do: "choose another name"}},
	{mailstore.ErrStandardFolder, Sentence{Key: "mailstore.ErrStandardFolder", What: "The standard folders cannot be renamed or deleted", Do: ""}},
	{mailstore.ErrFolderName, Sentence{Key: "mailstore.ErrFolderName", What: "A folder name must be 1 to 100 printable characters", Do: "choose another name"}},
	{mailstore.ErrConfidential, Sentence{Key: "mailstore.ErrConfidential", What: "The text of an encrypted message is never written to disk", Do: ""}},
	{mailstore.ErrClosed, Sentence{Key: "mailstore.ErrClosed", What: "The mail store is closed", Do: "start SecureMail again"}},
}
