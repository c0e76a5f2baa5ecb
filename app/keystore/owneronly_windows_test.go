package keystore

import "testing"

// TestSealedFileIsOwnerOnly is where the owner-only ACL of the sealed key
// file will be checked: Windows ignores the file mode, and the ACL is not
// set yet (issue 11, point 2). Skipped with that reason, so that the gap
// shows in every Windows test run.
func TestSealedFileIsOwnerOnly(t *testing.T) {
	t.Skip("not done on Windows: the sealed key file gets no owner-only ACL yet (chmod 0600 means nothing there; issue 11 point 2)")
}
