package main

import (
	"fmt"
	"net"
)

// devAddr is where `attest dev` listens unless ATTEST_ADDR says otherwise:
// loopback only, since its banner prints the demo passwords.
const devAddr = "127.0.0.1:3000"

// devBaseURL is the origin `attest dev` really serves when it listens on
// addr: the listen host, or localhost when addr names every interface.
func devBaseURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("dev: ATTEST_ADDR: %w", err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// checkPortFree fails, naming ATTEST_ADDR, when addr cannot be listened on,
// so a taken port is reported before the local cluster starts.
func checkPortFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("dev: ATTEST_ADDR: cannot listen on %s (is another attest running?): set ATTEST_ADDR to a free address, e.g. ATTEST_ADDR=127.0.0.1:3001 make run: %w", addr, err)
	}
	return ln.Close()
}
