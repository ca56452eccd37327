// kubectl, built from the same Kubernetes release as kube-apiserver: a test
// fixture of etcd-disk-bench (scripts/kube-apiserver.sh) for server-side dry
// runs of the Jobs `k8s jobs` writes, not part of the tool.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
)

func main() { os.Exit(cli.Run(cmd.NewDefaultKubectlCommand())) }
