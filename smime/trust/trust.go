package trust

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"slices"
	"time"

	"securemail/internal/mailheader"
	"securemail/smime/crl"
)

// Purpose is what a Digital ID is evaluated for.
type Purpose int

// Purposes.
const (
	Signing    Purpose = iota // verifying a signature the holder made
	Encryption                // encrypting a message to the holder
)

// Problem is the outcome of an evaluation; OK when there is none.
type Problem string

// Problems, in the app's and the JSON reports' vocabulary.
const (
	OK              Problem = "valid"
	Expired         Problem = "expired"
	NotYetValid     Problem = "not-yet-valid"
	Untrusted       Problem = "untrusted"
	AddressMismatch Problem = "address-mismatch"
	WrongUsage      Problem = "wrong-usage"
	Revoked         Problem = "revoked"
	// The rules of LeafProblem.
	NotEndEntity     Problem = "ca-certificate"
	WeakKey          Problem = "weak-key"
	UnsupportedCurve Problem = "unsupported-curve"
	UnsupportedKey   Problem = "unsupported-key"
)

// Policy is what a Digital ID is evaluated against.
type Policy struct {
	Roots         []*x509.Certificate // explicitly trusted roots (no system roots, ever)
	Intermediates []*x509.Certificate // from the store; the message's certificates go to Evaluate
	Purpose       Purpose
	// Now is the moment of judgement; zero: time.Now(). For a signature it
	// is when the message first reached us (see the package documentation),
	// never the signing time the message claims.
	Now     time.Time
	Address string // expected address (the From or the recipient); "" skips the check
	CRLs    []*x509.RevocationList
}

// Result is the verdict on a Digital ID.
type Result struct {
	Problem  Problem
	Reason   string              // one sentence for the user
	Chain    []*x509.Certificate // the Digital ID up to a trusted root; nil when untrusted
	NotAfter time.Time           // the earliest end of validity along the chain
	// Revocation is the CRL entry of the Digital ID (or, when Problem is
	// Revoked, of the authority that was revoked); nil when none is known.
	// It is set with Problem OK for a revocation after the judged moment
	// that is not a key compromise.
	Revocation *crl.Entry
}

// dateLayout is how dates read in reasons: "2 November 2026" (UTC).
const dateLayout = "2 January 2006"

func date(t time.Time) string { return t.UTC().Format(dateLayout) }

// Evaluate judges cert for p. extra holds further certificates that may
// complete the chain, such as those a signed message carries.
func Evaluate(cert *x509.Certificate, extra []*x509.Certificate, p Policy) Result {
	if cert == nil {
		return Result{Problem: Untrusted, Reason: "There is no Digital ID to check."}
	}
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	at := now
	name := displayName(cert)
	res := Result{NotAfter: cert.NotAfter}
	fail := func(problem Problem, format string, a ...any) Result {
		res.Problem, res.Reason = problem, fmt.Sprintf(format, a...)
		return res
	}
	if problem, reason := LeafProblem(cert); problem != OK {
		res.Problem, res.Reason = problem, reason
		return res
	}

	chain, err := buildChain(cert, extra, p, at)
	if err != nil {
		return fail(Untrusted, "The Digital ID of %s was issued by an authority you have not trusted.", name)
	}
	res.Chain = chain
	for _, c := range chain {
		if c.NotAfter.Before(res.NotAfter) {
			res.NotAfter = c.NotAfter
		}
	}

	for i, c := range chain {
		issuer := c // a root is its own issuer
		if i+1 < len(chain) {
			issuer = chain[i+1]
		}
		e, revoked := revocation(c, issuer, p.CRLs)
		if !revoked {
			continue
		}
		if i == 0 {
			res.Revocation = &e
		}
		if !counts(e, at) {
			continue
		}
		why := ""
		if e.Reason != crl.Unspecified {
			why = ": " + e.Reason.Words()
		}
		if i == 0 {
			return fail(Revoked, "The Digital ID of %s was revoked by its authority on %s%s.", name, date(e.At), why)
		}
		res.Revocation = &e
		return fail(Revoked, "The authority that issued the Digital ID of %s was revoked on %s%s.", name, date(e.At), why)
	}

	for i, c := range chain {
		switch {
		case at.Before(c.NotBefore) && i == 0:
			return fail(NotYetValid, "The Digital ID of %s is not valid before %s.", name, date(c.NotBefore))
		case at.Before(c.NotBefore):
			return fail(NotYetValid, "The authority that issued the Digital ID of %s is not valid before %s.", name, date(c.NotBefore))
		case at.After(c.NotAfter) && i == 0:
			return fail(Expired, "The Digital ID of %s expired on %s.", name, date(c.NotAfter))
		case at.After(c.NotAfter):
			return fail(Expired, "The authority that issued the Digital ID of %s expired on %s.", name, date(c.NotAfter))
		}
	}

	if len(cert.ExtKeyUsage)+len(cert.UnknownExtKeyUsage) > 0 &&
		!slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageEmailProtection) &&
		!slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageAny) {
		return fail(WrongUsage, "The Digital ID of %s is not meant for e-mail.", name)
	}
	if reason := keyUsageProblem(cert, p.Purpose); reason != "" {
		return fail(WrongUsage, reason, name)
	}

	if p.Address != "" && !slices.Contains(Addresses(cert), mailheader.AddressKey(p.Address)) {
		if p.Purpose == Signing {
			return fail(AddressMismatch, "The Digital ID is for %s, but the message says it is from %s.", name, p.Address)
		}
		return fail(AddressMismatch, "The Digital ID is for %s, not for %s.", name, p.Address)
	}

	res.Problem = OK
	res.Reason = fmt.Sprintf("The Digital ID of %s is valid until %s.", name, date(res.NotAfter))
	return res
}

// buildChain finds a chain from cert to one of the policy's roots. It
// builds at a moment inside cert's own validity: the judged time, clamped;
// failing that, at either end of that validity, so that an authority which
// is not valid at the judged time is reported as a time problem, not as an
// untrusted issuer.
func buildChain(cert *x509.Certificate, extra []*x509.Certificate, p Policy, at time.Time) ([]*x509.Certificate, error) {
	opts := x509.VerifyOptions{
		Roots:         x509.NewCertPool(), // never nil: a nil pool would mean the system's roots
		Intermediates: x509.NewCertPool(),
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny}, // EKU is checked by Evaluate (RFC 8550 §4.4.4)
	}
	for _, c := range p.Roots {
		if c != nil {
			opts.Roots.AddCert(c)
		}
	}
	for _, c := range append(slices.Clip(p.Intermediates), extra...) {
		if c != nil {
			opts.Intermediates.AddCert(c)
		}
	}
	when := at
	if when.Before(cert.NotBefore) {
		when = cert.NotBefore
	}
	if when.After(cert.NotAfter) {
		when = cert.NotAfter
	}
	var firstErr error
	for _, t := range []time.Time{when, cert.NotBefore, cert.NotAfter} {
		opts.CurrentTime = t
		chains, err := cert.Verify(opts)
		if err == nil {
			return chains[0], nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, fmt.Errorf("trust: %w", firstErr)
}

// keyUsageProblem returns a reason format (with one %s for the holder) when
// the keyUsage extension forbids the purpose, or "".
func keyUsageProblem(cert *x509.Certificate, purpose Purpose) string {
	ku := cert.KeyUsage
	if purpose == Signing {
		if ku != 0 && ku&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
			return "The Digital ID of %s may not be used to sign messages."
		}
		return ""
	}
	var need x509.KeyUsage
	switch cert.PublicKey.(type) {
	case *rsa.PublicKey:
		need = x509.KeyUsageKeyEncipherment
	case *ecdsa.PublicKey:
		need = x509.KeyUsageKeyAgreement
	default:
		return "The Digital ID of %s has a key that cannot be used to encrypt messages."
	}
	if ku != 0 && ku&need == 0 {
		return "The Digital ID of %s may not be used to encrypt messages."
	}
	return ""
}
