package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Main runs the command line on the process's standard streams and
// environment, with a context cancelled at the first SIGINT or SIGTERM, and
// returns the exit status. args excludes the program name. Both programs
// call it: securemail (the window binary, for a command) and securemail-cli
// (cmd/securemail-cli, which links no window library).
func Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	return Run(ctx, env, args)
}
