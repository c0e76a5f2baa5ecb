package cli

import "context"

// runDiagSMTP is a placeholder until the SMTP client lands.
func runDiagSMTP(_ context.Context, env *Env, _ []string) int {
	return Fail(env, ExitError, "'diag smtp' is not available yet")
}
