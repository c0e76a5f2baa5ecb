// Command fetch is the benchmark's POP3 fetcher: it fetches every message
// of a mailbox over STLS with pop3client (pipelined when the server allows),
// keeps them on the server, and prints "<messages> <octets>".
//
//	fetch -server HOST:PORT -user U -password-file F -ca CA.pem
package main

import (
	"context"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"securemail/pop3client"
)

func main() {
	server := flag.String("server", "", "HOST:PORT")
	user := flag.String("user", "", "user name")
	pwFile := flag.String("password-file", "", "password file")
	caFile := flag.String("ca", "", "CA PEM file")
	flag.Parse()
	if err := run(*server, *user, *pwFile, *caFile); err != nil {
		fmt.Fprintln(os.Stderr, "fetch:", err)
		os.Exit(1)
	}
}

func run(server, user, pwFile, caFile string) error {
	pw, err := os.ReadFile(pwFile)
	if err != nil {
		return err
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c, err := pop3client.Dial(ctx, pop3client.Options{Address: server, TLS: pop3client.TLSStartTLS, RootCAs: pool})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Login(ctx, user, strings.TrimRight(string(pw), "\r\n")); err != nil {
		return err
	}
	count, _, err := c.Stat(ctx)
	if err != nil {
		return err
	}
	nums := make([]int, count)
	for i := range nums {
		nums[i] = i + 1
	}
	var total int64
	buf := make([]byte, 64<<10)
	err = c.RetrMany(ctx, nums, func(_ int, r io.Reader) error {
		for {
			n, err := r.Read(buf)
			total += int64(n)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
	if err != nil {
		return err
	}
	if err := c.Quit(ctx); err != nil {
		return err
	}
	fmt.Println(count, total)
	return nil
}
