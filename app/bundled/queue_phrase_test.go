package bundled

import (
	"testing"

	"securemail/internal/phrase"
	"securemail/testnet/queue"
)

// TestQueuedRecipientInWords: the queue panel's recipient with its state
// reads as before in English, with a key per state for the window; the
// server's reply stays as written, and an unknown state shows as it is.
func TestQueuedRecipientInWords(t *testing.T) {
	const jan = "Jan.Novak@tcn.b.eu-admin.net"
	for _, c := range []struct {
		r          queue.Recipient
		key, state string
		want       string
	}{
		{queue.Recipient{To: jan, Status: queue.Pending}, "network.queue.rcpt", "network.queue.state.pending", jan + " (pending)"},
		{queue.Recipient{To: jan, Status: queue.Deferred, LastError: "451 4.4.1 {{.To}} try later"}, "network.queue.rcpt.reply", "network.queue.state.deferred",
			jan + " (deferred: 451 4.4.1 {{.To}} try later)"},
		{queue.Recipient{To: jan, Status: queue.Delivered}, "network.queue.rcpt", "network.queue.state.delivered", jan + " (delivered)"},
		{queue.Recipient{To: jan, Status: queue.Failed, LastError: "550 5.1.1 no such user"}, "network.queue.rcpt.reply", "network.queue.state.failed",
			jan + " (failed: 550 5.1.1 no such user)"},
		{queue.Recipient{To: jan, Status: "quarantined"}, "network.queue.rcpt", "", jan + " (quarantined)"},
	} {
		p := recipientPhrase(c.r)
		if p.Key != c.key || p.String() != c.want {
			t.Errorf("%s: %s %q, want %s %q", c.r.Status, p.Key, p.String(), c.key, c.want)
		}
		state, isPhrase := p.Args["State"].(phrase.Phrase)
		if isPhrase != (c.state != "") || state.Key != c.state {
			t.Errorf("%s: state %#v, want the phrase %q", c.r.Status, p.Args["State"], c.state)
		}
	}
}
