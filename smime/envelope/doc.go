// Package envelope encrypts and decrypts S/MIME message bodies with the
// Cryptographic Message Syntax: EnvelopedData (RFC 5652 §6) with AES-CBC and
// AuthEnvelopedData (RFC 5083, RFC 5084) with AES-GCM.
//
// Each recipient certificate gets one RecipientInfo: an RSA key gets a
// KeyTransRecipientInfo (PKCS #1 v1.5, or RSAES-OAEP per RFC 8017 and
// RFC 4055), an EC key (P-256, P-384, P-521) a KeyAgreeRecipientInfo with
// ephemeral-static ECDH, the ANSI X9.63 KDF and AES key wrap (RFC 5753,
// RFC 3394).
//
// Encrypt writes DER. Decrypt reads BER or DER and also the legacy ciphers
// older clients send (AES-192-CBC, 3DES-CBC). Failures wrap one of
// ErrNotRecipient, ErrUnsupported and ErrCorrupt, so that callers can tell
// the user what to do.
package envelope
