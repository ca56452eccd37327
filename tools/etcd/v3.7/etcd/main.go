// etcd, built from etcd's own module at the version go.mod pins: a test
// fixture of etcd-disk-bench (scripts/etcd-versions.sh), not part of the tool.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
