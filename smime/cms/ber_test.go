package cms

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"os"
	"testing"
)

func TestToDERIndefiniteAndConstructedStrings(t *testing.T) {
	// SEQUENCE (indefinite) { OCTET STRING (constructed, indefinite) { "ab", "cd" }, INTEGER 5 }
	ber := []byte{0x30, 0x80, 0x24, 0x80, 0x04, 0x02, 'a', 'b', 0x04, 0x02, 'c', 'd', 0x00, 0x00, 0x02, 0x01, 0x05, 0x00, 0x00}
	der, err := ToDER(ber)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		S []byte
		I int
	}
	if rest, err := asn1.Unmarshal(der, &v); err != nil || len(rest) != 0 {
		t.Fatalf("DER does not parse: %v (% x)", err, der)
	}
	if string(v.S) != "abcd" || v.I != 5 {
		t.Fatalf("got %q %d", v.S, v.I)
	}
}

func TestToDERKeepsDERUnchanged(t *testing.T) {
	der, _ := asn1.Marshal(struct {
		A []byte
		B string
	}{bytes.Repeat([]byte{7}, 300), "x"})
	out, err := ToDER(der)
	if err != nil || !bytes.Equal(out, der) {
		t.Fatalf("DER input changed: %v", err)
	}
	if &out[0] != &der[0] {
		t.Error("DER input was copied")
	}
}

func TestToDERRejectsMalformed(t *testing.T) {
	for name, in := range map[string][]byte{
		"empty":           {},
		"truncated":       {0x04, 0x05, 1, 2},
		"no end":          {0x30, 0x80, 0x02, 0x01, 0x01},
		"indef primitive": {0x04, 0x80, 0x00, 0x00},
		"trailing":        {0x02, 0x01, 0x01, 0xff},
		"huge length":     {0x04, 0x84, 0xff, 0xff, 0xff, 0xff},
		"bad chunk":       {0x24, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00},
	} {
		if _, err := ToDER(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	deep := bytes.Repeat([]byte{0x30, 0x80}, 100)
	if _, err := ToDER(deep); err == nil {
		t.Error("accepted 100 levels of nesting")
	}
}

func FuzzToDER(f *testing.F) {
	f.Add([]byte{0x30, 0x80, 0x24, 0x80, 0x04, 0x02, 'a', 'b', 0x00, 0x00, 0x00, 0x00})
	f.Add([]byte{0x03, 0x02, 0x00, 0x01})
	if b, err := os.ReadFile("../testdata/thunderbird/smime/Alice.p12"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		// The allocation-free DER check agrees with the converter's tree.
		if rest, ok := isDER(in, 0); ok {
			budget := maxNodes
			n, rest2, err := parseBER(in, 0, &budget)
			if err != nil || n.rewrite || len(rest2) != len(rest) {
				t.Fatalf("isDER accepts what parseBER calls %v (rewrite %v)", err, n != nil && n.rewrite)
			}
		}
		der, err := ToDER(in)
		if err != nil {
			return
		}
		// The result is DER: converting it again changes nothing.
		again, err := ToDER(der)
		if err != nil || !bytes.Equal(again, der) {
			t.Fatalf("ToDER not idempotent: %v", err)
		}
	})
}

// TestToDERBoundsElements: BER of millions of tiny elements is refused with
// ErrTooComplex instead of a tree of gigabytes; DER of the same size is
// returned as it is.
func TestToDERBoundsElements(t *testing.T) {
	const n = maxNodes + 10
	ber := append([]byte{0x30, 0x80}, bytes.Repeat([]byte{0x05, 0x00}, n)...) // NULLs in an indefinite SEQUENCE
	ber = append(ber, 0x00, 0x00)
	if _, err := ToDER(ber); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("%d elements: %v, want ErrTooComplex", n, err)
	}
	size := 2 * n
	der := append([]byte{0x30, 0x83, byte(size >> 16), byte(size >> 8), byte(size)}, ber[2:len(ber)-2]...)
	out, err := ToDER(der)
	if err != nil || &out[0] != &der[0] || len(out) != len(der) {
		t.Fatalf("DER of %d elements: %v (copied: %v)", n, err, err == nil && &out[0] != &der[0])
	}
}
