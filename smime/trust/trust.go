package trust

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"slices"
	"time"

	"securemail/internal/mailheader"
	"securemail/internal/phrase"
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
	Problem Problem
	// Reason is one sentence for the user, in English: ReasonPhrase's
	// English, what the command line, the JSON reports and the logs say.
	Reason string
	// ReasonPhrase is the same sentence as a phrase, for the window to say
	// in its language (docs/ARCHITECTURE.md §7).
	ReasonPhrase phrase.Phrase       `json:"-"`
	Chain        []*x509.Certificate // the Digital ID up to a trusted root; nil when untrusted
	NotAfter     time.Time           // the earliest end of validity along the chain
	// Revocation is the CRL entry of the Digital ID (or, when Problem is
	// Revoked, of the authority that was revoked); nil when none is known.
	// It is set with Problem OK for a revocation after the judged moment
	// that is not a key compromise.
	Revocation *crl.Entry
}

// Evaluate judges cert for p. extra holds further certificates that may
// complete the chain, such as those a signed message carries.
func Evaluate(cert *x509.Certificate, extra []*x509.Certificate, p Policy) Result {
	if cert == nil {
		return Result{Problem: Untrusted, Reason: noDigitalID().String(), ReasonPhrase: noDigitalID()}
	}
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	at := now
	name := displayName(cert)
	res := Result{NotAfter: cert.NotAfter}
	fail := func(problem Problem, reason phrase.Phrase) Result {
		res.Problem, res.Reason, res.ReasonPhrase = problem, reason.String(), reason
		return res
	}
	holder := phrase.Args{"Holder": name}
	if problem, reason := LeafProblem(cert); problem != OK {
		return fail(problem, reason)
	}

	chain, err := buildChain(cert, extra, p, at)
	if err != nil {
		return fail(Untrusted, phrase.New("trust.untrusted", "The Digital ID of {{.Holder}} was issued by an authority you have not trusted.", holder))
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
		if i > 0 {
			res.Revocation = &e
		}
		return fail(Revoked, revokedPhrase(name, e, i > 0))
	}

	for i, c := range chain {
		when := phrase.Args{"Holder": name, "Day": phrase.Date(c.NotBefore)}
		switch {
		case at.Before(c.NotBefore) && i == 0:
			return fail(NotYetValid, phrase.New("trust.notyetvalid", "The Digital ID of {{.Holder}} is not valid before {{.Day}}.", when))
		case at.Before(c.NotBefore):
			return fail(NotYetValid, phrase.New("trust.ca.notyetvalid", "The authority that issued the Digital ID of {{.Holder}} is not valid before {{.Day}}.", when))
		}
		when["Day"] = phrase.Date(c.NotAfter)
		switch {
		case at.After(c.NotAfter) && i == 0:
			return fail(Expired, phrase.New("trust.expired", "The Digital ID of {{.Holder}} expired on {{.Day}}.", when))
		case at.After(c.NotAfter):
			return fail(Expired, phrase.New("trust.ca.expired", "The authority that issued the Digital ID of {{.Holder}} expired on {{.Day}}.", when))
		}
	}

	if len(cert.ExtKeyUsage)+len(cert.UnknownExtKeyUsage) > 0 &&
		!slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageEmailProtection) &&
		!slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageAny) {
		return fail(WrongUsage, phrase.New("trust.notforemail", "The Digital ID of {{.Holder}} is not meant for e-mail.", holder))
	}
	if reason := keyUsageProblem(cert, p.Purpose, name); !reason.IsZero() {
		return fail(WrongUsage, reason)
	}

	if p.Address != "" && !slices.Contains(Addresses(cert), mailheader.AddressKey(p.Address)) {
		mismatch := phrase.Args{"Holder": name, "Address": p.Address}
		if p.Purpose == Signing {
			return fail(AddressMismatch, phrase.New("trust.mismatch.from", "The Digital ID is for {{.Holder}}, but the message says it is from {{.Address}}.", mismatch))
		}
		return fail(AddressMismatch, phrase.New("trust.mismatch.to", "The Digital ID is for {{.Holder}}, not for {{.Address}}.", mismatch))
	}

	valid := phrase.New("trust.valid", "The Digital ID of {{.Holder}} is valid until {{.Day}}.", phrase.Args{"Holder": name, "Day": phrase.Date(res.NotAfter)})
	res.Problem, res.Reason, res.ReasonPhrase = OK, valid.String(), valid
	return res
}

// revokedPhrase says that the Digital ID of holder (or, for authority, the
// authority that issued it) was revoked, on the day of e, with e's reason
// when the list gives one.
func revokedPhrase(holder any, e crl.Entry, authority bool) phrase.Phrase {
	args := phrase.Args{"Holder": holder, "Day": phrase.Date(e.At)}
	if e.Reason == crl.Unspecified {
		if authority {
			return phrase.New("trust.ca.revoked", "The authority that issued the Digital ID of {{.Holder}} was revoked on {{.Day}}.", args)
		}
		return phrase.New("trust.revoked", "The Digital ID of {{.Holder}} was revoked by its authority on {{.Day}}.", args)
	}
	args["Why"] = e.Reason.Phrase()
	if authority {
		return phrase.New("trust.ca.revoked.why", "The authority that issued the Digital ID of {{.Holder}} was revoked on {{.Day}}: {{.Why}}.", args)
	}
	return phrase.New("trust.revoked.why", "The Digital ID of {{.Holder}} was revoked by its authority on {{.Day}}: {{.Why}}.", args)
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

// keyUsageProblem returns the reason naming holder when the keyUsage
// extension forbids the purpose, or a zero phrase.
func keyUsageProblem(cert *x509.Certificate, purpose Purpose, holder any) phrase.Phrase {
	ku := cert.KeyUsage
	args := phrase.Args{"Holder": holder}
	if purpose == Signing {
		if ku != 0 && ku&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
			return phrase.New("trust.usage.nosigning", "The Digital ID of {{.Holder}} may not be used to sign messages.", args)
		}
		return phrase.Phrase{}
	}
	var need x509.KeyUsage
	switch cert.PublicKey.(type) {
	case *rsa.PublicKey:
		need = x509.KeyUsageKeyEncipherment
	case *ecdsa.PublicKey:
		need = x509.KeyUsageKeyAgreement
	default:
		return phrase.New("trust.usage.encryptkey", "The Digital ID of {{.Holder}} has a key that cannot be used to encrypt messages.", args)
	}
	if ku != 0 && ku&need == 0 {
		return phrase.New("trust.usage.noencrypting", "The Digital ID of {{.Holder}} may not be used to encrypt messages.", args)
	}
	return phrase.Phrase{}
}
