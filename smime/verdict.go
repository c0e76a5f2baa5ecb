package smime

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"strings"
	"time"

	"securemail/internal/mailheader"
	"securemail/internal/phrase"
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
	problem string          // the Report's Problem: what decided the status
	reason  []phrase.Phrase // the Report's Verdict
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
	r.SenderShown = mailheader.Shown(w.from, "", "")
	r.Sender = r.SenderShown.String()
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
	r.Signature, r.Problem, r.Verdict = worst.status, worst.problem, worst.reason
	r.setReason(worst.reason...)
	if c := r.SignerCertificate; c != nil && r.Signer != "" {
		r.SenderShown = mailheader.Shown(w.from, r.Signer, c.Subject.CommonName)
		r.Sender = r.SenderShown.String()
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
	if !layer.broken.IsZero() || layer.sd == nil {
		broken := layer.broken
		if broken.IsZero() {
			broken = damagedSignature()
		}
		return verdict{status: StatusInvalid, problem: orDefault(layer.problem, ProblemDamaged), reason: []phrase.Phrase{broken}}
	}
	if !layer.sd.ContentType.Equal(cms.OIDData) {
		// RFC 8551 §3.1: S/MIME signs MIME entities, always as id-data. A
		// signature over another type (a receipt, a time-stamp token) is
		// not a signature on a message, however correct its mathematics.
		return verdict{status: StatusInvalid, problem: ProblemContentType, reason: []phrase.Phrase{
			phrase.New("verdict.invalid.notmail", "Signature INVALID: what was signed is not an e-mail message (content type {{.Type}}).", phrase.Args{"Type": layer.sd.ContentType.String()})}}
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
	var who any = v.address
	if v.address == "" {
		who = phrase.New("verdict.unknownsigner", "an unknown signer", nil)
	}
	fail := func(status, problem string, reason ...phrase.Phrase) verdict {
		v.status, v.problem, v.reason = status, problem, reason
		return v
	}
	signer := phrase.Args{"Who": who}
	if s.Certificate != nil && !errors.Is(mathErr, sign.ErrSignerNotFound) {
		// Before the mathematics: a key too weak for crypto/rsa to check
		// must not read as a changed message.
		switch problem, _ := trust.LeafProblem(s.Certificate); problem {
		case trust.NotEndEntity:
			return fail(StatusUntrusted, string(problem), phrase.New("verdict.untrusted.ca", "Signed by {{.Who}} with the Digital ID of an authority (CA), not of a person, so who sent it cannot be proven.", signer))
		case trust.WeakKey:
			return fail(StatusWeakAlgorithm, string(problem), phrase.New("verdict.weak.key", "Signed by {{.Who}} with a {{.Bits}}-bit RSA key, too weak to prove who sent it (SecureMail needs at least {{.Min}} bits).",
				phrase.Args{"Who": who, "Bits": rsaBits(s.Certificate), "Min": trust.MinRSABits}))
		case trust.UnsupportedCurve, trust.UnsupportedKey:
			return fail(StatusWeakAlgorithm, string(problem), phrase.New("verdict.weak.keytype", "Signed by {{.Who}} with a kind of key SecureMail does not accept (only RSA and the curves P-256, P-384 and P-521), so who sent it cannot be proven.", signer))
		}
	}
	switch {
	case errors.Is(mathErr, sign.ErrSignerNotFound):
		return fail(StatusUntrusted, ProblemSignerMissing, phrase.New("verdict.untrusted.signermissing", "The message is signed, but the signer's Digital ID is not included, so the signature cannot be checked.", nil))
	case errors.Is(mathErr, sign.ErrUnsupportedAlgorithm):
		var algorithm any = s.Algorithm
		if s.Algorithm == "" {
			algorithm = phrase.New("verdict.weak.algorithm.unknown", "unknown", nil)
		}
		return fail(StatusWeakAlgorithm, ProblemAlgorithm, phrase.New("verdict.weak.algorithm", "Signed by {{.Who}} with an algorithm SecureMail does not accept ({{.Algorithm}}), so who sent it cannot be proven.",
			phrase.Args{"Who": who, "Algorithm": algorithm}))
	case errors.Is(mathErr, sign.ErrContentTypeMismatch):
		return fail(StatusInvalid, ProblemContentType, phrase.New("verdict.invalid.contenttype", "Signature INVALID: the signed content type differs from the message's.", nil))
	case mathErr != nil:
		return fail(StatusInvalid, ProblemChanged, phrase.New("verdict.invalid.changed", "Signature INVALID: the message was changed after it was signed.", nil))
	}
	if s.Digest == crypto.SHA1 || strings.Contains(strings.ToUpper(s.Algorithm), "SHA-1") || strings.Contains(strings.ToUpper(s.Algorithm), "SHA1") {
		return fail(StatusWeakAlgorithm, ProblemSHA1, phrase.New("verdict.weak.sha1", "Signed by {{.Who}} with SHA-1, an algorithm too weak to prove who sent it.", signer))
	}
	at := w.judgedAt()
	if !s.SigningTime.IsZero() && s.SigningTime.After(at.Add(clockSkew)) {
		when := phrase.Args{"Claimed": phrase.Moment(s.SigningTime), "Arrived": phrase.Moment(at)}
		if w.opts.Arrived.IsZero() {
			return fail(StatusInvalid, ProblemFutureSigningTime, phrase.New("verdict.invalid.future", "Signature INVALID: it claims to have been made on {{.Claimed}}, which is in the future.", when))
		}
		return fail(StatusInvalid, ProblemFutureSigningTime, phrase.New("verdict.invalid.future.arrived", "Signature INVALID: it claims to have been made on {{.Claimed}}, after the message reached us on {{.Arrived}}.", when))
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
		return fail(StatusExpired, string(res.Problem), w.outOfValidity(at, false, phrase.Args{"Who": who, "Day": phrase.Date(res.NotAfter), "Judged": phrase.Date(at)}), claimed(s))
	case trust.NotYetValid:
		return fail(StatusExpired, string(res.Problem), w.outOfValidity(at, true, phrase.Args{"Who": who, "Day": phrase.Date(s.Certificate.NotBefore), "Judged": phrase.Date(at)}), claimed(s))
	case trust.WrongUsage:
		return fail(StatusUntrusted, string(res.Problem), phrase.New("verdict.untrusted.usage", "Signed by {{.Who}}, but their Digital ID is not meant for signing e-mail.", signer))
	case trust.Revoked:
		return fail(StatusInvalid, string(res.Problem), revokedSentence(who, res.Revocation))
	case trust.Untrusted:
		return fail(StatusUntrusted, string(res.Problem), phrase.New("verdict.untrusted.issuer", "Signed by {{.Who}}, but their Digital ID was issued by an authority you have not trusted.", signer))
	default:
		why := res.ReasonPhrase
		if why.IsZero() {
			why = phrase.New("verdict.untrusted.checks", "it did not pass the checks.", nil)
		}
		return fail(StatusUntrusted, string(res.Problem), phrase.New("verdict.untrusted.other", "Signed by {{.Who}}, but their Digital ID cannot be trusted: {{.Why}}", phrase.Args{"Who": who, "Why": why}))
	}
	if outermost && w.from.Problem != mailheader.FromOK {
		return fail(StatusBadFrom, ProblemFromPrefix+string(w.from.Problem), phrase.New("verdict.badfrom", "Signed by {{.Who}}, but {{.Why}}.", phrase.Args{"Who": who, "Why": w.from.Problem.Phrase()}))
	}
	if outermost && !addressMatches(s.Certificate, w.r.From) {
		return fail(StatusAddressMismatch, string(trust.AddressMismatch), phrase.New("verdict.mismatch", "The signer's Digital ID is for {{.Who}}, but the message says it is from {{.From}}.", phrase.Args{"Who": who, "From": w.r.From}))
	}
	v.status = StatusValid
	if name := s.Certificate.Subject.CommonName; name != "" && !mailheader.EqualAddress(name, v.address) {
		v.reason = []phrase.Phrase{phrase.New("verdict.valid.named", "Signed by {{.Name}} <{{.Address}}> — valid.", phrase.Args{"Name": name, "Address": v.address})}
	} else {
		v.reason = []phrase.Phrase{phrase.New("verdict.valid", "Signed by {{.Who}} — valid.", signer)}
	}
	if w.opts.Now.After(res.NotAfter) {
		v.reason = append(v.reason, phrase.New("verdict.valid.expiredsince", "The Digital ID was valid when the message reached us on {{.Arrived}}; it has expired since, on {{.Expired}}.",
			phrase.Args{"Arrived": phrase.Date(at), "Expired": phrase.Date(res.NotAfter)}))
	}
	return v
}

// outOfValidity is the verdict on a signer whose Digital ID had expired
// (or, notYet, was not yet valid) at the moment of judgement at, saying
// that moment: when the message reached us, or else the day it was judged.
// args hold Who, Day (the end or the start of validity) and Judged.
func (w *walker) outOfValidity(at time.Time, notYet bool, args phrase.Args) phrase.Phrase {
	arrived := !w.opts.Arrived.IsZero() && at.Equal(w.opts.Arrived)
	switch {
	case notYet && arrived:
		return phrase.New("verdict.notyetvalid.arrived", "Signed by {{.Who}}, whose Digital ID is not valid before {{.Day}}; the message reached us on {{.Judged}}.", args)
	case notYet:
		return phrase.New("verdict.notyetvalid", "Signed by {{.Who}}, whose Digital ID is not valid before {{.Day}} (judged on {{.Judged}}).", args)
	case arrived:
		return phrase.New("verdict.expired.arrived", "Signed by {{.Who}}, whose Digital ID expired on {{.Day}}, before the message reached us on {{.Judged}}.", args)
	}
	return phrase.New("verdict.expired", "Signed by {{.Who}}, whose Digital ID expired on {{.Day}} (judged on {{.Judged}}).", args)
}

// claimed is the sentence about a signer's claimed signing time, which
// never changes a verdict; a zero phrase when the signer claims none.
func claimed(s *sign.Signer) phrase.Phrase {
	if s.SigningTime.IsZero() {
		return phrase.Phrase{}
	}
	return phrase.New("verdict.claimed", "The signature claims to have been made on {{.Claimed}}; that claim cannot extend the Digital ID's validity.", phrase.Args{"Claimed": phrase.Date(s.SigningTime)})
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
func revokedSentence(who any, e *crl.Entry) phrase.Phrase {
	if e == nil {
		return phrase.New("verdict.revoked.byauthority", "Signature INVALID: {{.Who}}'s Digital ID has been revoked by the authority that issued it.", phrase.Args{"Who": who})
	}
	args := phrase.Args{"Who": who, "At": phrase.Moment(e.At)}
	if e.Reason == crl.Unspecified {
		return phrase.New("verdict.revoked", "Signature INVALID: {{.Who}}'s Digital ID was revoked on {{.At}}.", args)
	}
	args["Why"] = e.Reason.Phrase()
	return phrase.New("verdict.revoked.why", "Signature INVALID: {{.Who}}'s Digital ID was revoked on {{.At}} ({{.Why}}).", args)
}
