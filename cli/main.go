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
	// Once the first SIGTERM or Ctrl-C has asked the command to stop, a
	// second one ends the process at once (Go's default). No stop() on the
	// way out: signal.Stop waits for the runtime's signal thread to get a
	// processor, which a busy garbage collector delayed by up to 1.7 s after
	// an interrupted command had said it stopped (go tool trace, issue 12);
	// the caller exits, which needs no clean-up of the handler.
	context.AfterFunc(ctx, stop)
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	return Run(ctx, env, args)
}
