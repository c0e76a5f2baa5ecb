package cli

import "context"

// runDiag is a placeholder until the command lands.
func runDiag(_ context.Context, env *Env, _ []string) int {
	return Fail(env, ExitError, "'diag' is not available yet")
}
