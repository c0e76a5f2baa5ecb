package identity

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/subtle"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"

	"securemail/smime/cms"
)

// errBadPadding reports a decryption whose padding is wrong: with a wrong
// password this is what usually happens.
var errBadPadding = errors.New("identity: decrypted data has bad padding")

// pbeParams are the parameters of the PKCS #12 PBE schemes (RFC 7292 App. C).
type pbeParams struct {
	Salt       []byte
	Iterations int
}

// pbes2Params are the parameters of PBES2 (RFC 8018 App. A.4).
type pbes2Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	EncryptionScheme  pkix.AlgorithmIdentifier
}

// pbkdf2Params are the parameters of PBKDF2 (RFC 8018 App. A.2); the salt
// must be the specified (OCTET STRING) choice.
type pbkdf2Params struct {
	Salt           []byte
	IterationCount int
	KeyLength      int                      `asn1:"optional"`
	PRF            pkix.AlgorithmIdentifier `asn1:"optional"`
}

// unsupportedError names an algorithm SecureMail cannot use.
type unsupportedError struct{ what string }

func (e *unsupportedError) Error() string {
	return "identity: this Digital ID file is protected with " + e.what +
		", which SecureMail does not support; export it again with AES or 3DES protection"
}

func (e *unsupportedError) Unwrap() error { return ErrUnsupported }

// Algorithm names the protection SecureMail does not support.
func (e *unsupportedError) Algorithm() string { return e.what }

// decrypt decrypts data protected with a password-based scheme: the PKCS #12
// PBE schemes (3DES, RC2) or PBES2 (PBKDF2 with AES or 3DES in CBC mode).
func decrypt(alg pkix.AlgorithmIdentifier, password string, data []byte) ([]byte, error) {
	block, iv, err := pbeCipher(alg, password)
	if err != nil {
		return nil, err
	}
	bs := block.BlockSize()
	if len(data) == 0 || len(data)%bs != 0 || len(iv) != bs {
		return nil, damaged("encrypted data of %d bytes does not fit the %d-byte cipher block", len(data), bs)
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > bs {
		return nil, errBadPadding
	}
	var bad byte
	for _, b := range out[len(out)-pad:] {
		bad |= b ^ byte(pad)
	}
	if bad != 0 {
		return nil, errBadPadding
	}
	return out[:len(out)-pad], nil
}

func pbeCipher(alg pkix.AlgorithmIdentifier, password string) (cipher.Block, []byte, error) {
	if alg.Algorithm.Equal(oidPBES2) {
		return pbes2Cipher(alg.Parameters.FullBytes, password)
	}
	var keyLen int
	var newBlock func(key []byte) (cipher.Block, error)
	switch {
	case alg.Algorithm.Equal(oidPBEWithSHAAnd3KeyTripleDES):
		keyLen, newBlock = 24, des.NewTripleDESCipher
	case alg.Algorithm.Equal(oidPBEWithSHAAnd2KeyTripleDES):
		keyLen = 16
		newBlock = func(k []byte) (cipher.Block, error) {
			return des.NewTripleDESCipher(append(append([]byte{}, k...), k[:8]...))
		}
	case alg.Algorithm.Equal(oidPBEWithSHAAnd128BitRC2):
		keyLen = 16
		newBlock = func(k []byte) (cipher.Block, error) { return newRC2(k, 128), nil }
	case alg.Algorithm.Equal(oidPBEWithSHAAnd40BitRC2):
		keyLen = 5
		newBlock = func(k []byte) (cipher.Block, error) { return newRC2(k, 40), nil }
	case alg.Algorithm.Equal(oidPBEWithSHAAnd128BitRC4), alg.Algorithm.Equal(oidPBEWithSHAAnd40BitRC4):
		return nil, nil, &unsupportedError{"RC4"}
	default:
		return nil, nil, &unsupportedError{"the algorithm " + alg.Algorithm.String()}
	}
	var params pbeParams
	if err := unmarshalDER(alg.Parameters.FullBytes, &params); err != nil {
		return nil, nil, damaged("PBE parameters: %v", err)
	}
	if err := checkIterations(params.Iterations); err != nil {
		return nil, nil, err
	}
	pw := bmpPassword(password)
	key := pkcs12KDF(sha1.New, kdfKey, pw, params.Salt, params.Iterations, keyLen)
	iv := pkcs12KDF(sha1.New, kdfIV, pw, params.Salt, params.Iterations, 8)
	block, err := newBlock(key)
	if err != nil {
		return nil, nil, damaged("cipher key: %v", err)
	}
	return block, iv, nil
}

// pbes2Cipher sets up PBES2. The password enters PBKDF2 as UTF-8, as
// OpenSSL, NSS and Windows do inside PKCS #12 files.
func pbes2Cipher(paramBytes []byte, password string) (cipher.Block, []byte, error) {
	var params pbes2Params
	if err := unmarshalDER(paramBytes, &params); err != nil {
		return nil, nil, damaged("PBES2 parameters: %v", err)
	}
	if !params.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2) {
		return nil, nil, &unsupportedError{"the key derivation " + params.KeyDerivationFunc.Algorithm.String()}
	}
	var kdf pbkdf2Params
	if err := unmarshalDER(params.KeyDerivationFunc.Parameters.FullBytes, &kdf); err != nil {
		return nil, nil, damaged("PBKDF2 parameters: %v", err)
	}
	if err := checkIterations(kdf.IterationCount); err != nil {
		return nil, nil, err
	}
	prf := oidHMACWithSHA1 // the default of RFC 8018
	if len(kdf.PRF.Algorithm) > 0 {
		prf = kdf.PRF.Algorithm
	}
	newHash, ok := hashFor(prf)
	if !ok {
		return nil, nil, &unsupportedError{"the PBKDF2 function " + prf.String()}
	}
	var keyLen int
	var newBlock func([]byte) (cipher.Block, error)
	scheme := params.EncryptionScheme.Algorithm
	switch {
	case scheme.Equal(cms.OIDAES128CBC):
		keyLen, newBlock = 16, aes.NewCipher
	case scheme.Equal(cms.OIDAES192CBC):
		keyLen, newBlock = 24, aes.NewCipher
	case scheme.Equal(cms.OIDAES256CBC):
		keyLen, newBlock = 32, aes.NewCipher
	case scheme.Equal(cms.OIDDESEDE3CBC):
		keyLen, newBlock = 24, des.NewTripleDESCipher
	default:
		return nil, nil, &unsupportedError{"the cipher " + scheme.String()}
	}
	if kdf.KeyLength != 0 && kdf.KeyLength != keyLen {
		return nil, nil, damaged("PBKDF2 key length %d does not fit the cipher", kdf.KeyLength)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.EncryptionScheme.Parameters.FullBytes, &iv); err != nil {
		return nil, nil, damaged("PBES2 IV: %v", err)
	}
	key, err := pbkdf2.Key(newHash, password, kdf.Salt, kdf.IterationCount, keyLen)
	if err != nil {
		return nil, nil, damaged("PBKDF2: %v", err)
	}
	block, err := newBlock(key)
	if err != nil {
		return nil, nil, damaged("cipher key: %v", err)
	}
	return block, iv, nil
}

// macData is the integrity part of a PFX (RFC 7292 §4).
type macData struct {
	Mac struct {
		Algorithm pkix.AlgorithmIdentifier
		Digest    []byte
	}
	MacSalt    []byte
	Iterations int `asn1:"optional,default:1"`
}

// pbmac1Params are the parameters of PBMAC1 (RFC 8018 App. A.5, RFC 9579).
type pbmac1Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	MessageAuthScheme pkix.AlgorithmIdentifier
}

// verifyMAC checks the PFX's MAC over the authenticated safe's bytes. It
// returns ErrWrongPassword when the MAC does not match.
func verifyMAC(md *macData, content []byte, password string) error {
	if md.Mac.Algorithm.Algorithm.Equal(oidPBMAC1) {
		return verifyPBMAC1(md, content, password)
	}
	newHash, ok := hashFor(md.Mac.Algorithm.Algorithm)
	if !ok {
		return &unsupportedError{"the integrity check " + md.Mac.Algorithm.Algorithm.String()}
	}
	if err := checkIterations(md.Iterations); err != nil {
		return err
	}
	try := func(pw []byte) bool {
		key := pkcs12KDF(newHash, kdfMAC, pw, md.MacSalt, md.Iterations, newHash().Size())
		m := hmac.New(newHash, key)
		m.Write(content)
		return subtle.ConstantTimeCompare(m.Sum(nil), md.Mac.Digest) == 1
	}
	if try(bmpPassword(password)) {
		return nil
	}
	// QUIRK: for the empty password some writers feed no bytes at all
	// instead of the two terminating zeros RFC 7292 asks for.
	if password == "" && try(nil) {
		return nil
	}
	return ErrWrongPassword
}

func verifyPBMAC1(md *macData, content []byte, password string) error {
	var p pbmac1Params
	if err := unmarshalDER(md.Mac.Algorithm.Parameters.FullBytes, &p); err != nil {
		return damaged("PBMAC1 parameters: %v", err)
	}
	if !p.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2) {
		return &unsupportedError{"the key derivation " + p.KeyDerivationFunc.Algorithm.String()}
	}
	var kdf pbkdf2Params
	if err := unmarshalDER(p.KeyDerivationFunc.Parameters.FullBytes, &kdf); err != nil {
		return damaged("PBMAC1 PBKDF2 parameters: %v", err)
	}
	if err := checkIterations(kdf.IterationCount); err != nil {
		return err
	}
	prf := oidHMACWithSHA1
	if len(kdf.PRF.Algorithm) > 0 {
		prf = kdf.PRF.Algorithm
	}
	kdfHash, ok1 := hashFor(prf)
	macHash, ok2 := hashFor(p.MessageAuthScheme.Algorithm)
	if !ok1 || !ok2 || kdf.KeyLength <= 0 || kdf.KeyLength > 1024 {
		return &unsupportedError{"an unusual PBMAC1 integrity check"}
	}
	key, err := pbkdf2.Key(kdfHash, password, kdf.Salt, kdf.IterationCount, kdf.KeyLength)
	if err != nil {
		return damaged("PBMAC1: %v", err)
	}
	m := hmac.New(macHash, key)
	m.Write(content)
	if subtle.ConstantTimeCompare(m.Sum(nil), md.Mac.Digest) != 1 {
		return ErrWrongPassword
	}
	return nil
}

func checkIterations(n int) error {
	if n < 1 || n > maxIterations {
		return damaged("iteration count %d outside 1..%d", n, maxIterations)
	}
	return nil
}

// unmarshalDER parses DER (after normalising BER) into out and refuses
// trailing bytes.
func unmarshalDER(in []byte, out any) error {
	der, err := cms.ToDER(in)
	if err != nil {
		return err
	}
	rest, err := asn1.Unmarshal(der, out)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d trailing bytes", len(rest))
	}
	return nil
}
