package ui

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"strings"
	"time"

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

func (c *appCore) HasAccount() bool { return c.Profile.HasAccount() }

func (c *appCore) Folders(ctx context.Context) ([]mailstore.Folder, error) {
	return c.Store.Folders(ctx)
}

func (c *appCore) Count(ctx context.Context, folder string) (int, error) {
	return c.Store.Count(ctx, folder)
}

func (c *appCore) List(ctx context.Context, folder string, offset, limit int) ([]mailstore.Row, error) {
	return c.Store.List(ctx, folder, mailstore.ByDateDesc, offset, limit)
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

func (c *appCore) RemoveRoot(cert *x509.Certificate) error { return c.Wallet.RemoveRoot(cert) }

func (c *appCore) ImportPFX(data []byte, password string) (*digitalid.MyID, error) {
	s, err := c.Settings()
	if err != nil {
		return nil, err
	}
	return c.Wallet.ImportPFX(data, password, s.Account.Address, c.Now())
}

// TestConnection checks that both servers answer with a mail greeting,
// over TLS where the account asks for it.
func (c *appCore) TestConnection(ctx context.Context, s app.Setup) error {
	return testConnection(ctx, s)
}

func testConnection(ctx context.Context, s app.Setup) error {
	var pool *x509.CertPool
	if len(s.ServerCA) > 0 {
		pool = x509.NewCertPool()
		pool.AppendCertsFromPEM(s.ServerCA)
	}
	if err := greet(ctx, "POP3", s.POP3, "+OK", pool); err != nil {
		return err
	}
	return greet(ctx, "SMTP", s.SMTP, "220", pool)
}

func greet(ctx context.Context, what string, srv profile.Server, want string, pool *x509.CertPool) error {
	if srv.Address == "" {
		return fmt.Errorf("ui: the %s server has no host and port; fill them in", what)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", srv.Address)
	if err != nil {
		return fmt.Errorf("ui: the %s server %s cannot be reached (%w); check the host and port", what, srv.Address, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if srv.TLS == "implicit" {
		host, _, _ := net.SplitHostPort(srv.Address)
		tc := tls.Client(conn, &tls.Config{ServerName: host, RootCAs: pool, MinVersion: tls.VersionTLS12})
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("ui: the %s server %s does not offer a TLS connection we can trust (%w)", what, srv.Address, err)
		}
		conn = tc
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("ui: the %s server %s did not greet us (%w)", what, srv.Address, err)
	}
	if !strings.HasPrefix(line, want) {
		return fmt.Errorf("ui: %s is not a %s server (it said %q)", srv.Address, what, strings.TrimSpace(line))
	}
	return nil
}
