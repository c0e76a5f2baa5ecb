package smime

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"securemail/internal/mailheader"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// The addresses of the hostile-sender tests: Eve holds a Digital ID of the
// test network and tries to pass her mail off as Jan's.
const (
	eveAddr    = "Eve.Kask@tcn.b.eu-admin.net"
	victimAddr = "Jan.Peeters@tcn.b.eu-admin.net"
)

// hostileCase is one way of presenting a message signed by Eve.
type hostileCase struct {
	name    string
	header  string // the header fields, CRLF line ends, without the empty line
	status  string
	problem mailheader.Problem
	flagged bool // the sender shown carries FlagOtherAddress: a From field names someone else
}

// hostileCases are the classes of docs/SECURITY.md, "Who sent it": none may read as a
// valid message from the victim, and the sender shown is always Eve's
// certified address.
func hostileCases() []hostileCase {
	return []hostileCase{
		{name: "control: honest From", header: "From: Eve Kask <" + eveAddr + ">", status: StatusValid},
		{name: "no From, Sender names the victim", header: "Sender: Jan Peeters <" + victimAddr + ">\r\nReply-To: " + victimAddr +
			"\r\nReturn-Path: <" + victimAddr + ">", status: StatusBadFrom, problem: mailheader.FromMissing},
		{name: "empty From, Sender names the victim", header: "From:\r\nSender: " + victimAddr, status: StatusBadFrom, problem: mailheader.FromEmpty},
		{name: "null From", header: "From: <>\r\nSender: " + victimAddr, status: StatusBadFrom, problem: mailheader.FromEmpty},
		{name: "bare CR hides a From line", header: "X-Note: x\rFrom: Jan Peeters <" + victimAddr + ">\r\nFrom: " + eveAddr, status: StatusValid},
		{name: "bare CR inside the From field", header: "From: Jan Peeters <" + victimAddr + ">\rX-Eve: <" + eveAddr + ">", status: StatusBadFrom, problem: mailheader.FromUnparsable, flagged: true},
		{name: "two mailboxes", header: "From: " + eveAddr + ", Jan Peeters <" + victimAddr + ">", status: StatusBadFrom, problem: mailheader.FromSeveral, flagged: true},
		{name: "two mailboxes, victim first", header: "From: Jan Peeters <" + victimAddr + ">, " + eveAddr, status: StatusBadFrom, problem: mailheader.FromSeveral, flagged: true},
		{name: "group", header: "From: Belgian testers: " + eveAddr + ", " + victimAddr + ";", status: StatusBadFrom, problem: mailheader.FromGroup, flagged: true},
		{name: "duplicate From, victim second", header: "From: " + eveAddr + "\r\nFrom: " + victimAddr, status: StatusBadFrom, problem: mailheader.FromDuplicate, flagged: true},
		{name: "duplicate From, victim first", header: "From: " + victimAddr + "\r\nFrom: " + eveAddr, status: StatusBadFrom, problem: mailheader.FromDuplicate, flagged: true},
		{name: "unparsable From", header: "From: Jan Peeters <" + victimAddr, status: StatusBadFrom, problem: mailheader.FromUnparsable, flagged: true},
		{name: "display name is another address", header: `From: "` + victimAddr + `" <` + eveAddr + `>`, status: StatusValid, flagged: true},
		{name: "comment is another address", header: "From: " + eveAddr + " (" + victimAddr + ")", status: StatusValid, flagged: true},
		{name: "encoded word hides an address", header: "From: =?utf-8?q?Jan_Peeters_=3C" + strings.ReplaceAll(victimAddr, "@", "=40") + "=3E?= <" + eveAddr + ">", status: StatusValid, flagged: true},
		{name: "full-width at sign in the name", header: "From: Jan.Peeters\uff20tcn.b.eu-admin.net <" + eveAddr + ">", status: StatusValid, flagged: true},
		{name: "matches only after Unicode folding (Kelvin sign)", header: "From: Eve.\u212Aask@tcn.b.eu-admin.net", status: StatusAddressMismatch, flagged: true},
		{name: "matches only after Unicode folding (long s)", header: "From: Eve.Ka\u017Fk@tcn.b.eu-admin.net", status: StatusAddressMismatch, flagged: true},
		{name: "the victim's address", header: "From: " + victimAddr, status: StatusAddressMismatch, flagged: true},
		{name: "obsolete white space before the colon", header: "From : " + victimAddr, status: StatusAddressMismatch, flagged: true},
		{name: "NUL in the From field", header: "From: " + eveAddr + "\x00" + victimAddr, status: StatusBadFrom, problem: mailheader.FromUnparsable, flagged: true},
	}
}

// TestHostileSenders: Eve signs, for every class, a message presented as
// coming from Jan. The verdict is never valid for the victim, the sender
// shown is Eve's certified address (flagged where a name carries another
// address), the From compared is the store's From, and only the honest
// shapes are valid.
func TestHostileSenders(t *testing.T) {
	w := newWorld(t)
	eve := w.issue(t, testca.IssueOptions{Email: eveAddr, Name: "Eve Kask"})
	roots := []*x509.Certificate{w.ca.Root}
	now := time.Now().Truncate(time.Second)
	for _, c := range hostileCases() {
		for _, opaque := range []bool{false, true} {
			t.Run(c.name+map[bool]string{false: "/detached", true: "/opaque"}[opaque], func(t *testing.T) {
				msg := []byte(c.header + "\r\nTo: Marie.Curie@tcn.f.eu-admin.net\r\nSubject: Card file\r\nDate: " +
					now.Format(time.RFC1123Z) + "\r\n\r\nPlease send me the card file.\r\n")
				signed, err := SignMessage(msg, eve.id, SignOptions{Now: now, Opaque: opaque})
				if err != nil {
					t.Fatal(err)
				}
				r, err := Open(signed, OpenOptions{Roots: roots, Now: now})
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				if r.Signature != c.status || mailheader.Problem(r.FromProblem) != c.problem {
					t.Fatalf("signature %q, from problem %q (%s); want %q, %q", r.Signature, r.FromProblem, r.Reason, c.status, c.problem)
				}
				if c.problem != "" && !strings.Contains(r.Reason, c.problem.Sentence()) {
					t.Errorf("reason %q does not say %q", r.Reason, c.problem.Sentence())
				}
				if r.SignerMatchesFrom != (c.status == StatusValid) {
					t.Errorf("signer_matches_from = %v for status %s", r.SignerMatchesFrom, r.Signature)
				}
				if !strings.HasPrefix(r.Sender, "Eve Kask <"+strings.ToLower(eveAddr)+">") {
					t.Errorf("sender shown %q, want Eve's certified address", r.Sender)
				}
				if got := strings.Contains(r.Sender, mailheader.FlagOtherAddress); got != c.flagged {
					t.Errorf("sender shown %q: flagged %v, want %v", r.Sender, got, c.flagged)
				}
				if strings.Contains(strings.ToLower(r.Sender), strings.ToLower(victimAddr)) {
					t.Errorf("the victim's address is shown as the sender: %q", r.Sender)
				}
				// The store indexes the same From (one parser).
				if got, want := mailheader.AddressKey(r.From), mailheader.AddressKey(mailheader.Parse(signed).From().Address()); got != want {
					t.Errorf("the verdict compared %q, the store's header reader sees %q", got, want)
				}
			})
		}
	}
}

// TestOpenSSLWholeMessage: openssl smime/cms -sign on a whole message puts
// its header fields inside the signed content and writes no From outside.
// The From inside is the one compared with the signer: Eve's honest
// message is valid, one whose signed From is Jan is not, and an outer From
// added by someone else never stands in for it.
func TestOpenSSLWholeMessage(t *testing.T) {
	testenv.RequireTool(t, "openssl", "openssl")
	w := newWorld(t)
	eve := w.issue(t, testca.IssueOptions{Email: eveAddr, Name: "Eve Kask"})
	roots := []*x509.Certificate{w.ca.Root}
	body := "\r\nTo: Marie.Curie@tcn.f.eu-admin.net\r\nSubject: Card file\r\nContent-Type: text/plain\r\n\r\nPlease send me the card file.\r\n"
	for _, tc := range []struct {
		name, inner, outer string
		status             string
		source             string
	}{
		{"honest", "From: Eve Kask <" + eveAddr + ">", "", StatusValid, FromSourceSigned},
		{"signed From is the victim", "From: Jan Peeters <" + victimAddr + ">", "", StatusAddressMismatch, FromSourceSigned},
		{"outer From added for the victim", "From: " + eveAddr, "From: " + victimAddr + "\r\n", StatusValid, FromSourceSigned},
		{"no From anywhere", "X-Mailer: openssl", "", StatusBadFrom, FromSourceMessage},
		{"two From fields inside", "From: " + eveAddr + "\r\nFrom: " + victimAddr, "", StatusBadFrom, FromSourceSigned},
	} {
		for _, cmd := range [][]string{
			{"smime", "-sign"},
			{"cms", "-sign"},
			{"cms", "-sign", "-nodetach"},
		} {
			t.Run(tc.name+"/"+strings.Join(cmd, " "), func(t *testing.T) {
				in := writeFile(t, t.TempDir(), "msg.eml", []byte(tc.inner+body))
				args := append(append([]string{}, cmd...), "-in", in, "-signer", eve.certPEM, "-inkey", eve.keyPEM, "-certfile", eve.chainPEM, "-md", "sha256")
				out := run(t, nil, "openssl", args...)
				signed := append([]byte(tc.outer), out...)
				r, err := Open(signed, OpenOptions{Roots: roots})
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				if r.Signature != tc.status || r.FromSource != tc.source {
					t.Fatalf("signature %q from %q (%s); want %q from %q", r.Signature, r.FromSource, r.Reason, tc.status, tc.source)
				}
				if strings.Contains(strings.ToLower(r.Sender), strings.ToLower(victimAddr)) {
					t.Errorf("the victim's address is shown as the sender: %q", r.Sender)
				}
				if tc.status == StatusValid && !strings.HasPrefix(r.Sender, "Eve Kask <") {
					t.Errorf("sender shown %q", r.Sender)
				}
			})
		}
	}
}
