package sign

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"

	"securemail/internal/bigbuf"
	"securemail/smime/cms"
)

// Verify checks the signature over content: SignedData.Content, or for a
// detached signature the signed bytes exactly as they were signed (for
// S/MIME the first part of multipart/signed, headers included, with CRLF
// line ends). extra holds more certificates to find the signer's among.
// A nil error means the signature is mathematically correct and the digest
// matches; whether the signer is trusted is package trust's question.
// When the signer's certificate comes from extra, Verify sets Certificate.
func (s *Signer) Verify(content []byte, extra []*x509.Certificate) error {
	if s.alg.err != nil {
		return s.alg.err
	}
	if s.Certificate == nil {
		s.Certificate = s.find(extra)
	}
	if s.Certificate == nil {
		if s.keyID != nil {
			return fmt.Errorf("%w (key identifier %x)", ErrSignerNotFound, s.keyID)
		}
		return fmt.Errorf("%w (serial number %s)", ErrSignerNotFound, s.serial)
	}
	if s.attrErr != nil {
		return s.attrErr
	}
	h := s.Digest.New()
	bigbuf.Write(h, content) // in pieces: one call over 100 MB would hold off the garbage collector and SIGTERM
	sum := h.Sum(nil)
	if s.signedAttrs == nil {
		// Without signed attributes the signature covers the content's digest
		// directly, and the content can only be id-data (RFC 5652 §5.3).
		if !s.eContentType.Equal(cms.OIDData) {
			return fmt.Errorf("%w: content type %s without signed attributes", ErrContentTypeMismatch, s.eContentType)
		}
		return s.checkSignature(sum)
	}
	// The signature first: it authenticates the messageDigest attribute, so a
	// changed attribute reads as a bad signature, a changed content as a
	// digest mismatch.
	h.Reset()
	h.Write(s.signedAttrs)
	if err := s.checkSignature(h.Sum(nil)); err != nil {
		return err
	}
	if !bytes.Equal(sum, s.digestAttr) {
		return fmt.Errorf("%w (%s digest differs)", ErrDigestMismatch, hashName(s.Digest))
	}
	if !s.typeAttr.Equal(s.eContentType) {
		return fmt.Errorf("%w: signed %s, message has %s", ErrContentTypeMismatch, s.typeAttr, s.eContentType)
	}
	return nil
}

// checkSignature verifies the signature value over a digest with the
// signer certificate's public key.
func (s *Signer) checkSignature(digest []byte) error {
	pub := s.Certificate.PublicKey
	var err error
	switch s.alg.kind {
	case kindRSA, kindPSS:
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("%w: an RSA signature but the Digital ID holds a %T key", ErrBadSignature, pub)
		}
		if s.alg.kind == kindPSS {
			err = rsa.VerifyPSS(k, s.Digest, digest, s.signature, &rsa.PSSOptions{SaltLength: s.alg.saltLen, Hash: s.Digest})
		} else {
			err = rsa.VerifyPKCS1v15(k, s.Digest, digest, s.signature)
		}
	case kindECDSA:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("%w: an ECDSA signature but the Digital ID holds a %T key", ErrBadSignature, pub)
		}
		if !ecdsa.VerifyASN1(k, digest, s.signature) {
			err = fmt.Errorf("ECDSA verification failed")
		}
	default:
		return fmt.Errorf("%w: %s", ErrUnsupportedAlgorithm, s.Algorithm)
	}
	if err != nil {
		return fmt.Errorf("%w (%s): %w", ErrBadSignature, s.Algorithm, err)
	}
	return nil
}
