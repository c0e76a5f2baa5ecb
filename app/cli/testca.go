package cli

import "context"

// runTestCA is a placeholder until the command lands.
func runTestCA(_ context.Context, env *Env, _ []string) int {
	return Fail(env, ExitError, "'testca' is not available yet")
}
