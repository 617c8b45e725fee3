// Command powerchain is infrastructure power management, compatible with
// Network UPS Tools. The binary is multi-call: run as "powerchain CMD" or
// under the name of a NUT program it stands in for.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// exitError carries an exit status without printing anything more.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// buildVersion is the build's, set by the Makefile (-X main.buildVersion=…).
var buildVersion = "dev"

// multiCall maps the names the binary may be invoked as to a command
// path under the root command.
var multiCall = map[string][]string{}

func main() {
	root := newRoot()
	args := os.Args[1:]
	if path, ok := multiCall[filepath.Base(os.Args[0])]; ok {
		args = append(append([]string{}, path...), args...)
	}
	root.SetArgs(args)
	err := root.Execute()
	var code exitError
	switch {
	case err == nil:
	case errors.As(err, &code):
		os.Exit(int(code))
	default:
		fmt.Fprintf(os.Stderr, "%s: %v\n", root.Name(), err)
		os.Exit(1)
	}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "powerchain",
		Short:         "Infrastructure power management, compatible with Network UPS Tools",
		Version:       buildVersion,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newConfCmd(), newServeCmd(), newUpscCmd(), newUpsdCmd(), newDriverCmd(), newUpscmdCmd(), newUpsrwCmd(), newDemoCmd(), newChainCmd(), newUpsdrvctlCmd(), newDriversCmd(), newUpsmonCmd(), newScanCmd(), newSetupCmd(), newBrowseCmd(), newFenceCmd(), newConsoleCmd(), newConsoleNotifyCmd(), newRecordCmd(), newGendocsCmd())
	return root
}
