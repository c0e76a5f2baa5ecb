package pop3client_test

import (
	"context"
	"testing"
	"time"
)

// testCtx is a context that ends after d, or when the test ends.
func testCtx(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
