package cms

import (
	"errors"
	"fmt"
)

// maxDepth bounds the nesting of BER input so that hostile input cannot
// exhaust the stack.
const maxDepth = 64

// maxNodes bounds how many elements a BER input may hold before ToDER
// refuses it: the conversion keeps a tree node (about 150 bytes) per
// element, and 100 MB of two-byte elements would otherwise take gigabytes.
// Real BER (NSS, streaming encoders) chunks its strings in kilobytes, so a
// 100 MB message has some hundred thousand elements. DER input is returned
// without building the tree, whatever its size.
const maxNodes = 1 << 20

// ErrMalformed is wrapped by errors about input that is not valid BER/DER.
var ErrMalformed = errors.New("cms: malformed ASN.1")

// ErrTooComplex is wrapped by errors about input that is well formed as
// far as read but holds more elements than any real message (maxNodes).
var ErrTooComplex = errors.New("cms: the ASN.1 input holds too many elements")

// ToDER converts BER input to DER as far as a schema-less converter can:
// indefinite lengths become definite, and constructed universal strings
// (OCTET STRING, BIT STRING and the character strings, as NSS and streaming
// encoders write them) become primitive. Context-specific constructed
// elements are kept constructed, because without the schema an IMPLICIT
// string cannot be told from an EXPLICIT wrapper; parsers of such fields
// (encryptedContent [0] IMPLICIT OCTET STRING) must accept both forms.
// Input that is already DER is returned as is, without a copy. Trailing
// bytes after the first element are an error.
func ToDER(in []byte) ([]byte, error) {
	if rest, ok := isDER(in, 0); ok && len(rest) == 0 {
		return in, nil
	}
	budget := maxNodes
	n, rest, err := parseBER(in, 0, &budget)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes after the outer element", ErrMalformed, len(rest))
	}
	if !n.rewrite {
		return in[:len(in)-len(rest)], nil
	}
	out := make([]byte, 0, n.derLen())
	return n.appendDER(out), nil
}

// node is one parsed BER element.
type node struct {
	ident    []byte  // identifier octets as read
	raw      []byte  // the whole element as read (header and contents)
	content  []byte  // contents of a primitive element
	children []*node // elements of a constructed element
	flatten  bool    // constructed string to be written as primitive
	bitStr   bool    // flattened BIT STRING: chunks carry an unused-bits octet
	rewrite  bool    // this element or one below it differs from DER
	size     int     // DER content length, computed by derLen
}

func parseBER(in []byte, depth int, budget *int) (*node, []byte, error) {
	if depth > maxDepth {
		return nil, nil, fmt.Errorf("%w: nested more than %d levels deep", ErrMalformed, maxDepth)
	}
	if *budget--; *budget < 0 {
		return nil, nil, fmt.Errorf("%w: more than %d elements", ErrTooComplex, maxNodes)
	}
	if len(in) < 2 {
		return nil, nil, fmt.Errorf("%w: element truncated", ErrMalformed)
	}
	i := 1
	if in[0]&0x1f == 0x1f { // high tag number form
		for {
			if i >= len(in) {
				return nil, nil, fmt.Errorf("%w: tag truncated", ErrMalformed)
			}
			b := in[i]
			i++
			if b&0x80 == 0 {
				break
			}
			if i > 6 {
				return nil, nil, fmt.Errorf("%w: tag number too large", ErrMalformed)
			}
		}
	}
	if i >= len(in) {
		return nil, nil, fmt.Errorf("%w: length missing", ErrMalformed)
	}
	n := &node{ident: in[:i]}
	constructed := in[0]&0x20 != 0
	lb := in[i]
	i++
	indefinite := false
	length := 0
	switch {
	case lb < 0x80:
		length = int(lb)
	case lb == 0x80:
		if !constructed {
			return nil, nil, fmt.Errorf("%w: indefinite length on a primitive element", ErrMalformed)
		}
		indefinite = true
		n.rewrite = true
	default:
		nb := int(lb & 0x7f)
		if nb > 4 || i+nb > len(in) {
			return nil, nil, fmt.Errorf("%w: length field invalid or truncated", ErrMalformed)
		}
		for _, b := range in[i : i+nb] {
			length = length<<8 | int(b)
		}
		i += nb
		if length < 0x80 || (nb > 1 && in[i-nb] == 0) {
			n.rewrite = true // not the minimal length encoding
		}
	}
	if !constructed {
		if length > len(in)-i {
			return nil, nil, fmt.Errorf("%w: element of %d bytes truncated to %d", ErrMalformed, length, len(in)-i)
		}
		n.content = in[i : i+length]
		n.raw = in[:i+length]
		return n, in[i+length:], nil
	}
	n.flatten = in[0]&0xc0 == 0 && isStringTag(in[0]&0x1f)
	n.bitStr = in[0]&0x1f == 3
	if n.flatten {
		n.rewrite = true
	}
	var body []byte
	if indefinite {
		body = in[i:]
	} else {
		if length > len(in)-i {
			return nil, nil, fmt.Errorf("%w: element of %d bytes truncated to %d", ErrMalformed, length, len(in)-i)
		}
		body = in[i : i+length]
	}
	for {
		if indefinite {
			if len(body) >= 2 && body[0] == 0 && body[1] == 0 {
				body = body[2:]
				break
			}
			if len(body) == 0 {
				return nil, nil, fmt.Errorf("%w: end-of-contents missing", ErrMalformed)
			}
		} else if len(body) == 0 {
			break
		}
		child, rest, err := parseBER(body, depth+1, budget)
		if err != nil {
			return nil, nil, err
		}
		if n.flatten && (child.ident[0]&0xc0 != 0 || !isStringTag(child.ident[0]&0x1f)) {
			return nil, nil, fmt.Errorf("%w: a constructed string holds a non-string element", ErrMalformed)
		}
		n.rewrite = n.rewrite || child.rewrite
		n.children = append(n.children, child)
		body = rest
	}
	if indefinite {
		n.raw = in[:len(in)-len(body)]
		return n, body, nil
	}
	n.raw = in[:i+length]
	return n, in[i+length:], nil
}

// isStringTag reports whether a universal tag number is a string type that
// BER may encode in constructed form.
func isStringTag(tag byte) bool {
	switch tag {
	case 3, 4, 12, 18, 19, 20, 21, 22, 25, 26, 27, 28, 30:
		return true
	}
	return false
}

// chunks appends the primitive contents below a flattened string in order.
func (n *node) chunks(dst [][]byte) [][]byte {
	if n.children == nil && n.ident[0]&0x20 == 0 {
		return append(dst, n.content)
	}
	for _, c := range n.children {
		dst = c.chunks(dst)
	}
	return dst
}

// derLen returns the length of the element's DER encoding and records its
// content length in n.size.
func (n *node) derLen() int {
	switch {
	case !n.rewrite:
		return len(n.raw)
	case n.flatten:
		size := 0
		cs := n.chunks(nil)
		for i, c := range cs {
			if n.bitStr && i < len(cs)-1 && len(c) > 0 {
				size += len(c) - 1 // only the last chunk's unused-bits octet is kept
			} else {
				size += len(c)
			}
		}
		n.size = size
	case n.ident[0]&0x20 == 0:
		n.size = len(n.content)
	default:
		size := 0
		for _, c := range n.children {
			size += c.derLen()
		}
		n.size = size
	}
	return len(n.ident) + lengthLen(n.size) + n.size
}

func lengthLen(n int) int {
	if n < 0x80 {
		return 1
	}
	l := 1
	for n > 0 {
		l++
		n >>= 8
	}
	return l
}

func appendLength(out []byte, n int) []byte {
	if n < 0x80 {
		return append(out, byte(n))
	}
	var buf [8]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte(n)
		n >>= 8
	}
	out = append(out, 0x80|byte(len(buf)-i))
	return append(out, buf[i:]...)
}

// appendDER writes the element's DER encoding; derLen must have run first.
func (n *node) appendDER(out []byte) []byte {
	if !n.rewrite {
		return append(out, n.raw...)
	}
	if n.flatten {
		out = append(out, n.ident[0]&^0x20)
		out = append(out, n.ident[1:]...)
		out = appendLength(out, n.size)
		cs := n.chunks(nil)
		if n.bitStr {
			// One unused-bits octet (the last chunk's) leads the contents.
			if len(cs) == 0 {
				return out
			}
			last := cs[len(cs)-1]
			if len(last) > 0 {
				out = append(out, last[0])
			}
			for _, c := range cs {
				if len(c) > 0 {
					out = append(out, c[1:]...)
				}
			}
			return out
		}
		for _, c := range cs {
			out = append(out, c...)
		}
		return out
	}
	out = append(out, n.ident...)
	out = appendLength(out, n.size)
	if n.ident[0]&0x20 == 0 {
		return append(out, n.content...)
	}
	for _, c := range n.children {
		out = c.appendDER(out)
	}
	return out
}

// isDER reports whether in starts with an element that is already DER as
// far as ToDER's conversion goes (definite, minimal lengths; no constructed
// universal strings), without allocating, and returns what follows it.
// Anything it is unsure of answers false: parseBER then decides.
func isDER(in []byte, depth int) (rest []byte, ok bool) {
	if depth > maxDepth || len(in) < 2 {
		return nil, false
	}
	i := 1
	if in[0]&0x1f == 0x1f {
		for {
			if i >= len(in) || i > 6 {
				return nil, false
			}
			b := in[i]
			i++
			if b&0x80 == 0 {
				break
			}
		}
	}
	if i >= len(in) {
		return nil, false
	}
	constructed := in[0]&0x20 != 0
	if constructed && in[0]&0xc0 == 0 && isStringTag(in[0]&0x1f) {
		return nil, false
	}
	lb := in[i]
	i++
	length := 0
	switch {
	case lb < 0x80:
		length = int(lb)
	case lb == 0x80:
		return nil, false
	default:
		nb := int(lb & 0x7f)
		if nb > 4 || i+nb > len(in) || in[i] == 0 {
			return nil, false
		}
		for _, b := range in[i : i+nb] {
			length = length<<8 | int(b)
		}
		i += nb
		if length < 0x80 {
			return nil, false
		}
	}
	if length > len(in)-i {
		return nil, false
	}
	body := in[i : i+length]
	if constructed {
		for len(body) > 0 {
			if body, ok = isDER(body, depth+1); !ok {
				return nil, false
			}
		}
	}
	return in[i+length:], true
}
