package cli

import "context"

// runSMIME is a placeholder until the command lands.
func runSMIME(_ context.Context, env *Env, _ []string) int {
	return Fail(env, ExitError, "'smime' is not available yet")
}
