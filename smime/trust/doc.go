// Package trust evaluates a Digital ID (an X.509 certificate) for S/MIME:
// is it issued, through the known intermediates, by a root the user trusts
// explicitly (never the system's roots), is it valid at the time that
// matters, not revoked, meant for e-mail and this use, and for the address
// in question? Evaluate answers with one Problem and a sentence for the UI.
//
// Validity-time policy:
//   - A signature is judged at its signing time when the message states one
//     that is not after Now. A Digital ID that was valid then but has expired
//     since still gives OK; Result.NotAfter (the earliest end of validity
//     along the chain) lets the UI say that it has expired since. The
//     signing time is the signer's own claim, which is what Thunderbird and
//     Outlook rely on as well.
//   - A signature without a signing time, or with one in the future, is
//     judged at Now. (Whether a future signing time makes the signature
//     suspect is the MIME layer's call; Thunderbird says it does.)
//   - Encryption and the address book are judged at Now.
//
// Problems are reported in this order, the first that applies: untrusted
// issuer, revoked, expired or not yet valid (the Digital ID or an authority
// above it), wrong usage (extended key usage without emailProtection, or a
// key usage that forbids the purpose), address mismatch. The chain is built
// at a moment inside the Digital ID's own validity, so an expired Digital ID
// from an unknown authority is reported as untrusted, not as expired, and an
// authority that has expired is reported as such.
//
// A revocation counts whatever its date: a CRL entry says the key must not
// be relied on, and the signing time cannot prove that a signature was made
// before the key was compromised. Only CRLs signed by the certificate's
// issuer are used; the CRL's own update times are not checked, since an
// older CRL still lists what it revoked.
package trust
