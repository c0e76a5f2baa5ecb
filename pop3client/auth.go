package pop3client

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
)

// Login authenticates. With TLS, it uses AUTH PLAIN (RFC 5034, initial
// response) when the server advertises SASL PLAIN, and USER/PASS otherwise
// (also on an allowed cleartext connection).
// Without TLS it refuses with ErrCleartextLogin unless the options allow
// cleartext login. A refusal is an *Error whose Code may be AUTH, IN-USE,
// LOGIN-DELAY or SYS/TEMP.
func (c *Client) Login(ctx context.Context, user, password string) error {
	if err := checkArg(user); err != nil {
		return err
	}
	if err := checkArg(password); err != nil {
		return err
	}
	if user == "" {
		return errors.New("pop3client: the user name is empty")
	}
	if c.tls == nil && !c.opts.AllowCleartextLogin {
		return ErrCleartextLogin
	}
	var err error
	if c.tls != nil && c.caps.SASL("PLAIN") {
		err = c.authPlain(ctx, user, password)
	} else {
		err = c.userPass(ctx, user, password)
	}
	if err != nil {
		return err
	}
	c.authed = true
	// RFC 2449 §5: capabilities may change after authentication (e.g.
	// PIPELINING or a new EXPIRE value).
	if c.capaOK {
		if err := c.Capa(ctx); err != nil && c.broken != nil {
			return err
		}
	}
	return nil
}

func (c *Client) userPass(ctx context.Context, user, password string) error {
	if _, err := c.cmd(ctx, "USER", "USER "+user); err != nil {
		return err
	}
	_, err := c.cmd(ctx, "PASS", "PASS "+password)
	return err
}

// authPlain runs AUTH PLAIN with the initial response when the command
// fits in 255 octets (RFC 5034 §4), else in two steps.
func (c *Client) authPlain(ctx context.Context, user, password string) error {
	resp := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password))
	if err := c.begin(ctx); err != nil {
		return err
	}
	line := "AUTH PLAIN " + resp
	if len(line) > 253 {
		line = "AUTH PLAIN"
	}
	if err := c.send(line); err != nil {
		return c.end("AUTH", c.connErr("AUTH", err))
	}
	for range 2 {
		l, err := readLine(c.br)
		if err != nil {
			return c.end("AUTH", c.connErr("AUTH", err))
		}
		if l == "+" || len(l) >= 2 && l[:2] == "+ " {
			if line != "AUTH PLAIN" {
				// A challenge after the initial response: cancel.
				_ = c.send("*")
				_, _ = c.status("AUTH")
				return c.end("AUTH", fmt.Errorf("%w: the server asked for more after AUTH PLAIN's response", ErrProtocol))
			}
			if err := c.send(resp); err != nil {
				return c.end("AUTH", c.connErr("AUTH", err))
			}
			line = ""
			continue
		}
		ok, code, text, err := parseStatus(l)
		if err != nil {
			return c.end("AUTH", c.connErr("AUTH", err))
		}
		if !ok {
			return c.end("AUTH", &Error{Command: "AUTH", Code: code, Text: text})
		}
		return c.end("AUTH", nil)
	}
	return c.end("AUTH", c.connErr("AUTH", fmt.Errorf("%w: AUTH PLAIN did not finish", ErrProtocol)))
}
