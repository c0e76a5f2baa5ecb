package smime

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"securemail/internal/mailheader"
	"securemail/smime/cms"
	"securemail/smime/crl"
	"securemail/smime/sign"
	"securemail/smime/trust"
)

// clockSkew is how far after the moment of judgement a claimed signing
// time may lie before the signature is refused: clocks of honest senders
// drift this much, and no honest message is signed after it reached us
// (docs/SECURITY.md §3).
const clockSkew = 5 * time.Minute

// verdict is the judgement of one signer.
type verdict struct {
	status  string
	problem string // the Report's Problem: what decided the status
	reason  string
	cert    *x509.Certificate
	address string
	signer  *sign.Signer
	// notAfter is the end of validity of the signer's chain, when known.
	notAfter time.Time
}

// judge turns the signature layers into the report's verdict.
func (w *walker) judge() {
	r := w.r
	r.JudgedAt = w.judgedAt().UTC().Format(time.RFC3339)
	r.IgnoredSignatures = w.counted
	r.Sender = mailheader.Shown(w.from, "", "")
	counted := w.sigs[w.counted:]
	if len(counted) == 0 {
		return
	}
	r.Signed = true
	var worst verdict
	for i, layer := range counted {
		v := w.judgeLayer(layer, i == 0)
		if i == 0 {
			r.Signer, r.SignerCertificate = v.address, v.cert
			if v.cert != nil {
				r.SignerMatchesFrom = w.from.Problem == mailheader.FromOK && addressMatches(v.cert, r.From)
			}
			if v.signer != nil {
				r.Capabilities, r.SigningTime = v.signer.Capabilities, v.signer.SigningTime
				if !r.SigningTime.IsZero() {
					r.ClaimedSigningTime = r.SigningTime.UTC().Format(time.RFC3339)
				}
			}
			worst = v
			continue
		}
		if severity(v.status) > severity(worst.status) {
			worst = v
		}
	}
	r.Signature, r.Reason, r.Problem = worst.status, worst.reason, worst.problem
	if c := r.SignerCertificate; c != nil && r.Signer != "" {
		r.Sender = mailheader.Shown(w.from, r.Signer, c.Subject.CommonName)
	}
}

// judgedAt is the moment signatures are judged at: when the message first
// reached us, if the caller knows it, else Now (docs/SECURITY.md §3).
func (w *walker) judgedAt() time.Time {
	if a := w.opts.Arrived; !a.IsZero() && a.Before(w.opts.Now) {
		return a
	}
	return w.opts.Now
}

// judgeLayer judges one signature layer: the best of its signers (a layer
// may carry parallel signatures with different algorithms, RFC 5652 §5.1).
func (w *walker) judgeLayer(layer *sigLayer, outermost bool) verdict {
	if layer.broken != "" || layer.sd == nil {
		return verdict{status: StatusInvalid, problem: orDefault(layer.problem, ProblemDamaged),
			reason: "Signature INVALID: " + orDefault(layer.broken, "the signature is damaged") + "."}
	}
	if !layer.sd.ContentType.Equal(cms.OIDData) {
		// RFC 8551 §3.1: S/MIME signs MIME entities, always as id-data. A
		// signature over another type (a receipt, a time-stamp token) is
		// not a signature on a message, however correct its mathematics.
		return verdict{status: StatusInvalid, problem: ProblemContentType,
			reason: fmt.Sprintf("Signature INVALID: what was signed is not an e-mail message (content type %s).", layer.sd.ContentType)}
	}
	var best verdict
	for i, s := range layer.sd.Signers {
		v := w.judgeSigner(s, layer.math[i], layer.sd.Certificates, outermost)
		if i == 0 || severity(v.status) < severity(best.status) {
			best = v
		}
	}
	return best
}

// judgeSigner applies the policy of docs/SECURITY.md to one signer: the
// mathematics first, then the signer's own Digital ID, the algorithm, the
// signing time, the chain at the moment of judgement and the address.
func (w *walker) judgeSigner(s *sign.Signer, mathErr error, certs []*x509.Certificate, outermost bool) verdict {
	v := verdict{cert: s.Certificate, signer: s}
	if s.Certificate != nil {
		v.address = signerAddress(s.Certificate, w.r.From)
	}
	who := orDefault(v.address, "an unknown signer")
	fail := func(status, problem, format string, a ...any) verdict {
		v.status, v.problem, v.reason = status, problem, fmt.Sprintf(format, a...)
		return v
	}
	if s.Certificate != nil && !errors.Is(mathErr, sign.ErrSignerNotFound) {
		// Before the mathematics: a key too weak for crypto/rsa to check
		// must not read as a changed message.
		switch problem, _ := trust.LeafProblem(s.Certificate); problem {
		case trust.NotEndEntity:
			return fail(StatusUntrusted, string(problem), "Signed by %s with the Digital ID of an authority (CA), not of a person, so who sent it cannot be proven.", who)
		case trust.WeakKey:
			return fail(StatusWeakAlgorithm, string(problem), "Signed by %s with a %d-bit RSA key, too weak to prove who sent it (SecureMail needs at least %d bits).",
				who, rsaBits(s.Certificate), trust.MinRSABits)
		case trust.UnsupportedCurve, trust.UnsupportedKey:
			return fail(StatusWeakAlgorithm, string(problem), "Signed by %s with a kind of key SecureMail does not accept (only RSA and the curves P-256, P-384 and P-521), so who sent it cannot be proven.", who)
		}
	}
	switch {
	case errors.Is(mathErr, sign.ErrSignerNotFound):
		return fail(StatusUntrusted, ProblemSignerMissing, "The message is signed, but the signer's Digital ID is not included, so the signature cannot be checked.")
	case errors.Is(mathErr, sign.ErrUnsupportedAlgorithm):
		return fail(StatusWeakAlgorithm, ProblemAlgorithm, "Signed by %s with an algorithm SecureMail does not accept (%s), so who sent it cannot be proven.", who, orDefault(s.Algorithm, "unknown"))
	case errors.Is(mathErr, sign.ErrContentTypeMismatch):
		return fail(StatusInvalid, ProblemContentType, "Signature INVALID: the signed content type differs from the message's.")
	case mathErr != nil:
		return fail(StatusInvalid, ProblemChanged, "Signature INVALID: the message was changed after it was signed.")
	}
	if s.Digest == crypto.SHA1 || strings.Contains(strings.ToUpper(s.Algorithm), "SHA-1") || strings.Contains(strings.ToUpper(s.Algorithm), "SHA1") {
		return fail(StatusWeakAlgorithm, ProblemSHA1, "Signed by %s with SHA-1, an algorithm too weak to prove who sent it.", who)
	}
	at := w.judgedAt()
	if !s.SigningTime.IsZero() && s.SigningTime.After(at.Add(clockSkew)) {
		if w.opts.Arrived.IsZero() {
			return fail(StatusInvalid, ProblemFutureSigningTime, "Signature INVALID: it claims to have been made on %s, which is in the future.", timeLabel(s.SigningTime))
		}
		return fail(StatusInvalid, ProblemFutureSigningTime, "Signature INVALID: it claims to have been made on %s, after the message reached us on %s.", timeLabel(s.SigningTime), timeLabel(at))
	}
	res := trust.Evaluate(s.Certificate, certs, trust.Policy{
		Roots:         w.opts.Roots,
		Intermediates: w.opts.Intermediates,
		Purpose:       trust.Signing,
		Now:           at,
		CRLs:          w.opts.CRLs,
	})
	v.notAfter = res.NotAfter
	switch res.Problem {
	case trust.OK:
	case trust.Expired:
		return fail(StatusExpired, string(res.Problem), "Signed by %s, whose Digital ID expired on %s%s.%s", who, dateLabel(res.NotAfter), w.whenJudged(at, ", before the message reached us on "), claimed(s))
	case trust.NotYetValid:
		return fail(StatusExpired, string(res.Problem), "Signed by %s, whose Digital ID is not valid before %s%s.%s", who, dateLabel(s.Certificate.NotBefore), w.whenJudged(at, "; the message reached us on "), claimed(s))
	case trust.WrongUsage:
		return fail(StatusUntrusted, string(res.Problem), "Signed by %s, but their Digital ID is not meant for signing e-mail.", who)
	case trust.Revoked:
		return fail(StatusInvalid, string(res.Problem), "%s", revokedSentence(who, res.Revocation))
	case trust.Untrusted:
		return fail(StatusUntrusted, string(res.Problem), "Signed by %s, but their Digital ID was issued by an authority you have not trusted.", who)
	default:
		return fail(StatusUntrusted, string(res.Problem), "Signed by %s, but their Digital ID cannot be trusted: %s", who, orDefault(res.Reason, "it did not pass the checks."))
	}
	if outermost && w.from.Problem != mailheader.FromOK {
		return fail(StatusBadFrom, ProblemFromPrefix+string(w.from.Problem), "Signed by %s, but %s.", who, w.from.Problem.Sentence())
	}
	if outermost && !addressMatches(s.Certificate, w.r.From) {
		return fail(StatusAddressMismatch, string(trust.AddressMismatch), "The signer's Digital ID is for %s, but the message says it is from %s.", who, w.r.From)
	}
	v.status = StatusValid
	if name := s.Certificate.Subject.CommonName; name != "" && !mailheader.EqualAddress(name, v.address) {
		v.reason = fmt.Sprintf("Signed by %s <%s> — valid.", name, v.address)
	} else {
		v.reason = fmt.Sprintf("Signed by %s — valid.", who)
	}
	if w.opts.Now.After(res.NotAfter) {
		v.reason += fmt.Sprintf(" The Digital ID was valid when the message reached us on %s; it has expired since, on %s.", dateLabel(at), dateLabel(res.NotAfter))
	}
	return v
}

// whenJudged ends a sentence with the moment a signature was judged at:
// arrival (introduced by arrived) or " (judged on DATE)".
func (w *walker) whenJudged(at time.Time, arrived string) string {
	if !w.opts.Arrived.IsZero() && at.Equal(w.opts.Arrived) {
		return arrived + dateLabel(at)
	}
	return " (judged on " + dateLabel(at) + ")"
}

// claimed is the sentence about a signer's claimed signing time, which
// never changes a verdict; "" when the signer claims none.
func claimed(s *sign.Signer) string {
	if s.SigningTime.IsZero() {
		return ""
	}
	return fmt.Sprintf(" The signature claims to have been made on %s; that claim cannot extend the Digital ID's validity.", dateLabel(s.SigningTime))
}

// rsaBits is the size of a certificate's RSA key, 0 for other keys.
func rsaBits(c *x509.Certificate) int {
	if k, ok := c.PublicKey.(*rsa.PublicKey); ok {
		return k.N.BitLen()
	}
	return 0
}

// addressMatches reports whether a certificate is for addr (RFC 8551
// §3.1.4), by the one address comparison, mailheader.EqualAddress: ASCII
// case-insensitive, anything else exactly after NFC.
func addressMatches(cert *x509.Certificate, addr string) bool {
	if addr == "" {
		return false
	}
	for _, a := range trust.Addresses(cert) {
		if mailheader.EqualAddress(a, addr) {
			return true
		}
	}
	return false
}

// signerAddress names a signer by the certificate address matching from,
// or else its first address.
func signerAddress(cert *x509.Certificate, from string) string {
	addrs := trust.Addresses(cert)
	for _, a := range addrs {
		if mailheader.EqualAddress(a, from) {
			return a
		}
	}
	if len(addrs) > 0 {
		return addrs[0]
	}
	return ""
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// revokedSentence says that a signer's Digital ID (or its authority) was
// revoked, with the date and the reason when the CRL gives one.
func revokedSentence(who string, e *crl.Entry) string {
	if e == nil {
		return fmt.Sprintf("Signature INVALID: %s's Digital ID has been revoked by the authority that issued it.", who)
	}
	why := "."
	if e.Reason != crl.Unspecified {
		why = " (" + e.Reason.Words() + ")."
	}
	return fmt.Sprintf("Signature INVALID: %s's Digital ID was revoked on %s%s", who, timeLabel(e.At), why)
}
