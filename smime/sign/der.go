package sign

// pieces is a DER encoding kept as a list of byte slices, so that a large
// content is copied once, into the final output, however deep it is nested.
type pieces [][]byte

// size is the total length of the pieces.
func (p pieces) size() int {
	n := 0
	for _, b := range p {
		n += len(b)
	}
	return n
}

// wrap prefixes inner with the identifier and definite length octets of an
// element with the given (low-number) tag.
func wrap(tag byte, inner ...[]byte) pieces {
	n := pieces(inner).size()
	hdr := []byte{tag}
	if n < 0x80 {
		hdr = append(hdr, byte(n))
	} else {
		var buf [8]byte
		i := len(buf)
		for v := n; v > 0; v >>= 8 {
			i--
			buf[i] = byte(v)
		}
		hdr = append(hdr, 0x80|byte(len(buf)-i))
		hdr = append(hdr, buf[i:]...)
	}
	return append(pieces{hdr}, inner...)
}

// join concatenates the pieces into one slice.
func (p pieces) join() []byte {
	out := make([]byte, 0, p.size())
	for _, b := range p {
		out = append(out, b...)
	}
	return out
}
