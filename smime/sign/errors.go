package sign

import "errors"

// Sentinel errors. Verify and Parse wrap them with detail; test with errors.Is.
var (
	// ErrDigestMismatch means the content's digest differs from the signed
	// messageDigest attribute.
	ErrDigestMismatch = errors.New("sign: the content was changed after it was signed")
	// ErrBadSignature means the signature value does not verify with the
	// signer's public key.
	ErrBadSignature = errors.New("sign: the signature is not valid")
	// ErrContentTypeMismatch means the signed contentType attribute differs
	// from the encapsulated content type.
	ErrContentTypeMismatch = errors.New("sign: the signed content type differs from the message's")
	// ErrSignerNotFound means no certificate matches the signer identifier.
	ErrSignerNotFound = errors.New("sign: the signer's Digital ID is not in the message")
	// ErrUnsupportedAlgorithm means a digest or signature algorithm (or a
	// parameter of one) is not implemented.
	ErrUnsupportedAlgorithm = errors.New("sign: unsupported algorithm")
	// ErrMalformed means the input is not a well-formed CMS SignedData.
	ErrMalformed = errors.New("sign: the signed message is damaged or not a CMS signature")
	// ErrTooLarge means the SignedData holds more certificates or signers
	// than Parse reads (MaxCertificates, MaxSigners).
	ErrTooLarge = errors.New("sign: the signature holds more than SecureMail reads")
)

// Bounds of Parse. Real S/MIME signatures carry the signer's Digital ID
// and its chain (two to five certificates) and one signer, sometimes two
// (parallel RSA and ECDSA signatures); the bounds stop a message from
// making the reader parse tens of thousands of certificates or check
// thousands of signatures.
const (
	MaxCertificates = 100
	MaxSigners      = 16
)
