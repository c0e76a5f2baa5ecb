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
)
