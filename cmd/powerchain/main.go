// Command powerchain is infrastructure power management, compatible with
// Network UPS Tools. The binary is multi-call: run as "powerchain CMD" or
// under the name of a NUT program it stands in for.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// exitError carries an exit status without printing anything more.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// failure is a command's error as main reports it (see finish): the
// exit status it sets, whether the command has printed it on stderr in
// its own words already, and, for --json, the partial result printed
// with it.
type failure struct {
	err  error
	code int // the exit status; 1 when 0
	// shown: the command printed the message on stderr itself.
	shown bool
	// json: the command was asked for JSON (set by the commands that read
	// their own options, whose --json is no cobra flag).
	json bool
	// result is what the command had when it failed; with --json its
	// fields go beside "error".
	result any
}

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

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
	os.Exit(execute(root, args))
}

// execute runs the command line args and returns the exit status.
func execute(root *cobra.Command, args []string) int {
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if cmd == nil {
		cmd = root
	}
	return finish(err, wantsJSON(cmd), root.Name(), cmd.OutOrStdout(), cmd.ErrOrStderr())
}

// finish reports how a command ended and returns the exit status. An
// exitError is a status the command has said everything about. Any
// other error is printed on stderr as "powerchain: message", unless the
// command printed it in its own words (a failure shown); and when the
// command was asked for JSON, also on stdout as one JSON object,
// {"error": "message", ...}, beside the fields of the partial result the
// failure carries, so that a script reading stdout always gets JSON.
func finish(err error, asJSON bool, prog string, stdout, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var f *failure
	if !errors.As(err, &f) {
		var code exitError
		if errors.As(err, &code) {
			return int(code)
		}
		f = &failure{err: err}
	}
	if !f.shown {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
	}
	if asJSON || f.json {
		if werr := writeJSONError(stdout, err.Error(), f.result); werr != nil {
			fmt.Fprintf(stderr, "%s: %v\n", prog, werr)
		}
	}
	if f.code == 0 {
		return 1
	}
	return f.code
}

// wantsJSON reports whether cmd was given --json (as far as its flags
// were read).
func wantsJSON(cmd *cobra.Command) bool {
	fl := cmd.Flags().Lookup("json")
	return fl != nil && fl.Value.String() == "true"
}

// writeJSONError writes a failure as one JSON object: "error" the
// message, beside the fields of result (a result that is not an object
// goes under "result").
func writeJSONError(w io.Writer, msg string, result any) error {
	obj := map[string]json.RawMessage{}
	if result != nil {
		var b bytes.Buffer
		if err := writeJSON(&b, result); err != nil {
			return fmt.Errorf("the partial result: %w", err)
		}
		if err := json.Unmarshal(b.Bytes(), &obj); err != nil || obj == nil { // null, too
			obj = map[string]json.RawMessage{"result": b.Bytes()}
		}
	}
	var m bytes.Buffer
	writeJSON(&m, msg)
	obj["error"] = m.Bytes()
	return writeJSON(w, obj)
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
