package envelope

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"testing"

	"securemail/smime/cms"
	"securemail/testnet/testca"
)

// Independent views of what Encrypt writes, decoded with encoding/asn1.
type (
	encContentInfo struct {
		ContentType asn1.ObjectIdentifier
		Algorithm   pkix.AlgorithmIdentifier
		Content     asn1.RawValue `asn1:"tag:0"`
	}
	envData struct {
		Version    int
		Recipients []asn1.RawValue `asn1:"set"`
		Content    encContentInfo
	}
	authEnvData struct {
		Version    int
		Recipients []asn1.RawValue `asn1:"set"`
		Content    encContentInfo
		MAC        []byte
	}
	gcmParams struct {
		Nonce  []byte
		ICVLen int
	}
	ktriView struct {
		Version      int
		Issuer       cms.IssuerAndSerialNumber
		Algorithm    pkix.AlgorithmIdentifier
		EncryptedKey []byte
	}
)

// TestEncryptStructure checks the encoding details peers depend on: DER,
// a primitive encryptedContent (gpgsm), the versions of RFC 5652 §6.1 and
// RFC 5083, GCM parameters (RFC 5084), and the algorithm parameters of
// RFC 3370 / RFC 4055 / RFC 5753 byte for byte.
func TestEncryptStructure(t *testing.T) {
	f := newFixture(t)
	rsaCert, p256Cert, p384Cert := f.ids[testca.RSA2048].key.Certificate, f.ids[testca.P256].key.Certificate, f.ids[testca.P384].key.Certificate
	msg := testMessage()
	enc := func(t *testing.T, opts Options, certs ...*x509.Certificate) (ci cms.ContentInfo, der []byte) {
		t.Helper()
		der, err := Encrypt(msg, certs, opts)
		if err != nil {
			t.Fatal(err)
		}
		if norm, err := cms.ToDER(der); err != nil || !bytes.Equal(norm, der) {
			t.Fatalf("output is not DER: %v", err)
		}
		if rest, err := asn1.Unmarshal(der, &ci); err != nil || len(rest) != 0 {
			t.Fatalf("ContentInfo: %v", err)
		}
		return ci, der
	}

	t.Run("EnvelopedData for RSA only is version 0", func(t *testing.T) {
		ci, _ := enc(t, Options{}, rsaCert)
		var ed envData
		if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err != nil {
			t.Fatal(err)
		}
		if !ci.ContentType.Equal(cms.OIDEnvelopedData) || ed.Version != 0 {
			t.Fatalf("content type %s version %d", ci.ContentType, ed.Version)
		}
		if !ed.Content.Algorithm.Algorithm.Equal(cms.OIDAES256CBC) || ed.Content.Content.IsCompound ||
			ed.Content.Content.Class != asn1.ClassContextSpecific || len(ed.Content.Content.Bytes)%16 != 0 {
			t.Fatalf("encryptedContent: %+v", ed.Content.Algorithm)
		}
		var k ktriView
		if _, err := asn1.Unmarshal(ed.Recipients[0].FullBytes, &k); err != nil {
			t.Fatal(err)
		}
		if k.Version != 0 || !bytes.Equal(k.Issuer.Issuer.FullBytes, rsaCert.RawIssuer) || k.Issuer.SerialNumber.Cmp(rsaCert.SerialNumber) != 0 {
			t.Fatalf("KeyTransRecipientInfo: version %d, not issuerAndSerialNumber of the certificate", k.Version)
		}
		// RFC 3370 §4.2.1: rsaEncryption with NULL parameters.
		if !k.Algorithm.Algorithm.Equal(cms.OIDRSAEncryption) || !bytes.Equal(k.Algorithm.Parameters.FullBytes, []byte{5, 0}) {
			t.Fatalf("key transport algorithm %v", k.Algorithm)
		}
	})

	t.Run("OAEP parameters as OpenSSL writes them", func(t *testing.T) {
		for _, tc := range []struct {
			hash   crypto.Hash
			params string
		}{
			{crypto.SHA1, "3000"}, // RFC 4055: all defaults, an empty SEQUENCE
			{crypto.SHA256, "302ba00d300b0609608648016503040201a11a301806092a864886f70d010108300b0609608648016503040201"},
		} {
			ci, _ := enc(t, Options{OAEPHash: tc.hash}, rsaCert)
			var ed envData
			var k ktriView
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err != nil {
				t.Fatal(err)
			}
			if _, err := asn1.Unmarshal(ed.Recipients[0].FullBytes, &k); err != nil {
				t.Fatal(err)
			}
			if !k.Algorithm.Algorithm.Equal(cms.OIDRSAOAEP) || hex.EncodeToString(k.Algorithm.Parameters.FullBytes) != tc.params {
				t.Errorf("%v: %s params %x, want %s", tc.hash, k.Algorithm.Algorithm, k.Algorithm.Parameters.FullBytes, tc.params)
			}
		}
	})

	t.Run("EnvelopedData with an EC recipient is version 2", func(t *testing.T) {
		for _, tc := range []struct {
			cert      *x509.Certificate
			cipher    Cipher
			kdf, wrap string
		}{
			{p256Cert, AES128CBC, "1.3.132.1.11.1", "2.16.840.1.101.3.4.1.5"},
			{p256Cert, AES256CBC, "1.3.132.1.11.1", "2.16.840.1.101.3.4.1.45"},
			{p384Cert, AES128CBC, "1.3.132.1.11.2", "2.16.840.1.101.3.4.1.5"},
			{p384Cert, AES256GCM, "1.3.132.1.11.2", "2.16.840.1.101.3.4.1.45"},
		} {
			var version int
			_, der := enc(t, Options{Cipher: tc.cipher}, rsaCert, tc.cert)
			p, err := parse(der)
			if err != nil {
				t.Fatal(err)
			}
			var kariEl []byte
			for _, ri := range p.recipientInfos {
				if ri[0] == 0xa1 {
					kariEl = ri
				}
			}
			var k struct {
				Version    int
				Originator asn1.RawValue `asn1:"explicit,tag:0"`
				Algorithm  pkix.AlgorithmIdentifier
				Keys       []struct {
					RID          cms.IssuerAndSerialNumber
					EncryptedKey []byte
				}
			}
			if _, err := asn1.UnmarshalWithParams(kariEl, &k, "tag:1"); err != nil {
				t.Fatalf("KeyAgreeRecipientInfo: %v", err)
			}
			var originator struct {
				Algorithm pkix.AlgorithmIdentifier
				PublicKey asn1.BitString
			}
			if _, err := asn1.UnmarshalWithParams(k.Originator.Bytes, &originator, "tag:1"); err != nil {
				t.Fatalf("originatorKey: %v", err)
			}
			var wrap pkix.AlgorithmIdentifier
			if _, err := asn1.Unmarshal(k.Algorithm.Parameters.FullBytes, &wrap); err != nil {
				t.Fatal(err)
			}
			if k.Version != 3 || k.Algorithm.Algorithm.String() != tc.kdf || wrap.Algorithm.String() != tc.wrap || len(wrap.Parameters.FullBytes) != 0 {
				t.Errorf("%s %s: version %d, scheme %s, wrap %s %x", tc.cert.Subject.CommonName, tc.cipher, k.Version, k.Algorithm.Algorithm, wrap.Algorithm, wrap.Parameters.FullBytes)
			}
			// id-ecPublicKey with absent parameters, as OpenSSL writes it; an
			// uncompressed point on the recipient's curve.
			wantKey := map[Cipher]int{AES128CBC: 16, AES256CBC: 32, AES256GCM: 32}[tc.cipher] + 8
			if !originator.Algorithm.Algorithm.Equal(cms.OIDECPublicKey) || len(originator.Algorithm.Parameters.FullBytes) != 0 ||
				originator.PublicKey.Bytes[0] != 4 || len(k.Keys) != 1 || len(k.Keys[0].EncryptedKey) != wantKey ||
				k.Keys[0].RID.SerialNumber.Cmp(tc.cert.SerialNumber) != 0 {
				t.Errorf("originator key or recipient encrypted key malformed")
			}
			wantVersion := 2
			if tc.cipher == AES256GCM {
				wantVersion = 0 // AuthEnvelopedData
			}
			if _, err := asn1.Unmarshal(der[bytes.Index(der, []byte{0x02, 0x01}):], &version); err != nil || version != wantVersion {
				t.Errorf("version %d with an EC recipient, want %d (%v)", version, wantVersion, err)
			}
		}
	})

	t.Run("AuthEnvelopedData", func(t *testing.T) {
		ci, _ := enc(t, Options{Cipher: AES128GCM}, rsaCert, p256Cert)
		var ad authEnvData
		if rest, err := asn1.Unmarshal(ci.Content.Bytes, &ad); err != nil || len(rest) != 0 {
			t.Fatalf("AuthEnvelopedData: %v (no authAttrs, nothing after the mac)", err)
		}
		var gp gcmParams
		if _, err := asn1.Unmarshal(ad.Content.Algorithm.Parameters.FullBytes, &gp); err != nil {
			t.Fatal(err)
		}
		if !ci.ContentType.Equal(cms.OIDAuthEnvelopedData) || ad.Version != 0 || len(ad.MAC) != 16 ||
			!ad.Content.Algorithm.Algorithm.Equal(cms.OIDAES128GCM) || len(gp.Nonce) != 12 || gp.ICVLen != 16 ||
			ad.Content.Content.IsCompound || len(ad.Content.Content.Bytes) != len(msg) {
			t.Fatalf("AuthEnvelopedData version %d, mac %d bytes, nonce %d, ICV %d, content %d bytes",
				ad.Version, len(ad.MAC), len(gp.Nonce), gp.ICVLen, len(ad.Content.Content.Bytes))
		}
	})
}
