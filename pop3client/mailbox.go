package pop3client

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// maxListing bounds the lines of a LIST or UIDL reply.
const maxListing = 10_000_000

// MessageInfo is one line of LIST: message number and size in octets.
type MessageInfo struct {
	Num  int
	Size int64
}

// UID is one line of UIDL: message number and unique id.
type UID struct {
	Num int
	UID string
}

// Stat returns the number of messages and their total size in octets.
func (c *Client) Stat(ctx context.Context) (count int, size int64, err error) {
	text, err := c.cmd(ctx, "STAT", "STAT")
	if err != nil {
		return 0, 0, err
	}
	f := strings.Fields(text)
	if len(f) < 2 {
		return 0, 0, fmt.Errorf("%w: STAT answered %q", ErrProtocol, truncate(text, 80))
	}
	count, err1 := strconv.Atoi(f[0])
	size, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil || count < 0 || size < 0 {
		return 0, 0, fmt.Errorf("%w: STAT answered %q", ErrProtocol, truncate(text, 80))
	}
	return count, size, nil
}

// List returns the number and size of every message not marked deleted.
func (c *Client) List(ctx context.Context) ([]MessageInfo, error) {
	lines, err := c.cmdLines(ctx, "LIST", "LIST", maxListing)
	if err != nil {
		return nil, err
	}
	out := make([]MessageInfo, 0, len(lines))
	for _, l := range lines {
		m, err := parseListLine(l)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// ListOne returns the size of message n.
func (c *Client) ListOne(ctx context.Context, n int) (MessageInfo, error) {
	if err := checkNum(n); err != nil {
		return MessageInfo{}, err
	}
	text, err := c.cmd(ctx, "LIST", "LIST "+strconv.Itoa(n))
	if err != nil {
		return MessageInfo{}, err
	}
	return parseListLine(text)
}

// UIDL returns the unique id of every message not marked deleted.
func (c *Client) UIDL(ctx context.Context) ([]UID, error) {
	lines, err := c.cmdLines(ctx, "UIDL", "UIDL", maxListing)
	if err != nil {
		return nil, err
	}
	out := make([]UID, 0, len(lines))
	for _, l := range lines {
		u, err := parseUIDLine(l)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// UIDLOne returns the unique id of message n.
func (c *Client) UIDLOne(ctx context.Context, n int) (UID, error) {
	if err := checkNum(n); err != nil {
		return UID{}, err
	}
	text, err := c.cmd(ctx, "UIDL", "UIDL "+strconv.Itoa(n))
	if err != nil {
		return UID{}, err
	}
	return parseUIDLine(text)
}

// Dele marks message n for deletion at Quit.
func (c *Client) Dele(ctx context.Context, n int) error {
	if err := checkNum(n); err != nil {
		return err
	}
	_, err := c.cmd(ctx, "DELE", "DELE "+strconv.Itoa(n))
	return err
}

// Rset unmarks every message marked for deletion.
func (c *Client) Rset(ctx context.Context) error {
	_, err := c.cmd(ctx, "RSET", "RSET")
	return err
}

// Noop asks the server for nothing; it keeps the session alive.
func (c *Client) Noop(ctx context.Context) error {
	_, err := c.cmd(ctx, "NOOP", "NOOP")
	return err
}

func checkNum(n int) error {
	if n < 1 {
		return fmt.Errorf("pop3client: message number %d is invalid; numbers start at 1", n)
	}
	return nil
}

func parseListLine(l string) (MessageInfo, error) {
	f := strings.Fields(l)
	if len(f) >= 2 {
		n, err1 := strconv.Atoi(f[0])
		size, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 == nil && err2 == nil && n > 0 && size >= 0 {
			return MessageInfo{Num: n, Size: size}, nil
		}
	}
	return MessageInfo{}, fmt.Errorf("%w: LIST answered %q", ErrProtocol, truncate(l, 80))
}

func parseUIDLine(l string) (UID, error) {
	f := strings.Fields(l)
	if len(f) >= 2 {
		n, err := strconv.Atoi(f[0])
		if err == nil && n > 0 {
			return UID{Num: n, UID: f[1]}, nil
		}
	}
	return UID{}, fmt.Errorf("%w: UIDL answered %q", ErrProtocol, truncate(l, 80))
}
