package identity

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"

	"securemail/smime/cms"
)

// attributeNames are the short names people know for the subject and
// issuer attributes certificates carry; PKCS #9 emailAddress reads "Email".
var attributeNames = []struct {
	oid  asn1.ObjectIdentifier
	name string
}{
	{asn1.ObjectIdentifier{2, 5, 4, 3}, "CN"},
	{cms.OIDEmailAddress, "Email"},
	{asn1.ObjectIdentifier{2, 5, 4, 4}, "Surname"},
	{asn1.ObjectIdentifier{2, 5, 4, 42}, "Given name"},
	{asn1.ObjectIdentifier{2, 5, 4, 12}, "Title"},
	{asn1.ObjectIdentifier{2, 5, 4, 11}, "OU"},
	{asn1.ObjectIdentifier{2, 5, 4, 10}, "O"},
	{asn1.ObjectIdentifier{2, 5, 4, 97}, "Organisation ID"},
	{asn1.ObjectIdentifier{2, 5, 4, 9}, "Street"},
	{asn1.ObjectIdentifier{2, 5, 4, 17}, "Postal code"},
	{asn1.ObjectIdentifier{2, 5, 4, 7}, "L"},
	{asn1.ObjectIdentifier{2, 5, 4, 8}, "ST"},
	{asn1.ObjectIdentifier{2, 5, 4, 6}, "C"},
	{asn1.ObjectIdentifier{2, 5, 4, 5}, "Serial number"},
	{asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}, "UID"},
	{asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}, "DC"},
}

// NameText shows a certificate's subject or issuer as people read it: each
// attribute by its name (CN, Email, O, OU, L, ST, C …) with its decoded
// text, most specific first — never an object identifier with hex bytes,
// as pkix.Name.String writes emailAddress
// (1.2.840.113549.1.9.1=#0c1e…). An attribute SecureMail has no name for
// keeps its dotted number; a value that is not text says so.
func NameText(n pkix.Name) string {
	var parts []string
	for _, known := range attributeNames {
		for _, a := range n.Names {
			if a.Type.Equal(known.oid) {
				parts = append(parts, known.name+"="+valueText(a.Value))
			}
		}
	}
	for _, a := range n.Names {
		if !knownAttribute(a.Type) {
			parts = append(parts, a.Type.String()+"="+valueText(a.Value))
		}
	}
	return strings.Join(parts, ", ")
}

func knownAttribute(oid asn1.ObjectIdentifier) bool {
	for _, k := range attributeNames {
		if k.oid.Equal(oid) {
			return true
		}
	}
	return false
}

func valueText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case fmt.Stringer:
		return v.String()
	case int, int64:
		return fmt.Sprint(v)
	}
	return "(not text)"
}
