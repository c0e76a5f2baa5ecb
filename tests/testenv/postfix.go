//go:build !windows

// Postfix is a Linux daemon: not part of the Windows build of the tests.

package testenv

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// PostfixOptions configures a Postfix instance started by StartPostfix.
type PostfixOptions struct {
	// Users maps each deliverable address to its Maildir (an absolute path;
	// Postfix creates new/, cur/ and tmp/ inside it). Their domains become
	// Postfix's virtual mailbox domains.
	Users map[string]string
	// MailUID and MailGID own the delivered files (the Dovecot mail owner).
	// Zero means the postfix user; Postfix never delivers as root.
	MailUID, MailGID int
	// AuthSocket is the path of a Dovecot auth socket. When set, submission
	// requires AUTH (after STARTTLS) through Dovecot SASL; when empty,
	// submission relays for 127.0.0.0/8 without authentication.
	AuthSocket string
	// MessageSizeLimit is Postfix's message_size_limit in bytes; zero means
	// 50 MB (enough for a 10 MB attachment after base64).
	MessageSizeLimit int64
	// Refuse maps recipient addresses to the reply Postfix gives at RCPT TO
	// time, as a three-digit code ("550", "450") optionally followed by text.
	Refuse map[string]string

	// Hostname is myhostname (the banner and EHLO name); "" means
	// localhost. Instances that relay to each other need different names:
	// Postfix refuses to deliver to a server that greets it with its own.
	Hostname string
	// CA issues the instance's TLS certificate (valid for localhost and
	// 127.0.0.1, usable as server and as client certificate). Instances
	// started with the same CA trust each other, as servers and as clients.
	// nil means a CA of the instance's own.
	CA *PostfixCA
	// Inbound adds a second SMTP service (Postfix.Inbound) for mail from
	// other servers, as a national server's port 25: STARTTLS required,
	// and a client certificate issued by CA required (smtpd_tls_req_ccert,
	// permit_tls_all_clientcerts). It accepts mail for the Users' domains,
	// and relays other mail for those clients when RelayHost is set.
	Inbound bool
	// RelayHost is host:port of the next server (e.g. another instance's
	// Inbound). Mail for domains outside Users goes there over SMTP with
	// STARTTLS, the server's certificate verified against CA for the name
	// localhost (smtp_tls_security_level = secure, match=localhost), this
	// instance's certificate presented as client certificate. Empty: such
	// mail is refused, as without this option.
	RelayHost string
	// Settings are main.cf parameters applied after the helper's own (they
	// replace a parameter the helper sets), e.g. SeedQueueSettings(), or
	// smtp_tls_connection_reuse = yes (the tlsproxy service is configured).
	Settings map[string]string
}

// SeedQueueSettings returns the TESTA relay's queue behaviour from the
// seed as Postfix parameters: retry every 2 minutes
// (minimal_backoff_time = maximal_backoff_time = queue_run_delay = 2m), a
// delay warning after 4 hours, a non-delivery report after 5 days.
func SeedQueueSettings() map[string]string {
	return map[string]string{
		"minimal_backoff_time":   "2m",
		"maximal_backoff_time":   "2m",
		"queue_run_delay":        "2m",
		"delay_warning_time":     "4h",
		"maximal_queue_lifetime": "5d",
		"bounce_queue_lifetime":  "5d",
	}
}

// Postfix is a running Postfix master with one submission service on
// 127.0.0.1 that requires STARTTLS.
type Postfix struct {
	Submission string         // host:port of the submission service
	Inbound    string         // host:port of the inbound service; "" without PostfixOptions.Inbound
	CAFile     string         // PEM file of the CA that issued the server certificate
	CAPool     *x509.CertPool // the same CA as a pool
	Dir        string         // the instance's own folder (config, queue, data, log)
	LogFile    string         // Postfix's mail log
	PID        int            // the master process
}

// postfixBin is where Debian installs the Postfix daemons.
const postfixBin = "/usr/lib/postfix/sbin/master"

// StartPostfix starts a Postfix master with its own config, queue and data
// directories under t.TempDir(), listening on 127.0.0.1 only, and stops it
// by PID when the test ends. The mail log is printed if the test fails.
func StartPostfix(t testing.TB, o PostfixOptions) *Postfix {
	t.Helper()
	master := RequireTool(t, postfixBin, "postfix")
	if os.Geteuid() != 0 {
		msg := "testenv: Postfix's master must run as root (it drops to the postfix user itself)"
		if InCI() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	// Postfix daemons and the virtual delivery agent run as other users:
	// they must be able to traverse the test's folders.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatalf("testenv: %v", err)
		}
	}
	p := &Postfix{Dir: dir, LogFile: filepath.Join(dir, "maillog")}
	conf := filepath.Join(dir, "conf")
	if err := postfixMakeQueue(dir); err != nil {
		t.Fatalf("testenv: Postfix queue: %v", err)
	}
	if err := os.MkdirAll(conf, 0o755); err != nil {
		t.Fatalf("testenv: %v", err)
	}
	ca := o.CA
	if ca == nil {
		var err error
		if ca, err = NewPostfixCA(); err != nil {
			t.Fatalf("testenv: Postfix CA: %v", err)
		}
	}
	pool, err := ca.issue(conf)
	if err != nil {
		t.Fatalf("testenv: Postfix certificate: %v", err)
	}
	p.CAFile, p.CAPool = filepath.Join(conf, "ca.pem"), pool

	uid, gid := o.MailUID, o.MailGID
	if uid == 0 || gid == 0 {
		pu, pg, err := postfixUser()
		if err != nil {
			t.Fatalf("testenv: %v", err)
		}
		if uid == 0 {
			uid = pu
		}
		if gid == 0 {
			gid = pg
		}
	}
	for _, maildir := range o.Users {
		if err := postfixMakeMaildir(maildir, uid, gid); err != nil {
			t.Fatalf("testenv: Maildir: %v", err)
		}
	}
	files := map[string]string{
		"main.cf":    postfixMainCF(dir, o, uid, gid),
		"vmailbox":   postfixVmailbox(o.Users),
		"refuse":     postfixRefuse(o.Refuse),
		"tls_policy": postfixTLSPolicy(o.RelayHost),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(conf, name), []byte(body), 0o644); err != nil {
			t.Fatalf("testenv: %v", err)
		}
	}
	// The master binds its ports itself, so they are chosen here; a start
	// that finds one taken (another program bound it in between) is tried
	// again on other ports. Started means the master holds each listening
	// socket, not merely that something answers on the port.
	for attempt := 1; ; attempt++ {
		port, inbound := freePort(t), 0
		p.Submission, p.Inbound = net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), ""
		if o.Inbound {
			for inbound == 0 || inbound == port {
				inbound = freePort(t)
			}
			p.Inbound = net.JoinHostPort("127.0.0.1", strconv.Itoa(inbound))
		}
		if err := os.WriteFile(filepath.Join(conf, "master.cf"), []byte(postfixMasterCF(port, inbound)), 0o644); err != nil {
			t.Fatalf("testenv: %v", err)
		}
		err := p.startMaster(t, master, conf, port, inbound)
		if err == nil {
			return p
		}
		if !errors.Is(err, errPortTaken) || attempt == 3 {
			t.Fatalf("testenv: Postfix did not start: %v\n%s", err, p.Log())
		}
		t.Logf("testenv: Postfix found a port taken; trying others")
	}
}

// errPortTaken: the master could not bind a port another program holds.
var errPortTaken = errors.New("a port was taken by another program")

// startMaster runs the master on conf and waits until it listens on port
// (and inbound, unless 0). The master is stopped when the test ends.
func (p *Postfix) startMaster(t testing.TB, master, conf string, port, inbound int) error {
	// Postfix refuses configuration files modified less than a second ago.
	past := time.Now().Add(-time.Minute)
	entries, _ := os.ReadDir(conf)
	for _, e := range entries {
		_ = os.Chtimes(filepath.Join(conf, e.Name()), past, past)
	}
	pidFile := filepath.Join(p.Dir, "queue", "pid", "master.pid")
	_ = os.Remove(pidFile) // a failed attempt's
	cmd := exec.Command(master, "-c", conf, "-s")
	cmd.Dir = p.Dir
	out, err := os.Create(filepath.Join(p.Dir, "master.out"))
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Start()
	out.Close()
	if err != nil {
		return fmt.Errorf("starting Postfix: %w", err)
	}
	// The master runs in the foreground; reap it when it ends so that it
	// never lingers as a zombie of the test binary.
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pid, err := ReadPIDFile(ctx, pidFile)
	if err != nil {
		_ = cmd.Process.Kill()
		<-exited
		return err
	}
	p.PID = pid
	masterProc, err := os.FindProcess(pid) // bound now, while the PID file is fresh
	if err != nil {
		return err
	}
	t.Cleanup(func() {
		StopProcess(masterProc, 10*time.Second)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
		}
		if t.Failed() {
			t.Logf("Postfix mail log:\n%s", p.Log())
		}
	})
	return Until(ctx, func() error {
		for _, port := range []int{port, inbound} {
			if port == 0 {
				continue
			}
			if ok, err := holdsListener(pid, port); err != nil || !ok {
				if ended(exited) {
					l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
					if err != nil {
						return GiveUp(fmt.Errorf("port %d: %w (%w)", port, errPortTaken, err))
					}
					l.Close()
					return GiveUp(errors.New("the master ended"))
				}
				return fmt.Errorf("the master does not listen on port %d yet (%v)", port, err)
			}
		}
		return nil
	})
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago:
// only for a daemon that binds its ports itself (Postfix's master), whose
// start then checks that it holds them. Elsewhere a test listens on
// 127.0.0.1:0 and keeps the listener, or uses RefusedAddr.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testenv: no free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// holdsListener reports whether process pid holds the socket listening on
// 127.0.0.1:port (Linux: /proc/net/tcp and the process's descriptors).
func holdsListener(pid, port int) (bool, error) {
	b, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return false, err
	}
	local := fmt.Sprintf("0100007F:%04X", port)
	inode := ""
	for _, line := range strings.Split(string(b), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) > 9 && f[1] == local && f[3] == "0A" { // 0A: LISTEN
			inode = f[9]
		}
	}
	if inode == "" {
		return false, nil
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return false, err
	}
	for _, fd := range fds {
		if l, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name())); err == nil && l == "socket:["+inode+"]" {
			return true, nil
		}
	}
	return false, nil
}

// Log returns Postfix's mail log so far (and anything the master printed).
func (p *Postfix) Log() string {
	var b strings.Builder
	for _, f := range []string{filepath.Join(p.Dir, "master.out"), p.LogFile} {
		if data, err := os.ReadFile(f); err == nil {
			b.Write(data)
		}
	}
	return b.String()
}

// WaitMaildir waits until a Maildir holds at least n messages (in new/ or
// cur/, where a POP3 server moves what it has served) and returns their
// paths; timeout is the guard against a hang.
func (p *Postfix) WaitMaildir(t testing.TB, maildir string, n int, timeout time.Duration) []string {
	t.Helper()
	var paths []string
	Eventually(t, timeout, func() error {
		paths = paths[:0]
		for _, sub := range []string{"new", "cur"} {
			entries, _ := os.ReadDir(filepath.Join(maildir, sub))
			for _, e := range entries {
				paths = append(paths, filepath.Join(maildir, sub, e.Name()))
			}
		}
		if len(paths) < n {
			return fmt.Errorf("testenv: %d of %d messages in %s", len(paths), n, maildir)
		}
		return nil
	})
	sort.Strings(paths)
	return paths
}

// postfixMakeQueue creates the queue directory with the owners and modes
// `postfix set-permissions` would give it.
func postfixMakeQueue(dir string) error {
	pu, _, err := postfixUser()
	if err != nil {
		return err
	}
	postdrop, err := lookupGroup("postdrop")
	if err != nil {
		return err
	}
	q := filepath.Join(dir, "queue")
	if err := os.MkdirAll(filepath.Join(q, "pid"), 0o755); err != nil {
		return err
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	if err := os.Chown(data, pu, 0); err != nil {
		return err
	}
	for _, d := range []string{"active", "bounce", "corrupt", "defer", "deferred", "flush", "hold", "incoming", "private", "saved", "trace"} {
		p := filepath.Join(q, d)
		if err := os.Mkdir(p, 0o700); err != nil {
			return err
		}
		if err := os.Chown(p, pu, 0); err != nil {
			return err
		}
	}
	for d, mode := range map[string]os.FileMode{"public": 0o710 | os.ModeSetgid, "maildrop": 0o730 | os.ModeSticky} {
		p := filepath.Join(q, d)
		if err := os.Mkdir(p, 0o700); err != nil {
			return err
		}
		if err := os.Chown(p, pu, postdrop); err != nil {
			return err
		}
		if err := os.Chmod(p, mode); err != nil {
			return err
		}
	}
	return nil
}

// postfixMakeMaildir creates a Maildir owned by the mail user when it does
// not exist yet; the virtual agent, running as that user, cannot create it
// inside a folder owned by root.
func postfixMakeMaildir(maildir string, uid, gid int) error {
	if _, err := os.Stat(maildir); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(maildir), 0o755); err != nil {
		return err
	}
	for _, d := range []string{maildir, filepath.Join(maildir, "new"), filepath.Join(maildir, "cur"), filepath.Join(maildir, "tmp")} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return err
		}
		if err := os.Chown(d, uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// postfixMainCF writes main.cf for one instance.
func postfixMainCF(dir string, o PostfixOptions, uid, gid int) string {
	conf := filepath.Join(dir, "conf")
	limit := o.MessageSizeLimit
	if limit == 0 {
		limit = 50 << 20
	}
	domains := map[string]bool{}
	for addr := range o.Users {
		if i := strings.LastIndexByte(addr, '@'); i >= 0 {
			domains[strings.ToLower(addr[i+1:])] = true
		}
	}
	var doms []string
	for d := range domains {
		doms = append(doms, d)
	}
	sort.Strings(doms)
	minUID := uid
	if minUID < 1 {
		minUID = 1
	}
	relay := "permit_mynetworks, reject_unauth_destination"
	sasl := "smtpd_sasl_auth_enable = no\n"
	if o.AuthSocket != "" {
		relay = "permit_sasl_authenticated, reject"
		sasl = "smtpd_sasl_auth_enable = yes\nsmtpd_sasl_type = dovecot\nsmtpd_sasl_path = " + o.AuthSocket + "\n" +
			"smtpd_sasl_security_options = noanonymous\nsmtpd_tls_auth_only = yes\n"
	}
	hostname := o.Hostname
	if hostname == "" {
		hostname = "localhost"
	}
	lines := []string{
		"compatibility_level = 3.6",
		"queue_directory = " + filepath.Join(dir, "queue"),
		"data_directory = " + filepath.Join(dir, "data"),
		"command_directory = /usr/sbin",
		"daemon_directory = /usr/lib/postfix/sbin",
		"meta_directory = /etc/postfix",
		"shlib_directory = /usr/lib/postfix",
		"mail_owner = postfix",
		"setgid_group = postdrop",
		"maillog_file_prefixes = " + dir,
		"maillog_file = " + filepath.Join(dir, "maillog"),
		"inet_interfaces = 127.0.0.1",
		"inet_protocols = ipv4",
		"myhostname = " + hostname,
		"mydomain = localdomain",
		"myorigin = localhost",
		"mydestination =",
		"mynetworks = 127.0.0.0/8",
		"relayhost =",
		"alias_maps =",
		"alias_database =",
		"local_recipient_maps =",
		"biff = no",
		// Leave submitted headers alone: no Date/Message-ID added, no address
		// rewriting. Only the trace headers are prepended.
		"local_header_rewrite_clients =",
		"remote_header_rewrite_domain =",
		"smtputf8_enable = yes",
		"smtpd_banner = $myhostname ESMTP Postfix (SecureMail test peer)",
		"smtpd_tls_security_level = encrypt",
		"smtpd_tls_cert_file = " + filepath.Join(conf, "server.pem"),
		"smtpd_tls_key_file = " + filepath.Join(conf, "server.key"),
		"smtpd_tls_session_cache_database =",
		"smtpd_relay_restrictions = " + relay,
		"smtpd_recipient_restrictions = check_recipient_access texthash:" + filepath.Join(conf, "refuse"),
		"smtpd_client_connection_rate_limit = 0",
		"smtpd_error_sleep_time = 0",
		"smtpd_soft_error_limit = 100",
		"smtpd_hard_error_limit = 100",
		"message_size_limit = " + strconv.FormatInt(limit, 10),
		"virtual_mailbox_limit = 0",
		"virtual_mailbox_domains = " + strings.Join(doms, " "),
		"virtual_mailbox_base = /",
		"virtual_mailbox_maps = texthash:" + filepath.Join(conf, "vmailbox"),
		"virtual_uid_maps = static:" + strconv.Itoa(uid),
		"virtual_gid_maps = static:" + strconv.Itoa(gid),
		"virtual_minimum_uid = " + strconv.Itoa(minUID),
		"virtual_transport = virtual",
		"default_transport = error:this test Postfix delivers only to its own users",
		"delay_warning_time = 0",
		// Logged per connection: the TLS handshakes ("TLS connection
		// established") and, on deliveries, conn_use=N when reused.
		"smtpd_tls_loglevel = 1",
		"smtp_tls_loglevel = 1",
	}
	if o.Inbound {
		lines = append(lines, "smtpd_tls_CAfile = "+filepath.Join(conf, "ca.pem"))
	}
	if o.RelayHost != "" {
		lines = append(lines,
			"relayhost = "+postfixNextHop(o.RelayHost),
			"default_transport = smtp",
			"smtp_tls_security_level = secure",
			"smtp_tls_policy_maps = texthash:"+filepath.Join(conf, "tls_policy"),
			"smtp_tls_CAfile = "+filepath.Join(conf, "ca.pem"),
			"smtp_tls_cert_file = "+filepath.Join(conf, "server.pem"),
			"smtp_tls_key_file = "+filepath.Join(conf, "server.key"),
			"smtp_tls_session_cache_database =",
		)
	}
	var keys []string
	for k := range o.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		lines = append(lines, k+" = "+o.Settings[k])
	}
	return strings.Join(postfixLastWins(lines), "\n") + "\n" + sasl
}

// postfixLastWins keeps one line per parameter: the last one given, at the
// place of the first.
func postfixLastWins(lines []string) []string {
	at := map[string]int{}
	var out []string
	for _, l := range lines {
		name, _, _ := strings.Cut(l, "=")
		name = strings.TrimSpace(name)
		if i, ok := at[name]; ok {
			out[i] = l
			continue
		}
		at[name] = len(out)
		out = append(out, l)
	}
	return out
}

// postfixNextHop writes host:port as a Postfix next hop without MX lookup.
func postfixNextHop(hostport string) string {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return "[" + hostport + "]"
	}
	return "[" + host + "]:" + port
}

// postfixTLSPolicy requires a verified certificate for localhost from the
// relay host (the name in the helper's certificates).
func postfixTLSPolicy(relayHost string) string {
	if relayHost == "" {
		return ""
	}
	return postfixNextHop(relayHost) + " secure match=localhost\n"
}

// postfixMasterCF lists the services: one smtpd on the submission port and
// the internal daemons, none chrooted (the queue is under a temp folder).
func postfixMasterCF(port, inbound int) string {
	in := ""
	if inbound != 0 {
		in = strconv.Itoa(inbound) + ` inet n - n - - smtpd -o syslog_name=postfix/inbound -o smtpd_tls_ask_ccert=yes -o smtpd_tls_req_ccert=yes -o smtpd_client_restrictions=permit_tls_all_clientcerts,reject -o smtpd_relay_restrictions=permit_tls_all_clientcerts,reject
`
	}
	return strconv.Itoa(port) + ` inet n - n - - smtpd
` + in + `smtp      unix  -       -       n       -       -       smtp
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
proxymap  unix  -       -       n       -       -       proxymap
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
tlsproxy  unix  -       -       n       -       0       tlsproxy
`
}

// postfixVmailbox maps each address to its Maildir, relative to
// virtual_mailbox_base (/); the trailing slash selects Maildir format.
func postfixVmailbox(users map[string]string) string {
	var b strings.Builder
	for addr, maildir := range users {
		p := strings.TrimPrefix(filepath.Clean(maildir), "/") + "/"
		fmt.Fprintf(&b, "%s %s\n", strings.ToLower(addr), p)
	}
	return b.String()
}

// postfixRefuse writes the check_recipient_access table.
func postfixRefuse(refuse map[string]string) string {
	var b strings.Builder
	for addr, reply := range refuse {
		reply = strings.TrimSpace(reply)
		if len(reply) == 3 {
			reply += " refused by the test's Postfix"
		}
		fmt.Fprintf(&b, "%s %s\n", strings.ToLower(addr), reply)
	}
	return b.String()
}

// postfixUser returns the postfix user's UID and GID.
func postfixUser() (uid, gid int, err error) {
	b, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 4 && f[0] == "postfix" {
			uid, err1 := strconv.Atoi(f[2])
			gid, err2 := strconv.Atoi(f[3])
			if err1 == nil && err2 == nil {
				return uid, gid, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("no postfix user in /etc/passwd (is the postfix package installed?)")
}

// lookupGroup returns a group's GID from /etc/group.
func lookupGroup(name string) (int, error) {
	b, err := os.ReadFile("/etc/group")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 3 && f[0] == name {
			return strconv.Atoi(f[2])
		}
	}
	return 0, fmt.Errorf("no %s group in /etc/group (is the postfix package installed?)", name)
}

// PostfixCA is a test CA for Postfix instances (see PostfixOptions.CA).
type PostfixCA struct {
	// Pool holds the CA certificate, for clients that connect to the
	// instances.
	Pool *x509.CertPool
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// NewPostfixCA makes a fresh CA, valid for a day.
func NewPostfixCA() (*PostfixCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: "Postfix test CA", Organization: []string{"SecureMail tests"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &PostfixCA{Pool: pool, cert: cert, key: key}, nil
}

// issue writes the CA (ca.pem) and a certificate for 127.0.0.1 and
// localhost, for server and client use (server.pem with the CA, server.key),
// into dir.
func (ca *PostfixCA) issue(dir string) (*x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 100))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"SecureMail tests"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw})
	chain := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), caPEM...)
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), caPEM, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "server.pem"), chain, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "server.key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return nil, err
	}
	return ca.Pool, nil
}
