package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/driver/nutsock"
)

func init() { multiCall["upsdrvctl"] = []string{"upsdrvctl"} }

func newUpsdrvctlCmd() *cobra.Command {
	var user string
	var testing bool
	var debug int
	cmd := &cobra.Command{
		Use:   "upsdrvctl [-t] [-u USER] (start | stop) [UPS]",
		Short: "Start or stop powerchain drivers as NUT driver processes, as NUT's upsdrvctl does",
		Long: `Starts (or stops) the driver of every ups.conf device, or of one, as a
separate process serving NUT's state socket — for NUT's upsd or
powerchain's upsd. Drivers powerchain does not have are reported.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(c *cobra.Command, args []string) error {
			cd, err := conf.LoadDir(conf.ResolveDir(""))
			if err != nil {
				return err
			}
			devs := cd.UPS().Devices
			if len(args) == 2 {
				d, ok := cd.UPS().Device(args[1])
				if !ok {
					return fmt.Errorf("UPS %s not found in ups.conf", args[1])
				}
				devs = []conf.Device{d}
			}
			self, err := os.Executable()
			if err != nil {
				return err
			}
			failed := 0
			for _, d := range devs {
				switch args[0] {
				case "start":
					if _, ok := driver.Lookup(d.Driver); !ok {
						fmt.Fprintf(c.ErrOrStderr(), "Driver %q for UPS %s is not part of powerchain; start NUT's own\n", d.Driver, d.Name)
						failed++
						continue
					}
					dargs := []string{"-a", d.Name}
					if user != "" {
						dargs = append(dargs, "-u", user)
					}
					for i := 0; i < debug; i++ {
						dargs = append(dargs, "-D", "-B")
					}
					if testing {
						fmt.Fprintf(c.OutOrStdout(), "exec: %s %v\n", d.Driver, dargs)
						continue
					}
					cmd := exec.Command(self, dargs...)
					cmd.Args[0] = d.Driver
					cmd.Stdout, cmd.Stderr = c.OutOrStdout(), c.ErrOrStderr()
					if err := cmd.Run(); err != nil {
						fmt.Fprintf(c.ErrOrStderr(), "Driver failed to start for UPS %s: %v\n", d.Name, err)
						failed++
					}
				case "stop":
					pidfile := filepath.Join(nutsock.StatePath(), d.Driver+"-"+d.Name+".pid")
					if testing {
						fmt.Fprintf(c.OutOrStdout(), "stop: %s\n", pidfile)
						continue
					}
					if err := signalRunning(pidfile, "stop"); err != nil {
						fmt.Fprintf(c.ErrOrStderr(), "Stopping %s: %v\n", d.Name, err)
						failed++
						continue
					}
					for i := 0; i < 50; i++ { // the driver removes its pid file on exit
						if _, err := os.Stat(pidfile); errors.Is(err, os.ErrNotExist) {
							break
						}
						time.Sleep(100 * time.Millisecond)
					}
				default:
					return fmt.Errorf("%s: want start or stop", args[0])
				}
			}
			if failed > 0 {
				return exitError(1)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&user, "user", "u", "", "drivers started switch from root to USER")
	cmd.Flags().BoolVarP(&testing, "testing", "t", false, "print what would be done")
	cmd.Flags().CountVarP(&debug, "debug", "D", "raise the drivers' debugging level")
	return cmd
}
