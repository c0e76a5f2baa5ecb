package cli

import "context"

func runDiag(ctx context.Context, env *Env, args []string) int {
	return subcommands(ctx, env, "diag", args, map[string]command{
		"pop3": {"check a POP3 server: banner, capabilities, TLS, login, mailbox size", runDiagPOP3},
		"smtp": {"check an SMTP server: banner, EHLO, TLS, authentication, a test message", runDiagSMTP},
	})
}
