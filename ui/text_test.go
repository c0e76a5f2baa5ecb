package ui

import "testing"

func TestSafeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":          "passwd",
		`C:\Windows\system32\a.exe`: "a.exe",
		".bashrc":                   "bashrc",
		"":                          "attachment",
		"..":                        "attachment",
		"CON.txt":                   "_CON.txt",
		"card\x00.bin":              "card_.bin",
		"rapport: <final>?.pdf":     "rapport_ _final__.pdf",
	} {
		if got := SafeFileName(in); got != want {
			t.Errorf("SafeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	long := SafeFileName(string(make([]byte, 0)) + "a" + string(repeat('b', 300)) + ".pdf")
	if len([]rune(long)) != 120 || long[len(long)-4:] != ".pdf" {
		t.Errorf("long name %q (%d)", long, len(long))
	}
}

func repeat(r rune, n int) []rune {
	out := make([]rune, n)
	for i := range out {
		out[i] = r
	}
	return out
}

func TestHTMLToTextLoadsNothing(t *testing.T) {
	in := `<html><head><style>p{}</style><script>fetch("http://x")</script></head><body><p>Dear Marie,</p>` +
		`<img src="http://tracker.example/p.gif"><p>Card &amp; dossier 42<br>blocked.</p></body></html>`
	want := "Dear Marie,\nCard & dossier 42\nblocked."
	if got := HTMLToText(in); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestDeliveryText(t *testing.T) {
	failed := []byte("Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822;a@b\r\nAction: failed\r\nStatus: 5.1.1\r\n")
	delayed := []byte("Action: delayed\r\nWill-Retry-Until: Mon, 30 Nov 2026 10:00:00 +0000\r\n")
	if got := DeliveryText(failed); got != "Not delivered: a message you sent could not be delivered; the report below says why." {
		t.Errorf("failed: %q", got)
	}
	if got := DeliveryText(delayed); got != "Delayed: the network is still trying to deliver a message you sent until Mon, 30 Nov 2026 10:00:00 +0000." {
		t.Errorf("delayed: %q", got)
	}
}
