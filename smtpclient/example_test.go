package smtpclient_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"

	"github.com/emersion/go-smtp"

	"securemail/smtpclient"
)

// exampleBackend accepts every recipient but one, which is busy.
type exampleBackend struct{}

func (exampleBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return exampleSession{}, nil }

type exampleSession struct{}

func (exampleSession) Mail(string, *smtp.MailOptions) error { return nil }
func (exampleSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "Busy.") {
		return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "mailbox busy"}
	}
	return nil
}
func (exampleSession) Data(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
func (exampleSession) Reset()                 {}
func (exampleSession) Logout() error          { return nil }

// Send reports who accepted the message and why the others did not. (A
// plain connection is used here only because the example server has no
// certificate; real submission uses STARTTLS or implicit TLS.)
func ExampleSend() {
	srv := smtp.NewServer(exampleBackend{})
	srv.Domain = "example.test"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	go func() { _ = srv.Serve(l) }()
	defer srv.Close()

	msg := "From: Jan.Novak@tcn.cz.eu-admin.net\r\nSubject: Dossier 42\r\n\r\nHello.\r\n"
	res, err := smtpclient.Send(context.Background(),
		smtpclient.Options{Address: l.Addr().String(), TLS: smtpclient.TLSNone},
		smtpclient.Envelope{
			From: "Jan.Novak@tcn.cz.eu-admin.net",
			To:   []string{"Marie.Curie@tcn.f.eu-admin.net", "Busy.Person@tcn.f.eu-admin.net"},
		},
		strings.NewReader(msg))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("accepted:", res.Accepted)
	for _, r := range res.Refused {
		var e *smtpclient.Error
		if errors.As(r, &e) {
			fmt.Println("refused:", r.Recipient, e.Code, e.EnhancedCode, "temporary:", e.Temporary())
		}
	}
	// Output:
	// accepted: [Marie.Curie@tcn.f.eu-admin.net]
	// refused: Busy.Person@tcn.f.eu-admin.net 450 4.2.1 temporary: true
}

// Before anything is sent, Send refuses a password over a connection
// without TLS unless a cleartext login was allowed explicitly.
func ExampleSend_noPasswordInClear() {
	_, err := smtpclient.Send(context.Background(),
		smtpclient.Options{Address: "192.0.2.1:25", TLS: smtpclient.TLSNone, Username: "jan", Password: "secret"},
		smtpclient.Envelope{From: "Jan.Novak@tcn.cz.eu-admin.net", To: []string{"Marie.Curie@tcn.f.eu-admin.net"}},
		strings.NewReader("Subject: x\r\n\r\nx\r\n"))
	fmt.Println(errors.Is(err, smtpclient.ErrCleartextAuth))
	fmt.Println(err)
	// Output:
	// true
	// smtpclient: refusing to send the password over a connection without TLS; use starttls or implicit TLS, or allow a cleartext login explicitly
}
