// Command securemail is the SecureMail desktop mail client for TACHOnet's
// TESTA secure mail. With no command it opens its window; with a command it
// runs that workflow from the command line (see `securemail --help`).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"securemail/app/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	code := cli.Run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}
