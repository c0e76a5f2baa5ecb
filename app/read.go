package app

import (
	"context"
	"fmt"

	"securemail/mailstore"
	"securemail/smime"
	"securemail/smime/envelope"
)

// newOpener loads the decryption keys and trust anchors.
func (a *App) newOpener() (smime.OpenOptions, error) {
	keys, err := a.decryptionKeys()
	if err != nil {
		return smime.OpenOptions{}, err
	}
	roots, inters, err := a.trustAnchors()
	if err != nil {
		return smime.OpenOptions{}, err
	}
	crls, err := a.revocationLists()
	if err != nil {
		return smime.OpenOptions{}, err
	}
	return smime.OpenOptions{Keys: keys, Roots: roots, Intermediates: inters, Now: a.now(), CRLs: crls}, nil
}

// decryptionKeys returns the private keys of every Digital ID of the user,
// read from the keystore at the first call.
func (a *App) decryptionKeys() ([]envelope.Key, error) {
	a.keyMu.Lock()
	defer a.keyMu.Unlock()
	if a.keys != nil {
		return a.keys, nil
	}
	keys, err := a.Wallet.DecryptionKeys()
	if err != nil {
		return nil, err
	}
	if len(keys) > 0 {
		a.keys = keys
	}
	return keys, nil
}

// forgetKeys drops the cached keys (a Digital ID was imported).
func (a *App) forgetKeys() {
	a.keyMu.Lock()
	a.keys = nil
	a.keyMu.Unlock()
}

// OpenMessage reads a stored message and opens its S/MIME layers in memory.
// The first time a message is opened its security status is recorded in
// the store (only the verdict: never decrypted content).
func (a *App) OpenMessage(ctx context.Context, id string) (*MessageView, error) {
	m, err := a.Store.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	opts, err := a.newOpener()
	if err != nil {
		return nil, err
	}
	opts.Arrived = m.Arrived                  // judged when it reached us, not now (docs/SECURITY.md §3)
	rep, _ := a.openChecked(ctx, m.Raw, opts) // the report carries the sentence of any failure
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("app: %w", err) // stopped half-way: no verdict to record
	}
	if rep != nil && (!m.Verified || rep.Signed && rep.Signature != m.Signature) {
		// First opened, or judged otherwise now that a revocation is known.
		sec := securityOf(rep)
		if err := a.Store.SetSecurity(ctx, id, sec); err != nil {
			return nil, fmt.Errorf("app: %w", err)
		}
		m.Signed, m.Signature, m.Encrypted, m.Signer, m.Verified = sec.Signed, sec.Signature, m.Encrypted || sec.Encrypted, sec.Signer, true
		if sec.Sender != nil {
			m.Sender, m.From = *sec.Sender, sec.Sender.String()
		}
	}
	if rep != nil && rep.ProtectedSubject != "" {
		// What was signed or encrypted, not what a relay may have rewritten
		// or the "[...]" outside (RFC 9788).
		m.Subject = rep.ProtectedSubject
	}
	return &MessageView{Message: m, Report: rep}, nil
}

// securityOf turns a report into the store's security status.
func securityOf(r *smime.Report) mailstore.Security {
	sig := r.Signature
	if !r.Signed || sig == "" {
		sig = mailstore.SigNone
	}
	enc := r.Encrypted
	for _, l := range r.Layers {
		enc = enc || l == smime.LayerEnveloped || l == smime.LayerAuthEnveloped
	}
	sec := mailstore.Security{Signed: r.Signed, Signature: sig, Encrypted: enc, Signer: r.Signer}
	// What the list shows and search finds (RFC 9788 header protection):
	// Open reads a protected header only inside a signature or an encryption.
	sec.Subject = r.ProtectedSubject
	if r.Signed && r.SignerCertificate != nil && r.Signer != "" {
		shown := r.SenderShown
		sec.Sender = &shown // the certified address, never the From field's words (docs/SECURITY.md, "Who sent it")
	}
	return sec
}
