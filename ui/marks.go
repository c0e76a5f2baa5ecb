package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"securemail/assets"
	"securemail/mailstore"
	"securemail/smime"
)

// Mark is one security state as docs/UX.md §1 shows it: an icon, a word
// and a colour, always together.
type Mark int

// The marks.
const (
	MarkNone      Mark = iota
	MarkEncrypted      // closed lock
	MarkValid          // seal with a check
	MarkInvalid        // red X
	MarkWarning        // amber warning sign
	MarkKey            // a recipient's valid Digital ID is known
	MarkNoKey          // struck key: no usable Digital ID
	MarkContactOK      // green V in the address book
)

// Icon returns the mark's icon, nil for MarkNone.
func (m Mark) Icon() fyne.Resource {
	switch m {
	case MarkEncrypted:
		return assets.Lock()
	case MarkValid:
		return assets.SealCheck()
	case MarkInvalid:
		return assets.RedX()
	case MarkWarning:
		return assets.Warning()
	case MarkKey:
		return assets.Key()
	case MarkNoKey:
		return assets.StruckKey()
	case MarkContactOK:
		return assets.CheckV()
	}
	return nil
}

// Colour is the mark's colour (for its word and its banner).
func (m Mark) Colour() color.Color {
	switch m {
	case MarkValid, MarkKey, MarkContactOK:
		return color.NRGBA{R: 0x1e, G: 0x8a, B: 0x3c, A: 0xff}
	case MarkInvalid:
		return color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	case MarkWarning:
		return color.NRGBA{R: 0xb0, G: 0x72, B: 0x00, A: 0xff}
	case MarkEncrypted:
		return color.NRGBA{R: 0x1f, G: 0x4e, B: 0x8c, A: 0xff}
	case MarkNoKey:
		return color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
	}
	return color.Transparent
}

// Background is the light tint of a banner line with this mark.
func (m Mark) Background() color.Color {
	switch m {
	case MarkValid:
		return color.NRGBA{R: 0xe3, G: 0xf4, B: 0xe6, A: 0xff}
	case MarkInvalid:
		return color.NRGBA{R: 0xfb, G: 0xe3, B: 0xe3, A: 0xff}
	case MarkWarning:
		return color.NRGBA{R: 0xfd, G: 0xf0, B: 0xd5, A: 0xff}
	case MarkEncrypted:
		return color.NRGBA{R: 0xe3, G: 0xec, B: 0xf7, A: 0xff}
	}
	return color.Transparent
}

// signatureMark maps a signature status to its mark.
func signatureMark(status string, signed bool) Mark {
	switch status {
	case smime.StatusValid:
		return MarkValid
	case smime.StatusInvalid:
		return MarkInvalid
	case smime.StatusUntrusted, smime.StatusExpired, smime.StatusWeakAlgorithm, smime.StatusAddressMismatch, smime.StatusBadFrom:
		return MarkWarning
	}
	if signed {
		return MarkWarning // signed, not verified yet
	}
	return MarkNone
}

// rowWord is the short word the message list shows beside a row's marks.
func rowWord(r mailstore.Row) string {
	var w []string
	if r.Encrypted {
		w = append(w, lang.L("mark.encrypted"))
	}
	switch r.Signature {
	case smime.StatusValid:
		w = append(w, lang.L("mark.signed"))
	case smime.StatusInvalid:
		w = append(w, lang.L("mark.invalid"))
	case smime.StatusUntrusted:
		w = append(w, lang.L("mark.untrusted"))
	case smime.StatusExpired:
		w = append(w, lang.L("mark.expired"))
	case smime.StatusWeakAlgorithm:
		w = append(w, lang.L("mark.weak"))
	case smime.StatusAddressMismatch:
		w = append(w, lang.L("mark.mismatch"))
	case smime.StatusBadFrom:
		w = append(w, lang.L("mark.badfrom"))
	default:
		if r.Signed {
			w = append(w, lang.L("mark.signedunverified"))
		}
	}
	if r.DSN != "" {
		w = append(w, lang.L("mark.report"))
	}
	return strings.Join(w, wordSeparator)
}

// wordSeparator joins the parts of a row's word.
const wordSeparator = " · "

// rowWords is every word a row can show in the window's language: each
// signature state, encrypted or not, a delivery report or not.
func rowWords() []string {
	var out []string
	for _, enc := range []bool{false, true} {
		for _, st := range []string{mailstore.SigNone, mailstore.SigValid, mailstore.SigInvalid, mailstore.SigUntrusted, mailstore.SigExpired,
			mailstore.SigWeakAlgorithm, mailstore.SigAddressMismatch, mailstore.SigBadFrom, mailstore.SigUnverified} {
			for _, dsn := range []string{"", "report"} {
				out = append(out, rowWord(mailstore.Row{Encrypted: enc, Signature: st, Signed: st != mailstore.SigNone, DSN: dsn}))
			}
		}
	}
	return out
}
