package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/fence"
	"github.com/powerchain/powerchain/usbups"
)

// newGendocsCmd writes what a package installs beside the binary, from
// the commands themselves: a man page for every command (powerchain.1,
// powerchain-upsc.1, …) from its own help, the fence agents' pages from
// their metadata (fence_nut.8), the shell completions, and the udev
// rules that let the nut group use the USB UPSes powerchain knows.
func newGendocsCmd() *cobra.Command {
	var names bool
	cmd := &cobra.Command{
		Use:    "gendocs DIR | --names",
		Short:  "Write the man pages and shell completions into DIR, or list the multi-call names (for packaging)",
		Hidden: true,
		Args:   cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if names {
				list := make([]string, 0, len(multiCall))
				for n := range multiCall {
					list = append(list, n)
				}
				sort.Strings(list)
				for _, n := range list {
					fmt.Fprintln(c.OutOrStdout(), n)
				}
				return nil
			}
			if len(args) != 1 {
				return errors.New("gendocs: give DIR, or --names")
			}
			return genDocs(c.Root(), args[0])
		},
	}
	cmd.Flags().BoolVar(&names, "names", false, "list the names the binary answers to (upsc, fence_nut, …), one a line")
	return cmd
}

// genDocs writes DIR/man1/*.1, DIR/man8/*.8, DIR/completions/{bash,
// zsh,fish} and DIR/udev/62-powerchain-usbups.rules. Dates come from
// SOURCE_DATE_EPOCH when it is set, so that a build is reproducible.
func genDocs(root *cobra.Command, dir string) error {
	man1 := filepath.Join(dir, "man1")
	man8 := filepath.Join(dir, "man8")
	comp := filepath.Join(dir, "completions")
	udev := filepath.Join(dir, "udev")
	for _, d := range []string{man1, man8, comp, udev} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{Section: "1", Source: "powerchain", Manual: "powerchain manual"}
	if err := doc.GenManTree(root, header, man1); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	for _, a := range []*fence.Agent{fence.NUT, fence.SNMPPDU} {
		if err := os.WriteFile(filepath.Join(man8, a.Name+".8"), []byte(a.Manpage()), 0o644); err != nil {
			return err
		}
	}
	for name, gen := range map[string]func(string) error{
		"bash": func(f string) error { return root.GenBashCompletionFileV2(f, true) },
		"zsh":  root.GenZshCompletionFile,
		"fish": func(f string) error { return root.GenFishCompletionFile(f, true) },
	} {
		if err := gen(filepath.Join(comp, name)); err != nil {
			return fmt.Errorf("%s completion: %w", name, err)
		}
	}
	var rules bytes.Buffer
	if err := usbups.UdevRules(&rules, udevGroup); err != nil {
		return fmt.Errorf("udev rules: %w", err)
	}
	return conf.WriteFileAtomic(filepath.Join(udev, udevRules), rules.Bytes(), 0o644)
}

// The udev rules file a package installs (in /lib/udev/rules.d, beside
// Debian nut-server's 62-nut-usbups.rules, which covers only the USB
// device nodes libusb opens, not the hidraw nodes powerchain's
// usbhid-ups opens), and the group it gives the devices to: the one the
// services run as.
const (
	udevRules = "62-powerchain-usbups.rules"
	udevGroup = "nut"
)
