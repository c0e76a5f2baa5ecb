package smime

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"strings"
	"time"

	"securemail/internal/mailheader"
	"securemail/internal/phrase"
)

// Signature statuses of a Report (docs/ARCHITECTURE.md §3.2).
const (
	StatusValid           = "valid"
	StatusInvalid         = "invalid"
	StatusUntrusted       = "untrusted"
	StatusExpired         = "expired"
	StatusWeakAlgorithm   = "weak-algorithm"
	StatusAddressMismatch = "address-mismatch"
	// StatusBadFrom: the From the signer is compared with names no single
	// sender (missing, empty, several mailboxes, a group, several From
	// fields, unreadable); Report.FromProblem says which.
	StatusBadFrom = "bad-from"
	StatusNone    = "none"
)

// Sources of the From a signer is compared with (Report.FromSource).
const (
	FromSourceMessage = "message"
	FromSourceSigned  = "signed"
)

// Problems of a Report: what decided a signature's status, more finely
// than the status itself. Besides these, Problem takes the values of
// package trust's Problem ("expired", "not-yet-valid", "untrusted",
// "wrong-usage", "revoked", "address-mismatch", "ca-certificate",
// "weak-key", "unsupported-curve", "unsupported-key").
const (
	ProblemDamaged           = "damaged"             // the signature could not be parsed
	ProblemTooLarge          = "too-large"           // the signature exceeds a limit of docs/SECURITY.md §4
	ProblemContentType       = "content-type"        // the signed content is not id-data (a MIME entity)
	ProblemSignerMissing     = "signer-missing"      // the signer's Digital ID is not in the message
	ProblemAlgorithm         = "algorithm"           // an algorithm SecureMail does not accept
	ProblemChanged           = "changed"             // the digest or the signature does not verify
	ProblemSHA1              = "sha1"                // a SHA-1 digest or signature
	ProblemFutureSigningTime = "future-signing-time" // signed, it claims, after the moment of judgement
	// ProblemFromPrefix + a mailheader.Problem ("from-missing", "from-duplicate"…): the From compared with the
	// signer names no single sender (status bad-from, docs/SECURITY.md, "Who sent it").
	ProblemFromPrefix = "from-"
)

// Layer names of a Report, outermost first (docs/ARCHITECTURE.md §3.2).
const (
	LayerEnveloped      = "enveloped"
	LayerAuthEnveloped  = "auth-enveloped"
	LayerSignedDetached = "signed-detached"
	LayerSignedOpaque   = "signed-opaque"
)

// Report is what Open found in a message. Its JSON form is the `securemail
// smime open` report of docs/ARCHITECTURE.md §3.2; the fields marked
// json:"-" are for the application.
type Report struct {
	Layers            []string `json:"layers"`
	Encrypted         bool     `json:"encrypted"`
	Encryption        string   `json:"encryption"` // e.g. "aes-256-cbc"; "" when not encrypted
	Signed            bool     `json:"signed"`
	Signature         string   `json:"signature"` // one of the Status constants
	Signer            string   `json:"signer"`    // the signer's address, "" when unsigned
	SignerMatchesFrom bool     `json:"signer_matches_from"`
	Certificates      []string `json:"certificates"` // PEM, every certificate the message carried
	Text              string   `json:"text"`         // first text/plain part, decoded to UTF-8
	Error             string   `json:"error"`        // why the message could not be opened, or ""
	Reason            string   `json:"reason"`       // the banner sentence(s) for a person
	// Problem is what decided a signature status other than valid (one of
	// the Problem constants); "" when valid or unsigned.
	Problem string `json:"problem"`
	// ClaimedSigningTime is the signing time the signer claims (RFC 3339,
	// UTC), "" when none: shown, never used to judge (docs/SECURITY.md §3).
	ClaimedSigningTime string `json:"signing_time"`
	// JudgedAt is the moment the signature was judged at (RFC 3339, UTC):
	// when the message reached us if known, else now or --at.
	JudgedAt string `json:"judged_at"`
	// Notes are remarks that do not change the status, such as "revocation
	// not checked: …" when a CRL could not be fetched (the application
	// adds them; docs/SECURITY.md, revocation).
	Notes []string `json:"notes,omitempty"`
	// FromProblem is why the From compared with the signer names no single
	// sender: "" or one of "missing", "empty", "several-mailboxes",
	// "group", "duplicate", "unparsable" (mailheader.Problem).
	FromProblem string `json:"from_problem"`
	// FromSource says whose From that is: "message" (the outer header) or
	// "signed" (the signed content's own header fields, docs/SECURITY.md, "Who sent it").
	FromSource string `json:"from_source"`
	// HeaderProtection is the hp parameter of the signed content (RFC 9788):
	// "clear", "cipher", or "" when the header is not protected.
	HeaderProtection string `json:"header_protection,omitempty"`
	// ProtectedSubject and ProtectedFrom are the Subject and From of the
	// protected header (decoded), what the reader shows.
	ProtectedSubject string `json:"protected_subject,omitempty"`
	ProtectedFrom    string `json:"protected_from,omitempty"`
	// HeaderDifferences lists the protected fields whose outer copy says
	// something else (other than an encrypted message's obscured Subject):
	// the outer one is not what was signed.
	HeaderDifferences []HeaderDifference `json:"header_differences,omitempty"`

	// From is the one address of the From field compared with the signer
	// (see FromSource); "" when FromProblem is not "".
	From string `json:"-"`
	// Subject is the Subject of the same header, decoded.
	Subject string `json:"-"`
	// Sender is the sender as SecureMail shows it (mailheader.Shown): for
	// a signed message the signer's certified address, flagged when the
	// From field's name holds another address.
	Sender string `json:"-"`
	// SenderShown is Sender as data, its words and marks apart, for the
	// window to say the marks in its language; Sender is its String.
	SenderShown mailheader.Sender `json:"-"`
	// Entity is the innermost MIME entity (headers and body) after every
	// layer was removed: what the reader shows.
	Entity []byte `json:"-"`
	// Attachments are the files in Entity.
	Attachments []Attachment `json:"-"`
	// Harvested holds every certificate found in any signature layer, for
	// the address book (including those of ignored layers).
	Harvested []*x509.Certificate `json:"-"`
	// SignerCertificate is the certificate of the signer the report names.
	SignerCertificate *x509.Certificate `json:"-"`
	// Capabilities are the signer's SMIMECapabilities, in its order of
	// preference, for choosing a cipher when replying.
	Capabilities []asn1.ObjectIdentifier `json:"-"`
	// SigningTime is the signer's claimed signing time (zero when absent).
	SigningTime time.Time `json:"-"`
	// IgnoredSignatures counts signature layers that were checked but do
	// not count for the verdict because they wrap encrypted content.
	IgnoredSignatures int `json:"-"`

	// ReasonPhrases are the sentences of Reason as phrases, for the window
	// to say in its language (docs/ARCHITECTURE.md §7): Reason is their
	// English joined by spaces. They are the signature's verdict (Verdict),
	// then a warning per header difference, then the encryption; or the
	// sentence of Error.
	ReasonPhrases []phrase.Phrase `json:"-"`
	// Verdict is the signature's verdict alone, the first of ReasonPhrases;
	// nil when no signature counts.
	Verdict []phrase.Phrase `json:"-"`
	// ErrorPhrase is Error as a phrase; zero when Error is "".
	ErrorPhrase phrase.Phrase `json:"-"`
}

// VerdictPhrase is the signature's verdict (Verdict) as one phrase, for a
// sentence that quotes it ("The signer's Digital ID was not added: …");
// its English is Verdict's, joined by a space. Zero when no signature
// counts.
func (r *Report) VerdictPhrase() phrase.Phrase {
	if len(r.Verdict) == 0 {
		return phrase.Phrase{}
	}
	p := r.Verdict[len(r.Verdict)-1]
	for i := len(r.Verdict) - 2; i >= 0; i-- {
		p = phrase.New("verdict.sentences", "{{.First}} {{.Then}}", phrase.Args{"First": r.Verdict[i], "Then": p})
	}
	return p
}

// setReason makes ps the report's reason.
func (r *Report) setReason(ps ...phrase.Phrase) {
	r.ReasonPhrases = ps
	r.Reason = phrase.Join(ps, phrase.Phrase.String)
}

// addReason adds p at the end of the report's reason.
func (r *Report) addReason(p phrase.Phrase) {
	r.setReason(append(r.ReasonPhrases, p)...)
}

// newReport returns an empty report whose JSON lists are [] rather than
// null.
func newReport() *Report {
	return &Report{Layers: []string{}, Certificates: []string{}, Signature: StatusNone}
}

// harvest adds certificates to the report, once each.
func (r *Report) harvest(certs []*x509.Certificate) {
next:
	for _, c := range certs {
		for _, h := range r.Harvested {
			if h.Equal(c) {
				continue next
			}
		}
		r.Harvested = append(r.Harvested, c)
		r.Certificates = append(r.Certificates, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})))
	}
}

// severity orders statuses from best to worst, so that the verdict over
// several signature layers is the worst of them.
func severity(status string) int {
	switch status {
	case StatusValid:
		return 1
	case StatusAddressMismatch:
		return 2
	case StatusBadFrom:
		return 3
	case StatusExpired:
		return 4
	case StatusUntrusted:
		return 5
	case StatusWeakAlgorithm:
		return 6
	case StatusInvalid:
		return 7
	}
	return 0
}

// cipherLabel is how the banner names a cipher: "AES-256-GCM".
func cipherLabel(c string) string {
	if c == "des-ede3-cbc" {
		return "Triple DES"
	}
	return strings.ToUpper(c)
}

// encryptedPhrase is the sentence of an encrypted message's reason.
func encryptedPhrase(cipher string) phrase.Phrase {
	return phrase.New("banner.encrypted", "Encrypted for you ({{.Cipher}}).", phrase.Args{"Cipher": cipherLabel(cipher)})
}
