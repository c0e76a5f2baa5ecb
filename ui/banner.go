package ui

import (
	"strings"

	"fyne.io/fyne/v2/lang"

	"securemail/app"
	"securemail/internal/displaytext"
	"securemail/smime"
	"securemail/ui/i18n"
)

// BannerLine is one line of the reader's security banner.
type BannerLine struct {
	Mark Mark
	Text string
}

// Banner returns the security banner of an opened message in the wording of
// docs/UX.md §1, in the window's language: the signature line (who signed,
// valid or why not), a warning line per protected header field whose outer
// copy says otherwise, then the encryption line. An unsigned, unencrypted
// message has no banner.
func Banner(v *app.MessageView) []BannerLine {
	if v == nil || v.Report == nil {
		return nil
	}
	r := v.Report
	if r.Error != "" {
		m := MarkInvalid
		if r.Encrypted || hasLayer(r, smime.LayerEnveloped, smime.LayerAuthEnveloped) {
			m = MarkEncrypted
		}
		text := r.Error
		if !r.ErrorPhrase.IsZero() {
			text = i18n.Say(r.ErrorPhrase)
		}
		return []BannerLine{{Mark: m, Text: displaytext.Line(text)}}
	}
	var lines []BannerLine
	// The verdict quotes the signer's certificate and the message's From.
	if sig := displaytext.Line(verdictText(r)); r.Signed && sig != "" {
		lines = append(lines, BannerLine{Mark: signatureMark(r.Signature, true), Text: sig})
	}
	for _, d := range r.HeaderDifferences {
		lines = append(lines, BannerLine{Mark: MarkWarning, Text: displaytext.Line(i18n.Say(d.WarningPhrase()))})
	}
	if r.Encrypted {
		lines = append(lines, BannerLine{Mark: MarkEncrypted, Text: lang.L("banner.encrypted", map[string]any{"Cipher": cipherName(r.Encryption)})})
	}
	return lines
}

// verdictText is the signature's verdict in the window's language. A report
// that carries no phrases (made by hand, not by smime.Open) shows its
// English Reason.
func verdictText(r *smime.Report) string {
	if len(r.Verdict) == 0 {
		return strings.TrimSpace(r.Reason)
	}
	return i18n.SayAll(r.Verdict)
}

func hasLayer(r *smime.Report, names ...string) bool {
	for _, l := range r.Layers {
		for _, n := range names {
			if l == n {
				return true
			}
		}
	}
	return false
}

// cipherName is how the banner names a content cipher.
func cipherName(c string) string {
	switch c {
	case "":
		return lang.L("banner.cipher.unknown")
	case "des-ede3-cbc":
		return "Triple DES"
	}
	return strings.ToUpper(c)
}
