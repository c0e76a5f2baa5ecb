package smime

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"securemail/smime/sign"
	"securemail/smime/trust"
)

// Tolerances of the signing-time checks (docs/SECURITY.md).
const (
	// clockSkew is how far in the future a signing time may be before the
	// signature is refused: clocks of honest senders drift this much.
	clockSkew = 5 * time.Minute
	// dateSkew is how far a signing time may lie from the message's Date
	// field: both are written by the sender's program at the same moment.
	dateSkew = time.Hour
)

// verdict is the judgement of one signer.
type verdict struct {
	status  string
	reason  string
	cert    *x509.Certificate
	address string
	signer  *sign.Signer
}

// judge turns the signature layers into the report's verdict.
func (w *walker) judge(date time.Time) {
	r := w.r
	r.IgnoredSignatures = w.counted
	counted := w.sigs[w.counted:]
	if len(counted) == 0 {
		return
	}
	r.Signed = true
	var worst verdict
	for i, layer := range counted {
		v := w.judgeLayer(layer, i == 0, date)
		if i == 0 {
			r.Signer, r.SignerCertificate = v.address, v.cert
			if v.cert != nil {
				r.SignerMatchesFrom = addressMatches(v.cert, r.From)
			}
			if v.signer != nil {
				r.Capabilities, r.SigningTime = v.signer.Capabilities, v.signer.SigningTime
			}
			worst = v
			continue
		}
		if severity(v.status) > severity(worst.status) {
			worst = v
		}
	}
	r.Signature, r.Reason = worst.status, worst.reason
}

// judgeLayer judges one signature layer: the best of its signers (a layer
// may carry parallel signatures with different algorithms, RFC 5652 §5.1).
func (w *walker) judgeLayer(layer *sigLayer, outermost bool, date time.Time) verdict {
	if layer.broken != "" || layer.sd == nil {
		return verdict{status: StatusInvalid, reason: "Signature INVALID: " + orDefault(layer.broken, "the signature is damaged") + "."}
	}
	var best verdict
	for i, s := range layer.sd.Signers {
		v := w.judgeSigner(s, layer.math[i], layer.sd.Certificates, outermost, date)
		if i == 0 || severity(v.status) < severity(best.status) {
			best = v
		}
	}
	return best
}

// judgeSigner applies the policy of docs/SECURITY.md to one signer: the
// mathematics first, then the algorithm, the signing time, the certificate
// and the address.
func (w *walker) judgeSigner(s *sign.Signer, mathErr error, certs []*x509.Certificate, outermost bool, date time.Time) verdict {
	v := verdict{cert: s.Certificate, signer: s}
	if s.Certificate != nil {
		v.address = signerAddress(s.Certificate, w.r.From)
	}
	who := orDefault(v.address, "an unknown signer")
	switch {
	case errors.Is(mathErr, sign.ErrSignerNotFound):
		v.status, v.reason = StatusUntrusted, "The message is signed, but the signer's Digital ID is not included, so the signature cannot be checked."
		return v
	case errors.Is(mathErr, sign.ErrUnsupportedAlgorithm):
		v.status = StatusWeakAlgorithm
		v.reason = fmt.Sprintf("Signed by %s with an algorithm SecureMail does not accept (%s), so who sent it cannot be proven.", who, orDefault(s.Algorithm, "unknown"))
		return v
	case mathErr != nil:
		v.status, v.reason = StatusInvalid, "Signature INVALID: the message was changed after it was signed."
		return v
	}
	if s.Digest == crypto.SHA1 || strings.Contains(strings.ToUpper(s.Algorithm), "SHA-1") || strings.Contains(strings.ToUpper(s.Algorithm), "SHA1") {
		v.status = StatusWeakAlgorithm
		v.reason = fmt.Sprintf("Signed by %s with SHA-1, an algorithm too weak to prove who sent it.", who)
		return v
	}
	if !s.SigningTime.IsZero() {
		if s.SigningTime.After(w.opts.Now.Add(clockSkew)) {
			v.status = StatusInvalid
			v.reason = fmt.Sprintf("Signature INVALID: it claims to have been made on %s, which is in the future.", timeLabel(s.SigningTime))
			return v
		}
		if outermost && !date.IsZero() && absDuration(date.Sub(s.SigningTime)) > dateSkew {
			v.status = StatusInvalid
			v.reason = fmt.Sprintf("Signature INVALID: it was made on %s, but the message is dated %s.", timeLabel(s.SigningTime), timeLabel(date))
			return v
		}
	}
	res := trust.Evaluate(s.Certificate, certs, trust.Policy{
		Roots:         w.opts.Roots,
		Intermediates: w.opts.Intermediates,
		Purpose:       trust.Signing,
		Now:           w.opts.Now,
		SigningTime:   s.SigningTime,
	})
	switch string(res.Problem) {
	case "valid":
	case "expired":
		v.status = StatusExpired
		v.reason = fmt.Sprintf("Signed by %s, whose Digital ID expired on %s.", who, dateLabel(s.Certificate.NotAfter))
		return v
	case "not-yet-valid":
		v.status = StatusExpired
		v.reason = fmt.Sprintf("Signed by %s, whose Digital ID is not valid before %s.", who, dateLabel(s.Certificate.NotBefore))
		return v
	case "wrong-usage":
		v.status = StatusUntrusted
		v.reason = fmt.Sprintf("Signed by %s, but their Digital ID is not meant for signing e-mail.", who)
		return v
	case "revoked":
		v.status = StatusInvalid
		v.reason = fmt.Sprintf("Signature INVALID: %s's Digital ID has been revoked by the authority that issued it.", who)
		return v
	case "untrusted":
		v.status = StatusUntrusted
		v.reason = fmt.Sprintf("Signed by %s, but their Digital ID was issued by an authority you have not trusted.", who)
		return v
	default:
		v.status = StatusUntrusted
		v.reason = fmt.Sprintf("Signed by %s, but their Digital ID cannot be trusted: %s", who, orDefault(res.Reason, "it did not pass the checks."))
		return v
	}
	if outermost && w.r.From != "" && !addressMatches(s.Certificate, w.r.From) {
		v.status = StatusAddressMismatch
		v.reason = fmt.Sprintf("The signer's Digital ID is for %s, but the message says it is from %s.", who, w.r.From)
		return v
	}
	v.status = StatusValid
	if name := s.Certificate.Subject.CommonName; name != "" && !strings.EqualFold(name, v.address) {
		v.reason = fmt.Sprintf("Signed by %s <%s> — valid.", name, v.address)
	} else {
		v.reason = fmt.Sprintf("Signed by %s — valid.", who)
	}
	return v
}

// addressMatches reports whether a certificate is for addr
// (case-insensitive, RFC 8551 §3.1.4 / the TESTA rules).
func addressMatches(cert *x509.Certificate, addr string) bool {
	if addr == "" {
		return false
	}
	for _, a := range trust.Addresses(cert) {
		if strings.EqualFold(a, addr) {
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
		if strings.EqualFold(a, from) {
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

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
