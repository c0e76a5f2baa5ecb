package ui

import (
	"time"

	"securemail/app/bundled"
)

// Network is the bundled offline TESTA network, as the wizard and the
// offline network panel see it. Nil when the account uses real servers.
type Network interface {
	// Dir is the network's folder.
	Dir() string
	// Running reports whether this process serves the network (false: another
	// SecureMail or `securemail testnet` does, and this one only watches).
	Running() bool
	Handouts() ([]Handout, error)
	Nodes() []string
	Queues() ([]QueueRow, error)
	// Events returns the last max lines of the evidence log, readable.
	Events(max int) ([]string, error)
	Outage(node string, d time.Duration) error
}

// Handout is one tester's handout folder of the bundled network.
type Handout = bundled.Handout

// QueueRow is one message waiting in a node's queue.
type QueueRow = bundled.QueueRow
