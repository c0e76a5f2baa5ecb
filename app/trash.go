package app

import (
	"context"
	"fmt"

	"securemail/internal/mailheader"
	"securemail/internal/phrase"
	"securemail/mailstore"
)

// Move puts messages in another folder (a standard one or the user's own).
func (a *App) Move(ctx context.Context, ids []string, folder string) error {
	if err := a.Store.Move(ctx, ids, folder); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}

// Restore takes messages out of Trash back to where such mail lives: the
// Trash does not remember folders, so mail the user wrote returns to Sent
// and any other mail to the Inbox. It returns the folder of each, in order.
func (a *App) Restore(ctx context.Context, ids []string) ([]string, error) {
	set, err := a.Settings()
	if err != nil {
		return nil, err
	}
	var to []string
	for _, id := range ids {
		m, err := a.Store.Get(ctx, id)
		if err != nil {
			return to, fmt.Errorf("app: %w", err)
		}
		if m.Folder != mailstore.Trash {
			return to, refusal(sentence("app.Restore.notInTrash", "This message is in {{.Folder}}, not in Trash, so there is nothing to restore", "",
				phrase.Args{"Folder": folderPhrase(m.Folder)}))
		}
		folder := mailstore.Inbox
		if mailheader.EqualAddress(m.FromAddr, set.Account.Address) {
			folder = mailstore.Sent
		}
		if err := a.Store.Move(ctx, []string{id}, folder); err != nil {
			return to, fmt.Errorf("app: %w", err)
		}
		to = append(to, folder)
	}
	return to, nil
}

// EmptyTrash removes every message in Trash for good.
func (a *App) EmptyTrash(ctx context.Context) error {
	if err := a.Store.EmptyTrash(ctx); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}

// SetSeen marks a message read (seen) or unread.
func (a *App) SetSeen(ctx context.Context, id string, seen bool) error {
	add, remove := mailstore.Seen, mailstore.Flags(0)
	if !seen {
		add, remove = 0, mailstore.Seen
	}
	if err := a.Store.SetFlags(ctx, []string{id}, add, remove); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}
