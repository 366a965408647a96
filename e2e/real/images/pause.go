// The pod sandbox's process (what registry.k8s.io/pause is in a real cluster): it holds the pod's
// namespaces, reaps orphaned children as PID 1 must, and exits 0 on SIGTERM or SIGINT.
// Built by e2e/real/images.sh; no registry is reachable here to pull the real one.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var status syscall.WaitStatus
			if pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil); pid <= 0 || err != nil {
				break
			}
		}
	}
}
