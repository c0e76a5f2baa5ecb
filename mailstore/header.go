package mailstore

import (
	"fmt"
	"strings"

	"securemail/internal/mailheader"
)

// maxHeaderBytes bounds the header block read from a delivery report's returned headers.
const maxHeaderBytes = mailheader.MaxHeaderBytes

// headerNotes describes what the header parser had to skip, for the message's note.
func headerNotes(h mailheader.Header) []string {
	var notes []string
	if h.Skipped > 0 {
		notes = append(notes, fmt.Sprintf("%d malformed header line(s) skipped", h.Skipped))
	}
	switch {
	case len(h.Fields) == 0:
		notes = append(notes, "no header found")
	case h.Unterminated:
		notes = append(notes, "no blank line after the header")
	}
	return notes
}

func joinLists(h mailheader.Header, key string, notes *[]string) string {
	var list []mailheader.Mailbox
	for _, v := range h.Values(key) {
		l, ok := mailheader.AddressList(v)
		if !ok {
			*notes = append(*notes, "the "+key+" addresses could not all be parsed")
		}
		list = append(list, l...)
	}
	return mailheader.JoinMailboxes(list)
}

// msgIDs returns the <...> tokens of a Message-ID, In-Reply-To or References field, brackets included.
func msgIDs(v string) []string {
	var ids []string
	for {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(v[i:], '>')
		if j < 0 {
			break
		}
		if id := strings.TrimSpace(v[i : i+j+1]); len(id) > 2 {
			ids = append(ids, mailheader.ToUTF8(id))
		}
		v = v[i+j+1:]
	}
	return ids
}

// firstMsgID returns the first <...> token, or the trimmed value when there is none.
func firstMsgID(v string) string {
	if ids := msgIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return mailheader.DecodeText(v)
}
