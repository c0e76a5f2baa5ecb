package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"securemail/app/profile"
	"securemail/internal/bigbuf"
	"securemail/internal/mailheader"
	"securemail/internal/phrase"
	"securemail/mailstore"
	"securemail/pop3client"
	"securemail/smime"
)

// maxFetchedMessage bounds one message read from the server (the bundled
// network accepts 32 MB; leave room for base64 growth of what others send).
const maxFetchedMessage = 64 << 20

// sourceAccount names the POP3 account in the store's message sources.
func sourceAccount(s profile.Settings) string {
	return "pop3:" + s.Account.POP3.Username + "@" + s.Account.POP3.Address
}

// Fetch downloads new mail over POP3 into the Inbox, safely: each message is
// stored and fsynced before it is deleted on the server (unless kept), and
// UIDLs make a re-run after a crash neither lose nor duplicate anything.
//
// The order is: UIDL; RETR each message not yet stored (pipelined); for
// each, store it with its (account, UIDL) source — the store refuses a
// second copy — then open it in memory (decrypt, verify), record its
// security status, harvest the signer's Digital ID, update the secure-link
// state and link delivery reports; then DELE what is stored (or kept long
// enough) and QUIT, which is when the server really deletes. A crash before
// QUIT deletes nothing; a crash after it loses nothing, since what was
// deleted was stored first.
func (a *App) Fetch(ctx context.Context, progress Progress) (*FetchResult, error) {
	set, err := a.account()
	if err != nil {
		return nil, err
	}
	pw, err := a.secret(secretPOP3)
	if err != nil {
		return nil, err
	}
	roots, err := a.serverRoots(set)
	if err != nil {
		return nil, err
	}
	mode, err := pop3client.ParseTLSMode(set.Account.POP3.TLS)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	opts, err := a.newOpener()
	if err != nil {
		return nil, err
	}
	c, err := pop3client.Dial(ctx, pop3client.Options{Address: set.Account.POP3.Address, TLS: mode, RootCAs: roots,
		AllowCleartextLogin: set.Account.POP3.AllowCleartextLogin})
	if err != nil {
		return nil, because(sentence("app.Fetch.failed", "Mail could not be fetched", "", nil), err)
	}
	defer c.Close()
	if err := c.Login(ctx, set.Account.POP3.Username, pw); err != nil {
		return nil, because(sentence("app.Fetch.failed", "Mail could not be fetched", "", nil), err)
	}
	uids, err := c.UIDL(ctx)
	if err != nil {
		return nil, because(sentence("app.Fetch.failed", "Mail could not be fetched", "", nil), err)
	}
	account := sourceAccount(set)
	stored, err := a.Store.Sources(ctx, account)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	res := &FetchResult{}
	var fetch, dele []int
	uidOf := map[int]string{}
	for _, u := range uids {
		id, ok := stored[u.UID]
		if !ok {
			fetch = append(fetch, u.Num)
			uidOf[u.Num] = u.UID
			continue
		}
		del, err := a.shouldDelete(ctx, set, id, opts, res)
		if err != nil {
			return res, err
		}
		if del {
			dele = append(dele, u.Num)
		}
	}
	total := len(fetch)
	if progress != nil {
		progress(0, total)
	}
	done := 0
	err = c.RetrMany(ctx, fetch, func(n int, r io.Reader) error {
		// In pieces, stopping when ctx is done: io.ReadAll's single-step
		// copies of a growing buffer held off SIGTERM (internal/bigbuf).
		raw, err := bigbuf.ReadAll(ctx, r, maxFetchedMessage)
		if errors.Is(err, bigbuf.ErrTooLarge) {
			return refusal(sentence("app.Fetch.tooLarge", "Message {{.N}} on the server is larger than {{.MB}} MB, so it was left there",
				"read it with another mail program, or ask the sender to send it smaller", phrase.Args{"N": n, "MB": maxFetchedMessage >> 20}))
		}
		if err != nil {
			return err
		}
		// The moment it reached us, by our clock: its signature is judged then, for ever (docs/SECURITY.md §3).
		arrived := a.now()
		id, err := a.Store.Add(ctx, mailstore.Inbox, raw, mailstore.AddOptions{Source: &mailstore.Source{Account: account, UIDL: uidOf[n]},
			Arrived: arrived})
		var dup *mailstore.DuplicateError
		switch {
		case errors.As(err, &dup):
			// Stored by a run that died before QUIT: it may go now.
		case err != nil:
			return err
		default:
			res.New++
			if err := a.process(ctx, id, raw, arrived, set, opts, res); err != nil {
				return err
			}
		}
		if set.LeaveOnServerDays == 0 {
			dele = append(dele, n)
		}
		done++
		if progress != nil {
			progress(done, total)
		}
		return nil
	})
	if err != nil {
		return res, because(sentence("app.Fetch.stopped", "Fetching stopped after {{.Done}} of {{.Total}} messages (those are stored; fetch again for the rest)", "",
			phrase.Args{"Done": done, "Total": total}), err)
	}
	for _, n := range dele {
		if err := c.Dele(ctx, n); err != nil {
			return res, because(sentence("app.Fetch.deleteRefused", "The server refused to delete a fetched message (it is stored here and will be deleted next time)", "", nil), err)
		}
	}
	if err := c.Quit(ctx); err != nil {
		return res, because(sentence("app.Fetch.quit", "The server did not end the session cleanly (fetched messages are stored and will be deleted next time)", "", nil), err)
	}
	a.refreshContactLists(ctx)
	return res, nil
}

// shouldDelete decides whether a message already stored may go from the
// server now. A message stored by a run that died before processing it is
// processed here.
func (a *App) shouldDelete(ctx context.Context, set profile.Settings, id string, opts smime.OpenOptions, res *FetchResult) (bool, error) {
	if set.LeaveOnServerDays < 0 {
		return false, nil
	}
	m, err := a.Store.Get(ctx, id)
	if errors.Is(err, mailstore.ErrNotFound) {
		// Expunged here by the user: it is not wanted, and it was stored once.
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("app: %w", err)
	}
	if !m.Verified {
		if err := a.process(ctx, id, m.Raw, m.Arrived, set, opts, res); err != nil {
			return false, err
		}
	}
	if set.LeaveOnServerDays == 0 {
		return true, nil
	}
	return a.now().Sub(m.Received) >= time.Duration(set.LeaveOnServerDays)*24*time.Hour, nil
}

// process opens a newly stored message in memory and records what it found:
// its security status, the signer's Digital ID (when harvesting is on and
// the signature is valid), the secure-link state, and for a delivery
// report the message it is about. Decrypted content is never written.
// Signatures are judged at arrived, when the message reached us.
func (a *App) process(ctx context.Context, id string, raw []byte, arrived time.Time, set profile.Settings, opts smime.OpenOptions, res *FetchResult) error {
	if dr, err := parseDSN(raw); err == nil {
		res.Reports++
		if about := a.reportAbout(ctx, dr); about != "" {
			if err := a.Store.SetDSN(ctx, id, about); err != nil {
				return fmt.Errorf("app: %w", err)
			}
		}
		return a.Store.SetSecurity(ctx, id, mailstore.Security{Signature: mailstore.SigNone})
	}
	opts.Arrived = arrived // opts is this message's copy
	rep, _ := a.openChecked(ctx, raw, opts)
	if err := ctx.Err(); err != nil {
		return err // stopped half-way: nothing recorded, the next fetch processes it (shouldDelete)
	}
	if rep == nil {
		return nil
	}
	sec := securityOf(rep)
	if err := a.Store.SetSecurity(ctx, id, sec); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	if !sec.Encrypted && rep.Text != "" && slices.Contains(rep.Layers, smime.LayerSignedOpaque) {
		// Its text is inside the CMS, out of the index's reach: hand it over so search finds it.
		if err := a.Store.SetText(ctx, id, rep.Text); err != nil {
			return fmt.Errorf("app: %w", err)
		}
	}
	if rep.Signature != smime.StatusValid || rep.SignerCertificate == nil || !set.HarvestDigitalIDs {
		return nil
	}
	filed, err := a.Book.AddDigitalID("", rep.SignerCertificate, rep.Harvested, rep.Capabilities)
	if err != nil {
		return nil // a Digital ID without an address: nothing to harvest
	}
	for _, addr := range filed.New {
		if err := a.updateLink(addr, nil); err != nil {
			return err
		}
	}
	if rep.SignerMatchesFrom {
		// The From the signature vouches for: its spelling and display name.
		if f := mailheader.Parse(raw).From(); f.Problem == mailheader.FromOK {
			if err := a.Book.Learn(f.Mailbox.Address, f.Mailbox.Name); err != nil {
				return fmt.Errorf("app: %w", err)
			}
		}
	}
	res.Harvested = append(res.Harvested, filed.New...)
	return nil
}

// reportAbout finds the message a delivery report is about: by the
// envelope id we gave at submission (the message's store id), else by the
// Message-ID of the returned headers among what we sent.
func (a *App) reportAbout(ctx context.Context, dr *DeliveryReport) string {
	if dr.EnvelopeID != "" {
		if _, err := a.Store.Get(ctx, dr.EnvelopeID); err == nil {
			return dr.EnvelopeID
		}
	}
	if dr.MessageID == "" {
		return ""
	}
	rows, err := a.Store.ByMessageID(ctx, dr.MessageID)
	if err != nil {
		return ""
	}
	for _, r := range rows {
		if r.Folder == mailstore.Sent || r.Folder == mailstore.Outbox {
			return r.ID
		}
	}
	return ""
}
