// kube-apiserver, built from Kubernetes' own module at the version go.mod
// pins: a test fixture of etcd-disk-bench (scripts/kube-apiserver.sh), not
// part of the tool. It runs the API server's own command.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
