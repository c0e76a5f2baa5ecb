package ui

import (
	"context"
	"crypto/x509"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/digitalid"
	"securemail/app/profile"
	"securemail/mailstore"
)

// AppCore adapts the real application core to the GUI's interfaces.
func AppCore(a *app.App) Core { return &appCore{App: a} }

type appCore struct {
	*app.App
}

// TestConnection checks the wizard's servers with the core's checks.
func (c *appCore) TestConnection(ctx context.Context, s app.Setup, report func(app.ConnStep)) error {
	return app.TestConnection(ctx, s, report)
}

func (c *appCore) HasAccount() bool { return c.Profile.HasAccount() }

func (c *appCore) Folders(ctx context.Context) ([]mailstore.Folder, error) {
	return c.Store.Folders(ctx)
}

func (c *appCore) Count(ctx context.Context, folder string) (int, error) {
	return c.Store.Count(ctx, folder)
}

func (c *appCore) List(ctx context.Context, folder string, order mailstore.Sort, offset, limit int) ([]mailstore.Row, error) {
	return c.Store.List(ctx, folder, order, offset, limit)
}

func (c *appCore) Search(ctx context.Context, query string) ([]mailstore.Row, error) {
	res, err := c.Store.Search(ctx, query, mailstore.SearchOptions{Limit: 500})
	return res.Rows, err
}

func (c *appCore) Delete(ctx context.Context, ids []string) error { return c.Store.Delete(ctx, ids) }

func (c *appCore) MarkSeen(ctx context.Context, id string) error {
	return c.Store.SetFlags(ctx, []string{id}, mailstore.Seen, 0)
}

func (c *appCore) ImportDigitalID(data []byte) ([]string, error) { return c.Book.Import(data) }

func (c *appCore) RemoveDigitalID(addr, fp string) error { return c.Book.RemoveDigitalID(addr, fp) }

func (c *appCore) SetDefaultDigitalID(addr, fp string) error { return c.Book.SetDefault(addr, fp) }

func (c *appCore) SaveContact(ct *addressbook.Contact) error { return c.Book.Put(ct) }

func (c *appCore) RemoveContact(addr string) error { return c.Book.Remove(addr) }

func (c *appCore) MyIDs() ([]digitalid.MyID, error) { return c.Wallet.MyIDs() }

func (c *appCore) ExportP7B() ([]byte, error) { return c.Wallet.ExportP7B() }

func (c *appCore) Roots() ([]*x509.Certificate, error) { return c.Wallet.Roots() }

func (c *appCore) TrustRoot(a *digitalid.Authority) error { return c.Wallet.TrustRoot(a, c.Now()) }

func (c *appCore) RemoveRoot(cert *x509.Certificate) error { return c.Wallet.RemoveRoot(cert) }

func (c *appCore) ImportPFX(data []byte, password string) (*digitalid.MyID, error) {
	s, err := c.Settings()
	if err != nil {
		return nil, err
	}
	return c.Wallet.ImportPFX(data, password, s.Account.Address, c.Now())
}

func (c *appCore) LoadLayout() profile.Layout { return c.Profile.LoadLayout() }

func (c *appCore) SaveLayout(l profile.Layout) error { return c.Profile.SaveLayout(l) }

func (c *appCore) WatchContacts(fn func()) func() { return c.Book.Watch(fn) }
