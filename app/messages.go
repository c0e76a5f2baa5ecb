package app

import (
	"context"
	"fmt"

	"securemail/internal/phrase"
	"securemail/mailstore"
	"securemail/smime"
)

// Messages lists a folder newest first: limit rows from offset (limit 0:
// the whole folder).
func (a *App) Messages(ctx context.Context, folder string, offset, limit int) ([]mailstore.Row, error) {
	if limit <= 0 {
		n, err := a.Store.Count(ctx, folder)
		if err != nil {
			return nil, fmt.Errorf("app: %w", err)
		}
		limit = n
	}
	rows, err := a.Store.List(ctx, folder, mailstore.ByDateDesc, offset, limit)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return rows, nil
}

// Search finds messages containing every word of query. The bodies of
// encrypted messages are searched by decrypting them in memory, one at a
// time; their text is never written anywhere.
func (a *App) Search(ctx context.Context, query, folder string) (mailstore.SearchResult, error) {
	keys, err := a.decryptionKeys()
	if err != nil {
		return mailstore.SearchResult{}, err
	}
	res, err := a.Store.Search(ctx, query, mailstore.SearchOptions{Folder: folder,
		Decrypt: func(raw []byte) (string, error) {
			// Only decryption is needed to search: no trust anchors, so no
			// certificate path building.
			r, err := smime.Open(raw, smime.OpenOptions{Keys: keys, Now: a.now()})
			if err != nil {
				return "", err
			}
			return r.Text, nil
		}})
	if err != nil {
		return res, fmt.Errorf("app: %w", err)
	}
	return res, nil
}

// Correspondent is who a listed message is with, as the message list shows
// it: the sender of mail received, with its marks (mailstore.Row.Sender), the recipients ("To: …") of mail the
// user wrote (Sent, Outbox, Drafts) — there the sender is always the user.
// The window renders it in its language (docs/ARCHITECTURE.md §7).
func Correspondent(r mailstore.Row) phrase.Phrase {
	switch r.Folder {
	case mailstore.Sent, mailstore.Outbox, mailstore.Drafts:
		if r.To == "" {
			return phrase.New("list.correspondent.norecipient", "To: (no recipient)", nil)
		}
		return phrase.New("list.correspondent.to", "To: {{.To}}", phrase.Args{"To": r.To})
	}
	return phrase.New("list.correspondent.from", "{{.From}}", phrase.Args{"From": r.Shown().Phrase()})
}
