package ui

import (
	"strings"

	"fyne.io/fyne/v2/lang"

	"securemail/app"
	"securemail/internal/displaytext"
	"securemail/smime"
)

// BannerLine is one line of the reader's security banner.
type BannerLine struct {
	Mark Mark
	Text string
}

// Banner returns the security banner of an opened message in the wording of
// docs/UX.md §1: the signature line (who signed, valid or why not), then the
// encryption line. An unsigned, unencrypted message has no banner.
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
		return []BannerLine{{Mark: m, Text: displaytext.Line(r.Error)}}
	}
	var lines []BannerLine
	enc := ""
	if r.Encrypted {
		enc = lang.L("banner.encrypted", map[string]any{"Cipher": cipherName(r.Encryption)})
	}
	// The reason quotes the signer's certificate and the message's From; it
	// is the report's English and ends with the English encryption sentence.
	sig := displaytext.Line(strings.TrimSpace(r.Reason))
	if r.Encrypted {
		sig = strings.TrimSpace(strings.TrimSuffix(sig, "Encrypted for you ("+cipherNameEnglish(r.Encryption)+")."))
	}
	// A protected header field whose outer copy says otherwise gets a warning line of its own.
	var warnings []BannerLine
	for _, d := range r.HeaderDifferences {
		w := displaytext.Line(d.Warning())
		sig = strings.TrimSpace(strings.Replace(sig, w, "", 1))
		warnings = append(warnings, BannerLine{Mark: MarkWarning, Text: w})
	}
	if r.Signed && sig != "" {
		lines = append(lines, BannerLine{Mark: signatureMark(r.Signature, true), Text: sig})
	}
	lines = append(lines, warnings...)
	if enc != "" {
		lines = append(lines, BannerLine{Mark: MarkEncrypted, Text: enc})
	}
	return lines
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
	if c == "" {
		return lang.L("banner.cipher.unknown")
	}
	return cipherNameEnglish(c)
}

// cipherNameEnglish is the cipher's name as the report's English reason
// says it.
func cipherNameEnglish(c string) string {
	switch c {
	case "":
		return "unknown algorithm"
	case "des-ede3-cbc":
		return "Triple DES"
	}
	return strings.ToUpper(c)
}
