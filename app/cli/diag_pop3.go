package cli

import "context"

// runDiagPOP3 is a placeholder until the POP3 client lands.
func runDiagPOP3(_ context.Context, env *Env, _ []string) int {
	return Fail(env, ExitError, "'diag pop3' is not available yet")
}
