// Package smime is SecureMail's S/MIME message layer (RFC 8551): it turns a
// whole RFC 5322 message into a signed (multipart/signed or opaque) or
// encrypted (application/pkcs7-mime) one, and opens such messages layer by
// layer into a Report that says, in words a clerk understands, whether the
// message was secret and who really sent it.
//
// The cryptography lives in the sub-packages: smime/sign (SignedData),
// smime/envelope (EnvelopedData, AuthEnvelopedData), smime/trust
// (certificate evaluation) and smime/identity (PKCS #12, .p7b). This
// package does the MIME work around them: canonicalisation before signing
// (CRLF line ends, 7-bit transfer encodings), the exact bytes of a
// multipart/signed part (RFC 1847), the layer walk and the verdict policy
// written down in docs/SECURITY.md.
package smime
