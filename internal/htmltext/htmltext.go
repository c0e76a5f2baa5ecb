// Package htmltext turns the HTML part of a mail into plain text, loading
// nothing: the one conversion behind the reader, replies and forwards
// (app/compose via app.MessageView) and the mail index (mailstore).
package htmltext

import (
	"html"
	"regexp"
	"strings"
)

var (
	drop      = regexp.MustCompile(`(?is)<(script|style|head)[^>]*>.*?</(script|style|head)>`)
	lineBreak = regexp.MustCompile(`(?i)<(br|/p|/div|/tr|/li|/h[1-6])[^>]*>`)
	cellEnd   = regexp.MustCompile(`(?i)</t[dh][^>]*>`)
	tag       = regexp.MustCompile(`(?s)<[^>]*>`)
	blankRuns = regexp.MustCompile(`\n{3,}`)
)

// Text turns HTML into plain text: scripts, styles and the head are
// dropped, block ends become line breaks, table cells are kept apart by a
// space, other tags vanish and entities are decoded. Nothing is fetched:
// images and links are reduced to nothing or their text.
func Text(s string) string {
	s = drop.ReplaceAllString(s, "")
	s = lineBreak.ReplaceAllString(s, "\n")
	s = cellEnd.ReplaceAllString(s, " ")
	s = tag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(blankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}
