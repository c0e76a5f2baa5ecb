package pop3server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// state is the RFC 1939 session state.
type state int

const (
	stateAuth state = iota
	stateTrans
)

type session struct {
	s       *Server
	conn    net.Conn
	r       *bufio.Reader
	w       *bufio.Writer
	isTLS   bool
	state   state
	user    string // from USER
	locked  string // mailbox lock held
	mbox    Mailbox
	msgs    []MessageInfo
	deleted []bool
	fails   int
}

func newSession(s *Server, c net.Conn, isTLS bool) *session {
	return &session{s: s, conn: c, isTLS: isTLS, r: bufio.NewReaderSize(c, 4096), w: bufio.NewWriterSize(c, 16384)}
}

// errLineTooLong is returned by readCommand for an overlong line.
var errLineTooLong = errors.New("pop3server: command line too long")

// readCommand reads one CRLF- (or LF-) terminated command line of at most
// max octets, excluding the line ending.
func readCommand(r *bufio.Reader, max int) (string, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > max+2 {
			// Swallow the rest of the line so the session can go on.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil {
				return "", err
			}
			return "", errLineTooLong
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			return "", err
		}
		break
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r")
	return s, nil
}

// parseCommand splits a command line into an upper-case keyword and its
// arguments (RFC 1939 §3: keyword, then arguments separated by one space).
func parseCommand(line string) (verb string, args []string, err error) {
	if strings.ContainsAny(line, "\r\n\x00") {
		return "", nil, errors.New("control characters in the command")
	}
	f := strings.Split(line, " ")
	verb = strings.ToUpper(f[0])
	if verb == "" || len(verb) > 4 {
		return "", nil, errors.New("unknown command")
	}
	for _, a := range f[1:] {
		if a == "" {
			continue
		}
		if len(a) > 255 && verb != "AUTH" {
			return "", nil, errors.New("argument too long")
		}
		args = append(args, a)
	}
	return verb, args, nil
}

func (c *session) reply(ok bool, format string, args ...any) {
	if ok {
		c.w.WriteString("+OK ")
	} else {
		c.w.WriteString("-ERR ")
	}
	fmt.Fprintf(c.w, format, args...)
	c.w.WriteString("\r\n")
}

// flush sends buffered replies unless more pipelined commands are waiting.
func (c *session) flush() error {
	if c.r.Buffered() > 0 {
		return nil
	}
	return c.w.Flush()
}

func (c *session) serve() {
	defer func() {
		if v := recover(); v != nil {
			c.s.logf("panic serving %v: %v\n%s", c.conn.RemoteAddr(), v, debug.Stack())
			c.reply(false, "[SYS/TEMP] internal server error")
			c.w.Flush()
		}
		c.release()
		c.conn.Close()
	}()
	c.reply(true, "POP3 server %s ready", c.s.hostname())
	if c.w.Flush() != nil {
		return
	}
	for {
		select {
		case <-c.s.done:
			c.reply(false, "[SYS/TEMP] server shutting down")
			c.w.Flush()
			return
		default:
		}
		c.conn.SetReadDeadline(time.Now().Add(c.s.idle()))
		line, err := readCommand(c.r, c.s.maxLine())
		if errors.Is(err, errLineTooLong) {
			c.reply(false, "command line too long")
			if c.flush() != nil {
				return
			}
			continue
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				select {
				case <-c.s.done:
					continue // shutdown: say so at the top of the loop
				default:
				}
				c.reply(false, "idle for too long, closing the connection")
				c.w.Flush()
			}
			return
		}
		quit := c.handle(line)
		if c.flush() != nil || quit {
			c.w.Flush()
			return
		}
	}
}

// handle runs one command and reports whether the session ends.
func (c *session) handle(line string) bool {
	verb, args, err := parseCommand(line)
	if err != nil {
		c.reply(false, "%s", err.Error())
		return false
	}
	switch verb {
	case "CAPA":
		c.capa()
	case "QUIT":
		return c.quit()
	case "NOOP":
		if c.state != stateTrans {
			c.reply(false, "log in first")
		} else {
			c.reply(true, "")
		}
	case "STLS":
		return c.stls()
	case "USER":
		c.userCmd(args)
	case "PASS":
		return c.pass(line)
	case "AUTH":
		return c.auth(args)
	case "STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "RSET":
		if c.state != stateTrans {
			c.reply(false, "log in first")
			return false
		}
		c.transaction(verb, args)
	default:
		c.reply(false, "unknown command")
	}
	return false
}

func (c *session) authAllowed() bool {
	return c.s.TLSConfig == nil || c.isTLS || c.s.AllowInsecureAuth
}

func (c *session) capa() {
	c.reply(true, "capability list follows")
	caps := []string{"TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"}
	if c.state == stateAuth {
		if c.authAllowed() {
			caps = append(caps, "USER", "SASL PLAIN")
		}
		if c.s.TLSConfig != nil && !c.isTLS {
			caps = append(caps, "STLS")
		}
	}
	caps = append(caps, "IMPLEMENTATION SecureMail-TESTA")
	for _, cp := range caps {
		c.w.WriteString(cp + "\r\n")
	}
	c.w.WriteString(".\r\n")
}

func (c *session) stls() bool {
	switch {
	case c.s.TLSConfig == nil:
		c.reply(false, "TLS is not available")
		return false
	case c.isTLS:
		c.reply(false, "TLS is already active")
		return false
	case c.state != stateAuth:
		c.reply(false, "STLS only before login")
		return false
	case c.r.Buffered() > 0:
		// RFC 2595 §4: no plaintext may be pipelined past STLS.
		c.reply(false, "commands pipelined after STLS")
		return true
	}
	c.reply(true, "begin TLS negotiation")
	if c.w.Flush() != nil {
		return true
	}
	tc := tls.Server(c.conn, c.s.TLSConfig)
	c.conn.SetDeadline(time.Now().Add(c.s.idle()))
	if err := tc.Handshake(); err != nil {
		return true
	}
	c.conn.SetDeadline(time.Time{})
	c.conn = tc
	c.isTLS = true
	c.r.Reset(tc)
	c.w.Reset(tc)
	c.user = ""
	return false
}

func (c *session) userCmd(args []string) {
	switch {
	case c.state != stateAuth:
		c.reply(false, "already logged in")
	case !c.authAllowed():
		c.reply(false, "[AUTH] log in only after STLS")
	case len(args) != 1:
		c.reply(false, "USER needs exactly one argument")
	default:
		c.user = args[0]
		c.reply(true, "send PASS")
	}
}

func (c *session) pass(line string) bool {
	if c.state != stateAuth || c.user == "" {
		c.reply(false, "send USER first")
		return false
	}
	// The password is the rest of the line: it may contain spaces.
	pw := ""
	if i := strings.IndexByte(line, ' '); i >= 0 {
		pw = line[i+1:]
	}
	user := c.user
	c.user = ""
	return c.login(user, pw)
}

func (c *session) auth(args []string) bool {
	if c.state != stateAuth {
		c.reply(false, "already logged in")
		return false
	}
	if len(args) == 0 {
		// RFC 5034 §4: without a mechanism, list them.
		c.reply(true, "")
		c.w.WriteString("PLAIN\r\n.\r\n")
		return false
	}
	if !c.authAllowed() {
		c.reply(false, "[AUTH] log in only after STLS")
		return false
	}
	if !strings.EqualFold(args[0], "PLAIN") {
		c.reply(false, "unsupported mechanism; use PLAIN")
		return false
	}
	var resp string
	if len(args) > 1 {
		resp = args[1]
	} else {
		c.w.WriteString("+ \r\n")
		if c.w.Flush() != nil {
			return true
		}
		c.conn.SetReadDeadline(time.Now().Add(c.s.idle()))
		l, err := readCommand(c.r, 2048)
		if err != nil {
			return true
		}
		resp = l
	}
	if resp == "*" {
		c.reply(false, "authentication cancelled")
		return false
	}
	if resp == "=" {
		resp = ""
	}
	raw, err := base64.StdEncoding.DecodeString(resp)
	if err != nil {
		c.reply(false, "invalid base64 in the AUTH response")
		return false
	}
	parts := strings.Split(string(raw), "\x00")
	if len(parts) != 3 || (parts[0] != "" && parts[0] != parts[1]) {
		c.reply(false, "[AUTH] malformed PLAIN response")
		return false
	}
	return c.login(parts[1], parts[2])
}

// login checks credentials, locks the mailbox and enters TRANSACTION.
func (c *session) login(user, pw string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	mb, err := c.s.Backend.Login(ctx, user, pw, c.conn.RemoteAddr())
	if c.s.OnAuth != nil {
		c.s.OnAuth(user, c.conn.RemoteAddr(), err == nil)
	}
	if err != nil {
		c.fails++
		if errors.Is(err, ErrAuthFailed) {
			select {
			case <-time.After(c.s.authDelay()):
			case <-c.s.done:
			}
			c.reply(false, "[AUTH] invalid user name or password")
		} else {
			c.reply(false, "[SYS/TEMP] the mailbox cannot be opened now")
		}
		return c.fails >= c.s.maxAuthFailures()
	}
	if !c.s.lock(user) {
		mb.Close()
		c.reply(false, "[IN-USE] the mailbox is open in another session")
		return false
	}
	c.locked = user
	msgs, err := mb.Messages()
	if err != nil {
		mb.Close()
		c.s.unlock(user)
		c.locked = ""
		c.reply(false, "[SYS/TEMP] the mailbox cannot be read now")
		return false
	}
	c.mbox, c.msgs, c.deleted = mb, msgs, make([]bool, len(msgs))
	c.state = stateTrans
	c.reply(true, "logged in, %d messages", len(msgs))
	return false
}

func (c *session) release() {
	if c.mbox != nil {
		c.mbox.Close()
		c.mbox = nil
	}
	if c.locked != "" {
		c.s.unlock(c.locked)
		c.locked = ""
	}
}

func (c *session) quit() bool {
	if c.state != stateTrans {
		c.reply(true, "bye")
		return true
	}
	// UPDATE state (RFC 1939 §6).
	var uids []string
	for i, d := range c.deleted {
		if d {
			uids = append(uids, c.msgs[i].UID)
		}
	}
	if len(uids) > 0 {
		if err := c.mbox.Delete(uids); err != nil {
			c.release()
			c.reply(false, "[SYS/TEMP] some deleted messages were not removed")
			return true
		}
	}
	// Release the mailbox before answering, so a client that logs in again
	// right after +OK does not meet [IN-USE].
	c.release()
	c.reply(true, "bye, %d messages deleted", len(uids))
	return true
}

// msgArg resolves a message-number argument.
func (c *session) msgArg(a string) (int, bool) {
	n, err := strconv.Atoi(a)
	if err != nil || n < 1 || n > len(c.msgs) || strings.HasPrefix(a, "+") {
		c.reply(false, "no such message")
		return 0, false
	}
	if c.deleted[n-1] {
		c.reply(false, "message %d is deleted", n)
		return 0, false
	}
	return n - 1, true
}

func (c *session) transaction(verb string, args []string) {
	switch verb {
	case "STAT":
		n, size := 0, int64(0)
		for i, m := range c.msgs {
			if !c.deleted[i] {
				n++
				size += m.Size
			}
		}
		c.reply(true, "%d %d", n, size)
	case "LIST", "UIDL":
		if len(args) > 0 {
			i, ok := c.msgArg(args[0])
			if !ok {
				return
			}
			c.reply(true, "%d %s", i+1, c.listValue(verb, i))
			return
		}
		c.reply(true, "listing follows")
		for i := range c.msgs {
			if !c.deleted[i] {
				fmt.Fprintf(c.w, "%d %s\r\n", i+1, c.listValue(verb, i))
			}
		}
		c.w.WriteString(".\r\n")
	case "DELE":
		if len(args) != 1 {
			c.reply(false, "DELE needs a message number")
			return
		}
		if i, ok := c.msgArg(args[0]); ok {
			c.deleted[i] = true
			c.reply(true, "message %d deleted", i+1)
		}
	case "RSET":
		for i := range c.deleted {
			c.deleted[i] = false
		}
		c.reply(true, "%d messages", len(c.msgs))
	case "RETR":
		if len(args) != 1 {
			c.reply(false, "RETR needs a message number")
			return
		}
		if i, ok := c.msgArg(args[0]); ok {
			c.send(i, -1)
		}
	case "TOP":
		if len(args) != 2 {
			c.reply(false, "TOP needs a message number and a line count")
			return
		}
		lines, err := strconv.Atoi(args[1])
		if err != nil || lines < 0 {
			c.reply(false, "invalid line count")
			return
		}
		if i, ok := c.msgArg(args[0]); ok {
			c.send(i, lines)
		}
	}
}

func (c *session) listValue(verb string, i int) string {
	if verb == "UIDL" {
		return c.msgs[i].UID
	}
	return strconv.FormatInt(c.msgs[i].Size, 10)
}

// send writes message i, dot-stuffed; bodyLines < 0 means all of it.
func (c *session) send(i, bodyLines int) {
	rc, err := c.mbox.Open(c.msgs[i].UID)
	if err != nil {
		c.reply(false, "[SYS/TEMP] message %d cannot be read now", i+1)
		return
	}
	defer rc.Close()
	c.reply(true, "%d octets", c.msgs[i].Size)
	dw := textproto.NewWriter(c.w).DotWriter()
	if bodyLines >= 0 {
		err = copyTop(dw, rc, bodyLines)
	} else {
		_, err = io.Copy(dw, rc)
	}
	if err != nil {
		// The response is already under way: end the connection, since a
		// truncated message must not look complete.
		c.conn.Close()
		return
	}
	dw.Close()
}

// copyTop copies the header, the blank line after it and n body lines.
func copyTop(w io.Writer, r io.Reader, n int) error {
	br := bufio.NewReader(r)
	inBody := false
	for !inBody || n > 0 {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if _, werr := w.Write(line); werr != nil {
				return werr
			}
			if inBody {
				n--
			} else if len(bytes.TrimRight(line, "\r\n")) == 0 {
				inBody = true
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}
