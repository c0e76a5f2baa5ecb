package mailheader

import "securemail/internal/phrase"

// FlagOtherAddress is the warning shown beside a sender whose display name,
// comment or encoded word contains an address other than the one shown: the
// English of MarkOtherAddress.
const FlagOtherAddress = "the name shown contains another address"

// SenderMark is a set of warnings shown with a sender (docs/SECURITY.md, "Who
// sent it"): what is wrong with the From field, and whether its words name
// someone else. The values are stored in the mail store's index and its
// message files: never renumber them.
type SenderMark uint8

// Sender marks. MarkNoFrom and MarkEmptyFrom stand alone, without a sender
// text; the others follow the sender text, in this order.
const (
	MarkNoFrom        SenderMark = 1 << iota // "(no From field)"
	MarkEmptyFrom                            // "(empty From field)"
	MarkSeveralFields                        // "… — one of several From fields"
	MarkUnreadable                           // "… — not a readable sender address"
	MarkOtherAddress                         // "… — " + FlagOtherAddress
)

// Sender is the sender as SecureMail shows it, as data: the sender's words
// and the warnings that go with them, so the window says the warnings in its
// language (docs/ARCHITECTURE.md §7) and the command line in English
// (String, the text Shown has always given).
type Sender struct {
	// Text is the certified address (with its name) of a signed message, or
	// the From field as written; "" with MarkNoFrom or MarkEmptyFrom.
	Text string `json:"text"`
	// Marks are the warnings shown with Text.
	Marks SenderMark `json:"marks,omitempty"`
}

// String is the sender in English, marks included: what the command line,
// the JSON reports and the logs show.
func (s Sender) String() string {
	if s.Marks == 0 {
		return s.Text // most senders: no template to fill (a listing calls this per row)
	}
	return s.Phrase().String()
}

// Phrase is the sender with its marks as one phrase, for the window to say
// in its language (i18n.Say): each mark is a phrase holding the sender and
// the marks before it as its Sender.
func (s Sender) Phrase() phrase.Phrase {
	switch {
	case s.Marks&MarkNoFrom != 0:
		return phrase.New("sender.mark.nofrom", "(no From field)", nil)
	case s.Marks&MarkEmptyFrom != 0:
		return phrase.New("sender.mark.emptyfrom", "(empty From field)", nil)
	}
	p := phrase.New("sender.plain", "{{.Sender}}", phrase.Args{"Sender": s.Text})
	if s.Marks&MarkSeveralFields != 0 {
		p = phrase.New("sender.mark.several", "{{.Sender}} — one of several From fields", phrase.Args{"Sender": p})
	}
	if s.Marks&MarkUnreadable != 0 {
		p = phrase.New("sender.mark.unreadable", "{{.Sender}} — not a readable sender address", phrase.Args{"Sender": p})
	}
	if s.Marks&MarkOtherAddress != 0 {
		p = phrase.New("sender.mark.otheraddress", "{{.Sender}} — the name shown contains another address", phrase.Args{"Sender": p})
	}
	return p
}

// Shown is the sender as the message list, the reader and the command line
// show it (docs/SECURITY.md, "Who sent it"), as data; its String is the
// English text.
//
// For a signed message, certified is the address from the signer's Digital
// ID and certName its common name: the sender shown is that, never the From
// field's words. For an unsigned message (certified "") it is the From field
// as written, with a mark on what is wrong with it. Either way, a display
// name, comment or encoded word holding an address other than the one shown
// is marked with MarkOtherAddress, never shown alone.
func Shown(f From, certified, certName string) Sender {
	var s Sender
	var addr string
	if certified != "" {
		addr = certified
		s.Text = certified
		if certName != "" && !ContainsOtherAddress(certName, certified) && !EqualAddress(certName, certified) {
			s.Text = clean(certName) + " <" + certified + ">"
		}
	} else {
		addr = f.Mailbox.Address
		switch f.Problem {
		case FromMissing:
			return Sender{Marks: MarkNoFrom}
		case FromEmpty:
			return Sender{Marks: MarkEmptyFrom}
		case FromOK, FromSeveral:
			s.Text = JoinMailboxes(f.Mailboxes)
		case FromDuplicate:
			s.Text, s.Marks = JoinMailboxes(f.Mailboxes), MarkSeveralFields
		case FromGroup, FromUnparsable:
			s.Text, s.Marks = f.Text, MarkUnreadable
		}
		if f.Problem != FromOK && f.Problem != FromDuplicate {
			return s
		}
	}
	text := f.NameText
	if certified != "" {
		// Signed: anything in the From fields naming someone else is flagged.
		text = f.AllText
	}
	if ContainsOtherAddress(text, addr) {
		s.Marks |= MarkOtherAddress
	}
	return s
}
