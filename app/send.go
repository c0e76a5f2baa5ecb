package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"securemail/app/addressbook"
	"securemail/app/compose"
	"securemail/app/profile"
	"securemail/internal/durable"
	"securemail/internal/mailheader"
	"securemail/internal/phrase"
	"securemail/mailstore"
	"securemail/smime"
	"securemail/smtpclient"
)

// outboxDir holds one small file per message waiting in the Outbox: its
// SMTP envelope (Bcc recipients are not in the message header).
const outboxDir = "outbox"

// envelopeFile is an Outbox message's envelope.
type envelopeFile struct {
	From string   `json:"from"`
	To   []string `json:"to"`
}

// Send composes, signs and/or encrypts (to the recipients and to self), and
// submits a message. It is kept in the Outbox until the server accepts it.
//
// With Encrypt, every recipient must have a valid Digital ID; otherwise
// Send returns a *NoDigitalIDError before anything is built or stored. When
// the server cannot be reached the message stays in the Outbox and the
// result says Queued (with a Notice); FlushOutbox sends it later.
func (a *App) Send(ctx context.Context, d *compose.Draft, opts SendOptions) (*SendResult, error) {
	set, err := a.account()
	if err != nil {
		return nil, err
	}
	draft := *d
	draft.From, draft.FromName = set.Account.Address, set.Account.DisplayName
	rcpts := draft.Recipients()
	if len(rcpts) == 0 {
		return nil, refusal(sentence("app.Send.noRecipient", "The message has no recipient", "add one in To", nil))
	}
	var certs []*x509.Certificate
	var caps [][]asn1.ObjectIdentifier
	if opts.Encrypt {
		t, err := a.evaluation()
		if err != nil {
			return nil, err
		}
		var missing []MissingID
		for _, r := range rcpts {
			c, err := a.Book.Get(r)
			if errors.Is(err, addressbook.ErrNoContact) {
				missing = append(missing, MissingID{Address: r, Reason: "has no Digital ID yet", Verdict: addressbook.ContactVerdict{Status: addressbook.None}})
				continue
			}
			if err != nil {
				return nil, err
			}
			v := addressbook.Evaluate(c, t)
			if v.Usable == nil {
				missing = append(missing, MissingID{Address: r, Reason: missingReason(v), Verdict: v})
				continue
			}
			certs = append(certs, v.Usable.Certificate())
			caps = append(caps, v.Usable.Capabilities)
		}
		if len(missing) > 0 {
			return nil, &NoDigitalIDError{Recipients: missing}
		}
	}
	raw, msgID, err := compose.Build(&draft, a.now())
	if err != nil {
		return nil, err
	}
	if opts.Sign || opts.Encrypt {
		me, err := a.Wallet.Current()
		if err != nil {
			return nil, err
		}
		if opts.Sign {
			// The header travels inside the signature too (RFC 9788): the
			// reader sees what was signed, not what a relay rewrote.
			so := smime.SignOptions{Now: a.now(), Protect: smime.ProtectClear}
			if opts.Encrypt {
				so.Protect, so.ObscureSubject = smime.ProtectCipher, !set.Security.ShowSubjectOutside
			}
			if raw, err = smime.SignMessage(raw, me, so); err != nil {
				return nil, fmt.Errorf("app: %w", err)
			}
		}
		if opts.Encrypt {
			// Encrypted to self too, so the Sent copy stays readable; the
			// cipher is the best every recipient advertised.
			// Unsigned, the header goes inside the encryption here
			// (RFC 9788); signed, SignMessage put it inside already.
			eo := smime.EncryptOptions{Cipher: smime.ChooseCipher(caps), Protect: !opts.Sign,
				ObscureSubject: !set.Security.ShowSubjectOutside}
			raw, err = smime.EncryptMessage(raw, append(certs, me.Certificate), eo)
			if err != nil {
				return nil, fmt.Errorf("app: %w", err)
			}
		}
	}
	env := envelopeFile{From: set.Account.Address, To: rcpts}
	if err := a.writeEnvelope(msgID, env); err != nil {
		return nil, err
	}
	id, err := a.Store.Add(ctx, mailstore.Outbox, raw, mailstore.AddOptions{Flags: mailstore.Seen})
	if err != nil {
		return nil, because(sentence("app.Send.notStored", "The message could not be stored, so it was not sent", "", nil), err)
	}
	sec := mailstore.Security{Signed: opts.Sign, Signature: mailstore.SigNone, Encrypted: opts.Encrypt}
	if opts.Sign {
		sec.Signature, sec.Signer = mailstore.SigValid, set.Account.Address
	}
	if opts.Sign || opts.Encrypt {
		sec.Subject = draft.Subject // the Subject it protects, not the "[...]" outside an encrypted one
	}
	if err := a.Store.SetSecurity(ctx, id, sec); err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	if opts.Draft != "" {
		// The message is safe in the Outbox: its draft has done its work.
		// Best effort: a draft left behind loses nothing, and the message
		// must still go.
		_ = a.DiscardDraft(ctx, opts.Draft)
	}
	return a.submit(ctx, set, id, msgID, env, raw)
}

// missingReason words why a contact's Digital IDs cannot be used.
func missingReason(v addressbook.ContactVerdict) string {
	if v.Status == addressbook.None {
		return "has no Digital ID yet"
	}
	return "has no usable Digital ID (" + strings.TrimSuffix(v.Reason, ".") + ")"
}

// submit hands a stored Outbox message to the SMTP server and files it by
// the outcome: Sent when accepted; still in the Outbox (Queued) when the
// server could not be reached or refused for now; Drafts when the server
// refused it for good, so that the user can correct it.
func (a *App) submit(ctx context.Context, set profile.Settings, id, msgID string, env envelopeFile, raw []byte) (*SendResult, error) {
	res := &SendResult{ID: id}
	pw, err := a.secret(secretSMTP)
	if err != nil {
		return res, err
	}
	roots, err := a.serverRoots(set)
	if err != nil {
		return res, err
	}
	mode, err := smtpclient.ParseTLSMode(set.Account.SMTP.TLS)
	if err != nil {
		return res, fmt.Errorf("app: %w", err)
	}
	srv := sendServer(set.Account.SMTP)
	o := smtpclient.Options{Address: srv.Address, TLS: mode, RootCAs: roots,
		AllowCleartextLogin: srv.AllowCleartextLogin, LocalName: sendLocalName}
	if srv.Username != "" {
		o.Username, o.Password = srv.Username, pw
	}
	r, err := smtpclient.Send(ctx, o, smtpclient.Envelope{From: env.From, To: env.To, DSN: &smtpclient.DSN{
		Return: smtpclient.DSNReturnHeaders, Notify: []string{smtpclient.DSNNotifyFailure, smtpclient.DSNNotifyDelay}, EnvelopeID: id}},
		bytes.NewReader(raw))
	if r != nil {
		res.Accepted = r.Accepted
		for _, x := range r.Refused {
			res.Refused = append(res.Refused, x.Recipient+": "+x.Err.Reply())
		}
	}
	if r != nil && r.MaxSize > 0 && (r.MaxSize != set.ServerMaxSize || set.ServerMaxSizeOf != o.Address) {
		a.rememberServerSize(o.Address, r.MaxSize)
	}
	if err == nil {
		if err := a.Store.Move(ctx, []string{id}, mailstore.Sent); err != nil {
			return res, because(sentence("app.Send.notMoved", "The server accepted the message, but it could not be moved to Sent", "", nil), err)
		}
		a.removeEnvelope(msgID)
		return res, nil
	}
	var ce *smtpclient.ConnError
	var se *smtpclient.Error
	switch {
	case errors.As(err, &ce) && !smtpclient.IsCertificateError(err), errors.As(err, &se) && se.Temporary():
		res.Queued, res.cause = true, err
		res.Notice = "The message could not be sent now: " + Explain(err).What +
			". It is kept in the Outbox and will be sent at the next send or fetch — nothing is lost."
		return res, nil
	case errors.Is(err, smtpclient.ErrAllRefused), errors.Is(err, smtpclient.ErrTooLarge), errors.Is(err, smtpclient.ErrBadMessage),
		errors.As(err, &se) && se.Command == "DATA":
		if merr := a.Store.Move(ctx, []string{id}, mailstore.Drafts); merr != nil {
			return res, fmt.Errorf("app: %w", err)
		}
		a.removeEnvelope(msgID)
		return res, because(sentence("app.Send.toDrafts", "The message was not sent and was moved to Drafts", "", nil), err)
	}
	return res, because(sentence("app.Send.inOutbox", "The message is kept in the Outbox", "", nil), err)
}

// FlushOutbox retries every message waiting in the Outbox. It stops at
// the first message the server cannot take now and says how many wait.
func (a *App) FlushOutbox(ctx context.Context) (sent int, err error) {
	set, err := a.account()
	if err != nil {
		return 0, err
	}
	n, err := a.Store.Count(ctx, mailstore.Outbox)
	if err != nil || n == 0 {
		return 0, err
	}
	rows, err := a.Store.List(ctx, mailstore.Outbox, mailstore.ByDateAsc, 0, n)
	if err != nil {
		return 0, fmt.Errorf("app: %w", err)
	}
	for i, row := range rows {
		m, err := a.Store.Get(ctx, row.ID)
		if err != nil {
			return sent, fmt.Errorf("app: %w", err)
		}
		env, err := a.readEnvelope(m.MessageID)
		if err != nil {
			env = envelopeFromHeader(set.Account.Address, m.Raw)
		}
		if len(env.To) == 0 {
			continue // nothing to send it to; it stays for the user to see
		}
		res, err := a.submit(ctx, set, row.ID, m.MessageID, env, m.Raw)
		if err != nil {
			return sent, err
		}
		if res.Queued {
			return sent, because(sentence("app.FlushOutbox.waiting", "{{.N}} messages are still waiting in the Outbox",
				"they will be sent at the next send or fetch — nothing is lost", phrase.Args{"N": len(rows) - i}), res.cause)
		}
		sent++
	}
	return sent, nil
}

func (a *App) envelopePath(msgID string) string {
	sum := sha256.Sum256([]byte(strings.Trim(msgID, "<> ")))
	return a.Profile.Path(outboxDir, hex.EncodeToString(sum[:12])+".json")
}

func (a *App) writeEnvelope(msgID string, env envelopeFile) error {
	if err := os.MkdirAll(a.Profile.Path(outboxDir), 0o700); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	b, _ := json.Marshal(env)
	if err := durable.WriteFile(a.envelopePath(msgID), b, 0o600); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}

func (a *App) readEnvelope(msgID string) (envelopeFile, error) {
	var env envelopeFile
	b, err := os.ReadFile(a.envelopePath(msgID))
	if err != nil {
		return env, err
	}
	err = json.Unmarshal(b, &env)
	return env, err
}

func (a *App) removeEnvelope(msgID string) { _ = os.Remove(a.envelopePath(msgID)) }

// envelopeFromHeader rebuilds an envelope from To and Cc when the envelope
// file is lost (Bcc recipients cannot be recovered).
func envelopeFromHeader(from string, raw []byte) envelopeFile {
	env := envelopeFile{From: from}
	h := mailheader.Parse(raw)
	for _, f := range []string{"To", "Cc"} {
		for _, v := range h.Values(f) {
			list, _ := mailheader.AddressList(v)
			for _, a := range list {
				if a.Address != "" {
					env.To = append(env.To, a.Address)
				}
			}
		}
	}
	return env
}
