package ui

import "testing"

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
