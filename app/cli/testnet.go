package cli

import "context"

// runTestnet is a placeholder until the bundled network lands.
func runTestnet(_ context.Context, env *Env, _ []string) int {
	return Fail(env, ExitError, "'testnet' is not available yet")
}
