// Package identity reads and writes a person's Digital ID files: the
// password-protected PKCS #12 file (Mail.pfx / .p12) that holds a private key
// with its certificate and chain, and the certificate-only files (.cer, .pem,
// .p7b) that carry someone's certificates without a key.
//
// ParsePFX reads every form testers meet: OpenSSL 3's default (PBES2 with
// AES-256-CBC and a SHA-256 MAC), OpenSSL's -legacy form (RC2-40 and 3DES with
// a SHA-1 MAC), Windows exports, and the BER indefinite-length form that NSS
// (Firefox, Thunderbird) writes, whose inner SafeContents are BER as well. It
// therefore walks the PFX structure itself (RFC 7292) instead of handing the
// file to go-pkcs12, which reads DER only and cannot re-parse BER inside the
// encrypted parts; go-pkcs12 is used to write files.
package identity
