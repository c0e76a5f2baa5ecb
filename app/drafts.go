package app

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"

	"securemail/app/compose"
	"securemail/internal/mailheader"
	"securemail/internal/phrase"
	"securemail/mailstore"
	"securemail/smime"
)

// SaveDraft keeps what the user is writing in the Drafts folder and
// returns the draft's id; the draft replaces (its id, "" at the first
// save) is removed once the new one is stored, so a crash between the two
// leaves two drafts, never none. When the message will be encrypted
// (opts.Encrypt) the draft is encrypted to the user's own Digital ID: its
// text and attachments never lie on disk in clear; the header (recipients,
// subject) stays readable for the Drafts list, as a Sent copy's does.
func (a *App) SaveDraft(ctx context.Context, replaces string, d *compose.Draft, opts compose.DraftOptions) (string, error) {
	set, err := a.account()
	if err != nil {
		return "", err
	}
	draft := *d
	draft.From, draft.FromName = set.Account.Address, set.Account.DisplayName
	raw, err := compose.BuildDraft(&draft, opts, a.now())
	if err != nil {
		return "", fmt.Errorf("app: the draft was not saved: %w", err)
	}
	if opts.Encrypt {
		me, err := a.Wallet.Current()
		if err != nil {
			return "", because(sentence("app.SaveDraft.noDigitalID",
				"The draft was not saved: the message is to be encrypted, and your Digital ID, which the draft is encrypted with, is not available",
				"install your Digital ID in Settings, or turn Encrypt off for this message", nil), err)
		}
		if raw, err = smime.EncryptMessage(raw, []*x509.Certificate{me.Certificate}, smime.EncryptOptions{}); err != nil {
			return "", fmt.Errorf("app: the draft was not saved: %w", err)
		}
	}
	id, err := a.Store.Add(ctx, mailstore.Drafts, raw, mailstore.AddOptions{Flags: mailstore.Seen})
	if err != nil {
		return "", fmt.Errorf("app: the draft was not saved: %w", err)
	}
	if err := a.Store.SetSecurity(ctx, id, mailstore.Security{Signature: mailstore.SigNone, Encrypted: opts.Encrypt}); err != nil {
		return id, fmt.Errorf("app: %w", err)
	}
	if replaces != "" {
		if err := a.DiscardDraft(ctx, replaces); err != nil {
			return id, err
		}
	}
	return id, nil
}

// OpenDraft reads a message of the Drafts folder back into a draft the
// composer can edit: recipients as typed, subject, text, attachments,
// threading and the Sign / Encrypt toggles. A message the server refused
// for good (moved to Drafts by Send) opens too, from its header.
func (a *App) OpenDraft(ctx context.Context, id string) (*compose.Draft, compose.DraftOptions, error) {
	v, err := a.OpenMessage(ctx, id)
	if err != nil {
		return nil, compose.DraftOptions{}, err
	}
	r := v.Report
	if r == nil || r.Error != "" {
		why := phrase.New("sentence.app.OpenDraft.unreadable.why", "it cannot be read", nil)
		if r != nil {
			why = asPhrase(r.ErrorPhrase, r.Error)
		}
		return nil, compose.DraftOptions{}, refusal(sentence("app.OpenDraft.unreadable", "The draft cannot be opened again in the composer: {{.Why}}",
			"open it from the list to read it, and copy its text into a new message", phrase.Args{"Why": why}))
	}
	h := mailheader.Parse(v.Message.Raw)
	d, opts := compose.ReadDraft(h)
	if !compose.IsDraft(h) {
		d.To, d.Cc = headerAddresses(h.Get("To")), headerAddresses(h.Get("Cc"))
		opts = compose.DraftOptions{Sign: r.Signed, Encrypt: r.Encrypted}
	}
	if r.Signed && r.ProtectedSubject != "" {
		d.Subject = r.ProtectedSubject
	}
	d.Text = r.Text
	for _, at := range r.Attachments {
		d.Attachments = append(d.Attachments, compose.Attachment{Name: at.Name, ContentType: at.ContentType, Data: at.Content})
	}
	return d, opts, nil
}

// DiscardDraft removes a draft for good (it is replaced, sent or
// discarded by the user); a draft already gone is not an error.
func (a *App) DiscardDraft(ctx context.Context, id string) error {
	m, err := a.Store.Get(ctx, id)
	if errors.Is(err, mailstore.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	if m.Folder != mailstore.Drafts {
		return refusal(sentence("app.DiscardDraft.notDraft", "Only a draft can be discarded, and this message is in {{.Folder}}", "delete it instead",
			phrase.Args{"Folder": folderPhrase(m.Folder)}))
	}
	if err := a.Store.Expunge(ctx, []string{id}); err != nil && !errors.Is(err, mailstore.ErrNotFound) {
		return fmt.Errorf("app: the old draft could not be removed: %w", err)
	}
	return nil
}

func headerAddresses(v string) []string {
	list, _ := mailheader.AddressList(v)
	out := make([]string, 0, len(list))
	for _, m := range list {
		out = append(out, m.Address)
	}
	return out
}
