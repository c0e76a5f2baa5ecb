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
	"strconv"
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
	"securemail/internal/phrase"
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
	// (ui/i18n/translations: "sentence.<Key>.what" and ".do"); "" only for
	// a sentence the window wrote itself. The CLI, the JSON and the logs
	// use What and Do, always English.
	Key  string
	What string // starts with a capital, no final full stop
	Do   string // an instruction starting in lower case, no final full stop; may be ""
	// Args are the values a sentence with variable parts names in its
	// templates ({{.Path}}): strings, numbers, phrase.Date, or a
	// phrase.Phrase such as a cause's own sentence; the window renders them
	// in its language (ui/i18n.Say). Nil for a fixed sentence.
	Args phrase.Args
	// whatText and doText are the English templates of What and Do, set
	// by [sentence] ("" for a fixed sentence: What and Do themselves).
	whatText, doText string
}

// sentence is the sentence key with its English templates what and do
// filled with args: What and Do are the English the CLI prints, and the
// window says the same key in its language. Key, what and do must be
// constant strings: ui/i18n's TestPhrasesHaveTheirEnglishInEnJSON finds
// every call and holds en.json to them.
func sentence(key, what, do string, args phrase.Args) Sentence {
	return Sentence{Key: key, What: phrase.Render(what, args), Do: phrase.Render(do, args), Args: args,
		whatText: what, doText: do}
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

// WhatPhrase is What as a phrase: the key "sentence.<Key>.what", its
// English template and the values, for the window to say in its language.
func (s Sentence) WhatPhrase() phrase.Phrase { return s.part("what", s.What, s.whatText) }

// DoPhrase is Do as a phrase ("sentence.<Key>.do").
func (s Sentence) DoPhrase() phrase.Phrase { return s.part("do", s.Do, s.doText) }

// part is What or Do as a phrase.
func (s Sentence) part(name, text, template string) phrase.Phrase {
	switch {
	case text == "":
		return phrase.Phrase{}
	case s.Key == "":
		return verbatim(text)
	case template == "":
		template = text
	}
	return phrase.Phrase{Key: "sentence." + s.Key + "." + name, English: template, Args: s.Args}
}

// inner is What as a phrase to go after a colon inside another sentence,
// its first word in lower case in English as [lowerFirst] says.
func (s Sentence) inner() phrase.Phrase { return lowerPhrase(s.WhatPhrase()) }

// lowerPhrase is p with its English's first word in lower case as
// [lowerFirst] says: the template's, or the value's it starts with.
func lowerPhrase(p phrase.Phrase) phrase.Phrase {
	name, ok := strings.CutPrefix(p.English, "{{.")
	if !ok {
		p.English = lowerFirst(p.English)
		return p
	}
	name, _, _ = strings.Cut(name, "}}")
	args := make(phrase.Args, len(p.Args))
	for k, v := range p.Args {
		args[k] = v
	}
	switch v := args[name].(type) {
	case phrase.Phrase:
		args[name] = lowerPhrase(v)
	case string:
		args[name] = lowerFirst(v)
	}
	p.Args = args
	return p
}

// verbatim is text as a phrase without a key: shown as it is in every
// language (a name, a path, words the window wrote itself), never read as
// a template.
func verbatim(text string) phrase.Phrase {
	return phrase.Phrase{English: "{{.Text}}", Args: phrase.Args{"Text": text}}
}

// quoted is s in double quotes, as %q writes it: a name or a server's
// words inside a sentence.
func quoted(s string) string { return strconv.Quote(s) }

// semicolons is items one after the other, separated by "; " (" ; " in
// French).
func semicolons(items []phrase.Phrase) phrase.Phrase {
	switch len(items) {
	case 0:
		return phrase.Phrase{}
	case 1:
		return items[0]
	}
	return phrase.New("sentence.list.semicolon", "{{.First}}; {{.Rest}}", phrase.Args{"First": items[0], "Rest": semicolons(items[1:])})
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
		own := problem.Sentence()
		if problem.Err == nil {
			return own, true
		}
		cause := Explain(problem.Err)
		do := own.DoPhrase()
		if own.Do == "" {
			do = cause.DoPhrase()
		}
		return sentence("app.Problem.because", "{{.What}}: {{.Cause}}", "{{.Do}}",
			phrase.Args{"What": own.WhatPhrase(), "Cause": cause.inner(), "Do": do}), true
	case errors.As(err, &noID):
		who := make([]phrase.Phrase, 0, len(noID.Recipients))
		for _, m := range noID.Recipients {
			why := missingWhy(m)
			who = append(who, phrase.New("sentence.app.NoDigitalIDError.who", "{{.Address}} {{.Why}}", phrase.Args{"Address": m.Address, "Why": why}))
		}
		return sentence("app.NoDigitalIDError", "This message cannot be encrypted: {{.Who}}",
			"ask them for their Digital ID (secure link), or send without encryption", phrase.Args{"Who": semicolons(who)}), true
	case errors.As(err, &caErr):
		return sentence("app.ServerCAError", "The servers' CA file cannot be read ({{.Cause}})",
			"open the PEM or DER file of the authority that issued your mail servers' certificates",
			phrase.Args{"Cause": Explain(caErr.Err).WhatPhrase()}), true
	case errors.As(err, &addrErr):
		return sentence("app.AddressError", "The {{.Protocol}} server {{.Address}} is not written as host:port",
			"give it as name:port, for example mail.example.eu-admin.net:995",
			phrase.Args{"Protocol": string(addrErr.Protocol), "Address": quoted(addrErr.Address)}), true
	case errors.As(err, &auth):
		args := phrase.Args{"Name": quoted(auth.Name), "Issuer": quoted(auth.Issuer), "Day": phrase.Date(auth.NotAfter)}
		switch auth.Kind {
		case digitalid.NotRoot:
			return sentence("digitalid.AuthorityError.NotRoot", "{{.Name}} is not a root authority (it was issued by {{.Issuer}})",
				"open the Root CA file here, and the EC CA in the next step", args), true
		case digitalid.Expired:
			return sentence("digitalid.AuthorityError.Expired", "The authority {{.Name}} expired on {{.Day}}",
				"ask for a current Root CA", args), true
		default:
			return sentence("digitalid.AuthorityError", "{{.Name}} was not issued by an authority you trust",
				"open the EC CA that came with your Root CA", args), true
		}
	case errors.As(err, &refused):
		reason := refused.Phrase.Within()
		return sentence("digitalid.RefusedError", "This Digital ID cannot be used: {{.Reason}}",
			"ask for a current Mail.pfx issued for your account",
			phrase.Args{"Reason": asPhrase(lowerPhrase(reason), lowerFirst(strings.TrimSuffix(strings.TrimSpace(refused.Reason), ".")))}), true
	case errors.As(err, &mism):
		return sentence("digitalid.AccountMismatchError",
			"This Digital ID is for {{.IDFor}}, but your account is {{.Account}}, so you cannot sign or encrypt with it",
			"ask for a Mail.pfx issued for {{.Account}}", phrase.Args{"IDFor": mism.IDFor, "Account": mism.Account}), true
	case errors.As(err, &inUse):
		return sentence("profile.InUseError", "The profile folder {{.Dir}} is already open in another SecureMail window",
			"use that window, or close it and start SecureMail again", phrase.Args{"Dir": inUse.Dir}), true
	case errors.As(err, &tooLong):
		return sentence("safefile.FolderTooLongError",
			"The path of the folder {{.Dir}} is too long for a file to be saved in it (Windows allows {{.Max}} characters in all)",
			"choose a folder with a shorter path", phrase.Args{"Dir": tooLong.Dir, "Max": safefile.MaxPath}), true
	case errors.As(err, &full):
		return sentence("safefile.FolderFullError", "The folder {{.Dir}} already holds too many files named like {{.Name}}",
			"choose another folder", phrase.Args{"Dir": full.Dir, "Name": full.Name}), true
	case errors.As(err, &held):
		return sentence("filelock.HeldError", "The file {{.Path}} is locked by another program",
			"close the other SecureMail, or the program holding it, and try again", phrase.Args{"Path": held.Path}), true
	case errors.As(err, &invalid):
		return sentence("testaaddr.InvalidError", "{{.Input}} is not a valid TESTA address: {{.Why}}", "",
			phrase.Args{"Input": quoted(invalid.Input), "Why": invalid.Why}), true
	}
	return Sentence{}, false
}

// missingWhy is why a recipient cannot be encrypted for, from its
// contact's verdict (its Reason as it is when there is none).
func missingWhy(m MissingID) phrase.Phrase {
	var why phrase.Phrase
	switch {
	case m.Verdict.Status == addressbook.None:
		why = phrase.New("sentence.app.MissingID.none", "has no Digital ID yet", nil)
	case !m.Verdict.Phrase.IsZero():
		why = phrase.New("sentence.app.MissingID.unusable", "has no usable Digital ID ({{.Reason}})", phrase.Args{"Reason": m.Verdict.Phrase.Within()})
	}
	return asPhrase(why, m.Reason)
}

// asPhrase is p when it says english in English, else english as it is
// (verbatim): the CLI's English never changes for want of a phrase.
func asPhrase(p phrase.Phrase, english string) phrase.Phrase {
	if p.IsZero() || p.String() != english {
		return verbatim(english)
	}
	return p
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
			return sentence("mailstore.StorageError.ReadOnly",
				"The mail folder {{.Dir}} cannot be written (it is read-only, or SecureMail lacks permission)",
				"make it writable and try again — nothing was lost", phrase.Args{"Dir": se.Dir}), true
		}
		return sentence("mailstore.StorageError", "The mail folder {{.Dir}} is full",
			"free some space and try again — nothing was lost", phrase.Args{"Dir": se.Dir}), true
	case errors.As(err, &le):
		return sentence("durable.LockedError", "The file {{.Path}} is open in another program (a virus scanner or indexer?)",
			"close it and try again", phrase.Args{"Path": le.Path}), true
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
	args := phrase.Args{"Dir": dir, "Path": we.Path}
	var errno syscall.Errno
	switch {
	case durable.DiskFull(we.Err):
		return sentence("durable.WriteError.DiskFull", "The disk holding {{.Dir}} is full", "free some space and try again", args), true
	case errors.Is(we.Err, fs.ErrPermission), durable.IsReadOnlyFS(we.Err):
		return sentence("durable.WriteError.Permission",
			"SecureMail may not write in the folder {{.Dir}} (it is read-only, or you lack permission)",
			"make it writable and try again", args), true
	case errors.Is(we.Err, fs.ErrNotExist):
		return sentence("durable.WriteError.NotExist", "SecureMail could not write {{.Path}}: the folder no longer exists",
			"check that its disk is connected and try again", args), true
	case errors.As(we.Err, &errno):
		args["Errno"] = quoted(errno.Error())
		return sentence("durable.WriteError.Errno", "SecureMail could not write {{.Path}}: the system reported {{.Errno}}",
			"check the disk and try again", args), true
	}
	return sentence("durable.WriteError", "SecureMail could not write {{.Path}}", "check the disk and try again", args), true
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
		return sentence("net.DNSError", "The server name {{.Name}} cannot be found (DNS)",
			"check its spelling, and that this computer is on the network that knows it (TESTA names are known only inside TESTA)",
			phrase.Args{"Name": quoted(dnsErr.Name)}), true
	case errors.Is(err, pop3client.ErrTLSNotOffered):
		return sentence("pop3client.ErrTLSNotOffered", "The POP3 server does not offer STLS, so the connection cannot be encrypted",
			"choose implicit TLS if this is an implicit-TLS port (995), or ask the server's administrator to enable STLS", nil), true
	case errors.Is(err, smtpclient.ErrTLSNotOffered):
		return sentence("smtpclient.ErrTLSNotOffered", "The SMTP server does not offer STARTTLS, so the connection cannot be encrypted",
			"choose implicit TLS if this is an implicit-TLS port (465), or ask the server's administrator to enable STARTTLS", nil), true
	case errors.As(err, &pce):
		return connSentence("POP3", pce.Step, pce.Addr, pce.Host, pce.Err), true
	case errors.As(err, &sce):
		return connSentence("SMTP", sce.Step, sce.Addr, sce.Host, sce.Err), true
	case errors.As(err, &opErr) && !errors.Is(err, context.Canceled): // a connection failure no mail client wrapped
		return sentence("net.OpError", "A server did not answer",
			"check the network connection and try again; mail waiting to be sent stays in the Outbox", nil), true
	}
	return Sentence{}, false
}

// stepPhrase names a step of a connection: the words in the language, a
// protocol command (EHLO, RETR…) as it is.
func stepPhrase(step string) phrase.Phrase {
	switch step {
	case "connect":
		return phrase.New("sentence.conn.step.connect", "connect", nil)
	case "TLS handshake":
		return phrase.New("sentence.conn.step.tls", "TLS handshake", nil)
	case "greeting":
		return phrase.New("sentence.conn.step.greeting", "greeting", nil)
	}
	return verbatim(step)
}

// connSentence words a connection failure of either mail client.
func connSentence(protocol, step, addr, host string, err error) Sentence {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
		record    tls.RecordHeaderError
		alert     tls.AlertError
	)
	args := phrase.Args{"Protocol": protocol, "Step": stepPhrase(step), "Addr": addr, "Host": host}
	pop3 := protocol == "POP3"
	switch {
	case errors.Is(err, context.Canceled):
		return sentence("conn.cancelled", "The {{.Step}} with {{.Addr}} was cancelled", "", args)
	case mailnet.IsTimeout(err) && pop3:
		return sentence("conn.timeout.POP3", "{{.Addr}} did not answer in time during the {{.Step}}",
			"check that the address and port are those of a POP3 server, and that it is not overloaded", args)
	case mailnet.IsTimeout(err):
		return sentence("conn.timeout.SMTP", "{{.Addr}} did not answer in time during the {{.Step}}",
			"check that the address and port are those of an SMTP server, and that it is not overloaded", args)
	case mailnet.IsRefused(err):
		return sentence("conn.refused", "Connection refused by {{.Addr}}: no server is listening there", "check the address and port", args)
	case errors.As(err, &hostname):
		args["Names"] = certNames(hostname.Certificate)
		return sentence("conn.hostname", "The server's certificate is not valid for {{.Host}} (it is for {{.Names}})",
			"connect using a name the certificate lists", args)
	case errors.As(err, &unknownCA):
		args["Issuer"] = phrase.New("sentence.conn.unknownIssuer", `"an unknown issuer"`, nil)
		if unknownCA.Cert != nil {
			args["Issuer"] = quoted(unknownCA.Cert.Issuer.String())
		}
		return sentence("conn.unknownCA",
			"The server's certificate is not trusted for {{.Host}}: it was issued by {{.Issuer}}, which is not among the trusted authorities",
			"give the CA certificate that issued it (the servers' CA file)", args)
	case errors.As(err, &invalid):
		args["Reason"] = invalid.Error()
		return sentence("conn.invalidCert", "The server's certificate is not trusted for {{.Host}}: {{.Reason}}",
			"ask the server's administrator for a current certificate", args)
	case errors.As(err, &verifyErr):
		args["Reason"] = fmt.Sprint(verifyErr.Err)
		return sentence("conn.verify", "The server's certificate is not trusted for {{.Host}}: {{.Reason}}",
			"give the CA certificate that issued it (the servers' CA file)", args)
	case errors.As(err, &record):
		return sentence("conn.notTLS", "{{.Addr}} did not answer with TLS during the {{.Step}}",
			"if it is a plain {{.Protocol}} port, choose starttls rather than implicit TLS", args)
	case errors.As(err, &alert):
		args["Alert"] = quoted(alert.Error())
		return sentence("conn.alert", "The TLS handshake with {{.Addr}} failed: the server sent the alert {{.Alert}}",
			"check the TLS mode, or ask the server's administrator", args)
	case (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || mailnet.IsReset(err)) && pop3:
		return sentence("conn.closed.POP3", "{{.Addr}} closed the connection during the {{.Step}}",
			"check that it is a POP3 server and that the TLS mode is right, then try again", args)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), mailnet.IsReset(err):
		return sentence("conn.closed.SMTP", "{{.Addr}} closed the connection during the {{.Step}}",
			"check that it is an SMTP server and that the TLS mode is right, then try again", args)
	case errors.Is(err, pop3client.ErrProtocol):
		return sentence("conn.protocol", "{{.Addr}} broke the POP3 protocol during the {{.Step}}",
			"check that the address and port are those of a POP3 server", args)
	}
	args["Err"] = fmt.Sprint(err)
	return sentence("conn.failed", "The {{.Step}} with {{.Addr}} failed ({{.Err}})", "check the address and port, and try again", args)
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
func certNames(c *x509.Certificate) phrase.Phrase {
	if c == nil {
		return phrase.New("sentence.conn.names.other", "other names", nil)
	}
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return phrase.New("sentence.conn.names.none", "no host name", nil)
	}
	return verbatim(strings.Join(names, ", "))
}

// explainServerReply words a refusal in the server's own words.
func explainServerReply(err error) (Sentence, bool) {
	var (
		pe *pop3client.Error
		se *smtpclient.Error
	)
	if errors.Is(err, smtpclient.ErrAllRefused) && errors.As(err, &se) {
		args := smtpArgs(se, phrase.New("sentence.smtpclient.Error.do.addresses", "correct the addresses and send again", nil))
		args["Reply"] = se.Reply() // in brackets, not quoted
		return sentence("smtpclient.ErrAllRefused", "The server refused every recipient, so nothing was sent: <{{.Address}}> ({{.Reply}})",
			"{{.Do}}", args), true
	}
	switch {
	case errors.As(err, &pe):
		quotedText := pe.Text
		if pe.Code != "" {
			quotedText = "[" + pe.Code + "] " + quotedText
		}
		args := phrase.Args{"Command": pe.Command, "Reply": quoted(quotedText)}
		login := pe.Command == "USER" || pe.Command == "PASS" || pe.Command == "AUTH"
		switch {
		case pe.Temporary():
			args["Do"] = phrase.New("sentence.pop3client.Error.do.temporary", "try again in a few minutes", nil)
		case login:
			args["Do"] = phrase.New("sentence.pop3client.Error.do.login", "check the user name and password", nil)
		default:
			args["Do"] = phrase.New("sentence.pop3client.Error.do.later", "check the address and try again later", nil)
		}
		if login {
			return sentence("pop3client.Error.login", "The POP3 server refused the login: it answered {{.Reply}}", "{{.Do}}", args), true
		}
		return sentence("pop3client.Error", "The POP3 server refused {{.Command}}: it answered {{.Reply}}", "{{.Do}}", args), true
	case errors.As(err, &se):
		switch se.Command {
		case "AUTH":
			return sentence("smtpclient.Error.AUTH", "The SMTP server refused the login: it answered {{.Reply}}", "{{.Do}}",
				smtpArgs(se, phrase.New("sentence.smtpclient.Error.do.login", "check the user name and password", nil))), true
		case "MAIL FROM":
			return sentence("smtpclient.Error.MAIL", "The server refused the sender <{{.Address}}>: it answered {{.Reply}}", "{{.Do}}",
				smtpArgs(se, phrase.New("sentence.smtpclient.Error.do.correct", "correct it before sending again", nil))), true
		case "RCPT TO":
			return sentence("smtpclient.Error.RCPT", "The server refused the recipient <{{.Address}}>: it answered {{.Reply}}", "{{.Do}}",
				smtpArgs(se, phrase.New("sentence.smtpclient.Error.do.correct", "correct it before sending again", nil))), true
		case "DATA":
			return sentence("smtpclient.Error.DATA", "The server refused the message: it answered {{.Reply}}", "{{.Do}}",
				smtpArgs(se, phrase.New("sentence.smtpclient.Error.do.correct", "correct it before sending again", nil))), true
		}
		return sentence("smtpclient.Error", "The SMTP server refused {{.Command}}: it answered {{.Reply}}", "{{.Do}}",
			smtpArgs(se, phrase.New("sentence.smtpclient.Error.do.submission", "check that the address and port are those of an SMTP submission server", nil))), true
	}
	return Sentence{}, false
}

// smtpArgs are the values of an SMTP refusal's sentence: the address and
// command refused, the server's reply, and what to do: "try again later"
// for a temporary refusal, else permanent.
func smtpArgs(e *smtpclient.Error, permanent phrase.Phrase) phrase.Args {
	do := permanent
	if e.Temporary() {
		do = phrase.New("sentence.smtpclient.Error.do.temporary", "this is temporary: try again later", nil)
	}
	return phrase.Args{"Address": e.Address, "Command": e.Command, "Reply": quoted(e.Reply()), "Do": do}
}

// limitWhat names what a [smime.LimitError] counted, in the window's
// language too.
func limitWhat(what string) phrase.Phrase {
	switch what {
	case "MIME parts":
		return phrase.New("sentence.smime.LimitError.parts", "MIME parts", nil)
	case "levels of MIME nesting":
		return phrase.New("sentence.smime.LimitError.nesting", "levels of MIME nesting", nil)
	case "bytes of header fields":
		return phrase.New("sentence.smime.LimitError.headerBytes", "bytes of header fields", nil)
	case "header lines":
		return phrase.New("sentence.smime.LimitError.headerLines", "header lines", nil)
	}
	return verbatim(what)
}

// explainSecurity words the typed errors of S/MIME that carry details.
func explainSecurity(err error) (Sentence, bool) {
	var limit *smime.LimitError
	if errors.As(err, &limit) {
		return sentence("smime.LimitError",
			"This message has more than {{.Limit}} {{.What}}, far more than any real message; SecureMail stopped reading it so that no message can make it hang",
			"ask the sender to send it again in a simpler form", phrase.Args{"Limit": limit.Limit, "What": limitWhat(limit.What)}), true
	}
	var several interface{ Addresses() []string }
	if errors.Is(err, identity.ErrSeveralIdentities) && errors.As(err, &several) {
		return sentence("identity.ErrSeveralIdentities.list", "This file holds {{.Count}} Digital IDs ({{.Who}})",
			"export only the one for your address and open that file",
			phrase.Args{"Count": len(several.Addresses()), "Who": strings.Join(several.Addresses(), ", ")}), true
	}
	var unsupported interface{ Algorithm() string }
	if errors.Is(err, identity.ErrUnsupported) && errors.As(err, &unsupported) {
		return sentence("identity.ErrUnsupported.algorithm", "This Digital ID file is protected with {{.Algorithm}}, which SecureMail does not support",
			"export it again with AES or 3DES protection", phrase.Args{"Algorithm": unsupported.Algorithm()}), true
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
