package identity

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"

	"securemail/smime/cms"
)

// signedData is the part of CMS SignedData (RFC 5652 §5.1) a certs-only
// file uses.
type signedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue `asn1:"set"`
	EncapContentInfo cms.ContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      asn1.RawValue `asn1:"set"`
}

// ParseCertificates reads certificates from a file as people exchange them:
// PEM with any number of CERTIFICATE and PKCS7 blocks (other blocks, such as
// keys, are skipped), a DER certificate (.cer/.crt), or a DER or BER
// PKCS #7 certs-only file (.p7b/.p7c). Duplicates are dropped; the order of
// the file is kept. It returns ErrNoCertificates when there is none.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	var firstErr error
	note := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	if bytes.Contains(data, []byte("-----BEGIN ")) {
		rest := data
		for {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				break
			}
			switch block.Type {
			case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
				c, err := parseCertificatePrefix(block.Bytes)
				if err != nil {
					note(err)
					continue
				}
				certs = append(certs, c)
			case "PKCS7", "CMS", "PKCS #7 SIGNED DATA":
				cs, err := parseP7B(block.Bytes)
				if err != nil {
					note(err)
					continue
				}
				certs = append(certs, cs...)
			}
		}
	} else if c, err := parseCertificate(data); err == nil {
		certs = append(certs, c)
	} else if cs, err := parseP7B(data); err == nil {
		certs = cs
	} else {
		note(err)
	}
	certs = dedupe(certs)
	if len(certs) == 0 {
		if firstErr != nil {
			return nil, fmt.Errorf("%w (%v)", ErrNoCertificates, firstErr)
		}
		return nil, ErrNoCertificates
	}
	return certs, nil
}

// parseCertificatePrefix parses the certificate at the start of b; OpenSSL's
// TRUSTED CERTIFICATE blocks carry trust settings after it.
func parseCertificatePrefix(b []byte) (*x509.Certificate, error) {
	var raw asn1.RawValue
	if _, err := asn1.Unmarshal(b, &raw); err != nil {
		return parseCertificate(b)
	}
	return parseCertificate(raw.FullBytes)
}

// parseP7B reads the certificates of a PKCS #7 / CMS SignedData.
func parseP7B(data []byte) ([]*x509.Certificate, error) {
	var ci cms.ContentInfo
	if err := unmarshalDER(data, &ci); err != nil {
		return nil, fmt.Errorf("not a PKCS #7 file: %w", err)
	}
	if !ci.ContentType.Equal(cms.OIDSignedData) {
		return nil, fmt.Errorf("PKCS #7 content of type %v, not signedData", ci.ContentType)
	}
	var sd signedData
	if err := unmarshalDER(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("PKCS #7 signedData: %w", err)
	}
	var certs []*x509.Certificate
	rest := sd.Certificates.Bytes
	for len(rest) > 0 {
		var choice asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &choice); err != nil {
			return nil, fmt.Errorf("PKCS #7 certificate set: %w", err)
		}
		if choice.Class != asn1.ClassUniversal || choice.Tag != asn1.TagSequence {
			continue // attribute or other certificate formats
		}
		c, err := parseCertificate(choice.FullBytes)
		if err != nil {
			return nil, fmt.Errorf("PKCS #7 certificate: %w", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("PKCS #7 file without certificates")
	}
	return certs, nil
}

func dedupe(certs []*x509.Certificate) []*x509.Certificate {
	seen := map[string]bool{}
	out := certs[:0]
	for _, c := range certs {
		if !seen[string(c.Raw)] {
			seen[string(c.Raw)] = true
			out = append(out, c)
		}
	}
	return out
}

// EncodeP7B writes certificates as a DER PKCS #7 certs-only file (.p7b):
// ContentInfo signedData, version 1, no digest algorithms, eContentType
// id-data without content, the certificates in [0], no signers. It never
// holds a key. QUIRK: like OpenSSL, it keeps the certificates in the given
// order (leaf first) rather than sorting the SET as strict DER would, because
// some readers take the first certificate as the owner's.
func EncodeP7B(certs []*x509.Certificate) ([]byte, error) {
	if len(certs) == 0 {
		return nil, errors.New("identity: a .p7b file needs at least one certificate")
	}
	var set []byte
	for _, c := range dedupe(append([]*x509.Certificate(nil), certs...)) {
		set = append(set, c.Raw...)
	}
	sd := signedData{
		Version:          1,
		DigestAlgorithms: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true},
		EncapContentInfo: cms.ContentInfo{ContentType: cms.OIDData},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: set},
		SignerInfos:      asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true},
	}
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, fmt.Errorf("identity: encoding the .p7b: %w", err)
	}
	out, err := asn1.Marshal(cms.ContentInfo{
		ContentType: cms.OIDSignedData,
		Content:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner},
	})
	if err != nil {
		return nil, fmt.Errorf("identity: encoding the .p7b: %w", err)
	}
	return out, nil
}
