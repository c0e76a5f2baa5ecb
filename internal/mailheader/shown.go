package mailheader

// FlagOtherAddress is the warning shown beside a sender whose display name,
// comment or encoded word contains an address other than the one shown.
const FlagOtherAddress = "the name shown contains another address"

// Shown is the sender as the message list, the reader and the command line
// show it (docs/SECURITY.md, "Who sent it").
//
// For a signed message, certified is the address from the signer's Digital
// ID and certName its common name: the sender shown is that, never the From
// field's words. For an unsigned message (certified "") it is the From field
// as written, with a word on what is wrong with it. Either way, a display
// name, comment or encoded word holding an address other than the one shown
// is flagged with FlagOtherAddress, never shown alone.
func Shown(f From, certified, certName string) string {
	var s, addr string
	if certified != "" {
		addr = certified
		s = certified
		if certName != "" && !ContainsOtherAddress(certName, certified) && !EqualAddress(certName, certified) {
			s = clean(certName) + " <" + certified + ">"
		}
	} else {
		addr = f.Mailbox.Address
		switch f.Problem {
		case FromMissing:
			return "(no From field)"
		case FromEmpty:
			return "(empty From field)"
		case FromOK, FromSeveral:
			s = JoinMailboxes(f.Mailboxes)
		case FromDuplicate:
			s = JoinMailboxes(f.Mailboxes) + " — one of several From fields"
		case FromGroup, FromUnparsable:
			s = f.Text + " — not a readable sender address"
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
		s += " — " + FlagOtherAddress
	}
	return s
}
