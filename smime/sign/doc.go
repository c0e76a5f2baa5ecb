// Package sign implements the CMS SignedData layer of S/MIME (RFC 5652 §5,
// RFC 8551): Sign writes a signature, Parse reads one (DER or BER, including
// the certificates-only form of a .p7b), and Signer.Verify checks it.
//
// Sign writes DER only (gpgsm rejects BER): SignedData and SignerInfo
// version 1 with issuerAndSerialNumber, the signer's certificate and the
// given chain, and the signed attributes contentType, signingTime,
// messageDigest and SMIMECapabilities (AES-256-GCM, AES-128-GCM,
// AES-256-CBC, AES-128-CBC). RSA keys sign with PKCS#1 v1.5 under the
// signatureAlgorithm rsaEncryption, which is what OpenSSL 3 writes; ECDSA
// keys under ecdsa-with-SHA256/384/512.
//
// Verify accepts RSA PKCS#1 v1.5 (rsaEncryption or sha*WithRSAEncryption),
// RSA-PSS, and ECDSA (ecdsa-with-SHA* or id-ecPublicKey), over SHA-1,
// SHA-256, SHA-384 or SHA-512. SHA-1 signatures verify; Signer.Digest lets
// the caller call them weak. With signed attributes the signature is checked
// over the attributes as they appear in the message, then the content's
// digest against messageDigest; without them, over the content's digest.
//
// Content is signed and verified as given: the MIME layer canonicalises it
// (CRLF line ends) first. For multipart/signed it passes, to Sign with
// Detached set and to Verify, the exact bytes of the first body part, from
// the first byte after the boundary line's CRLF up to but excluding the CRLF
// before the next boundary line, headers included. For application/pkcs7-mime
// signed-data it passes SignedData.Content to Verify.
//
// This package says nothing about trust: a nil error from Verify means the
// signature is mathematically correct. Package trust judges the certificate.
package sign
