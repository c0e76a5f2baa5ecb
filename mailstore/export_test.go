package mailstore

// Test hooks: the package's tests live in package mailstore_test and reach these through here.

// SetAfterFiles installs a hook that runs after Add has written a message's files and before the index commit.
func SetAfterFiles(s *Store, f func() error) { s.afterFiles = f }

// Abandon drops the store as a killed process would: the index is closed without a clean shutdown, the crash
// marker stays.
func Abandon(s *Store) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	_ = s.db.Close()
}

// Analyze exposes the header parsing for the fuzz target.
func Analyze(raw []byte) (subject, from, note string) {
	e := analyze(raw)
	return e.Subject, e.From.String(), joinNotes(e.Notes)
}

func joinNotes(n []string) string {
	out := ""
	for i, s := range n {
		if i > 0 {
			out += "; "
		}
		out += s
	}
	return out
}
