package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/nut"
	"github.com/powerchain/powerchain/record"
)

func init() { multiCall["nut-recorder"] = []string{"record"} }

func newRecordCmd() *cobra.Command {
	var out, interval, duration string
	var poll bool
	cmd := &cobra.Command{
		Use:   "record UPS[@HOST[:PORT]] [-i INTERVAL] [-d DURATION] -o FILE.seq",
		Short: "Record what a device does into a dummy-ups sequence (.seq), as NUT's nut-recorder",
		Long: `Writes the device whole, then every change with TIMER lines (whole
seconds), into FILE.seq, which dummy-ups (NUT's or powerchain's) plays
again. Where the server offers change notification (powerchain's server)
every change is written as it happens, to the second; elsewhere (NUT's
upsd, or --poll) the device is read every INTERVAL and what changed
written, as NUT's nut-recorder.sh does. Records until DURATION has passed
or it is interrupted (SIGINT, SIGTERM); a lost connection is retried and
the file keeps the last state heard.

INTERVAL and DURATION are seconds, or durations such as 90s, 10m, 1h.
As nut-recorder (NUT's name): nut-recorder UPS [FILE [INTERVAL]].`,
		Args: cobra.RangeArgs(1, 3),
		RunE: func(c *cobra.Command, args []string) error {
			ups, err := nut.ParseUPSName(args[0])
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			// nut-recorder's positional FILE and INTERVAL.
			if len(args) > 1 && out == "" {
				out = args[1]
			}
			if len(args) > 2 && !c.Flags().Changed("interval") {
				interval = args[2]
			}
			if out == "" {
				out = "dummy-device.seq" // nut-recorder.sh's
			}
			var o record.Options
			if o.Interval, err = seconds(interval); err != nil || o.Interval <= 0 {
				return fmt.Errorf("-i %q: a number of seconds or a duration above 0", interval)
			}
			if duration != "" {
				if o.Duration, err = seconds(duration); err != nil || o.Duration <= 0 {
					return fmt.Errorf("-d %q: a number of seconds or a duration above 0", duration)
				}
			}
			o.Poll = poll
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			res, err := record.Record(ctx, ups, f, o)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				if res.Elapsed == 0 {
					os.Remove(out) // nothing recorded
				}
				return err
			}
			how := "polled"
			if res.Push {
				how = "change notification"
			}
			slog.Info("recorded", "file", out, "ups", ups.String(), "how", how, "steps", res.Steps,
				"changes", res.Changes, "gaps", res.Gaps, "seconds", int(res.Elapsed.Round(time.Second)/time.Second))
			if res.Skipped > 0 {
				slog.Warn("variables left out: a .seq line cannot hold their value", "count", res.Skipped)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the .seq file to write (nut-recorder's default: dummy-device.seq)")
	cmd.Flags().StringVarP(&interval, "interval", "i", strconv.Itoa(int(record.DefaultInterval/time.Second)), "time between reads where the server offers no change notification")
	cmd.Flags().StringVarP(&duration, "duration", "d", "", "how long to record (default: until interrupted)")
	cmd.Flags().BoolVar(&poll, "poll", false, "read every INTERVAL even where the server offers change notification")
	return cmd
}

// seconds reads a number of seconds ("5") or a Go duration ("90s").
func seconds(s string) (time.Duration, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errors.New("not a duration")
	}
	return d, nil
}
