// Package trust evaluates a Digital ID (an X.509 certificate) for S/MIME:
// is it issued, through the known intermediates, by a root the user trusts
// explicitly (never the system's roots), is it valid at the time that
// matters, not revoked, meant for e-mail and this use, and for the address
// in question? Evaluate answers with one Problem and a sentence for the UI.
//
// Validity-time policy: everything is judged at Policy.Now, the moment of
// judgement the caller chooses. For a signature that is when the message
// first reached us, recorded by our own clock when it was fetched (see
// docs/SECURITY.md §3), so mail that was valid when it arrived stays valid
// after the Digital ID expires. The signing time a message claims is never
// used: it is written by whoever holds the key, and a leaked or expired key
// could otherwise back-date forever. Encryption and the address book are
// judged now.
//
// Whoever issued it, a Digital ID is refused (LeafProblem) when it is an
// authority's certificate (basicConstraints CA:TRUE), has an RSA key under
// 2048 bits, or an EC key on a curve other than P-256, P-384 and P-521.
//
// Problems are reported in this order, the first that applies: the rules
// of LeafProblem, untrusted issuer, revoked, expired or not yet valid (the
// Digital ID or an authority above it), wrong usage (extended key usage without emailProtection, or a
// key usage that forbids the purpose), address mismatch. The chain is built
// at a moment inside the Digital ID's own validity, so an expired Digital ID
// from an unknown authority is reported as untrusted, not as expired, and an
// authority that has expired is reported as such.
//
// A revocation counts when it was recorded at or before the judged moment,
// or, whatever its date, when its reason is a key compromise
// (keyCompromise, cACompromise, aACompromise): the date of a compromise is
// not known, so nothing signed with that key can be relied on. Any other
// revocation after the judged moment (superseded, affiliationChanged…)
// leaves the verdict as it was and is reported in Result.Revocation. Only
// CRLs signed by the certificate's issuer are used; the CRL's own update
// times are not checked here, since an older CRL still lists what it
// revoked (the application fetches newer ones).
package trust
