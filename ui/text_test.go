package ui

import "testing"

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
