// Package cms implements the Cryptographic Message Syntax (RFC 5652) as
// S/MIME uses it: SignedData, EnvelopedData and AuthEnvelopedData (RFC 5083),
// with the key management of RFC 5753 (ECDH) and RFC 8017 (RSA, OAEP).
// It works on DER; ToDER normalises the BER that streaming encoders write.
package cms
