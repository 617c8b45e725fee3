package dummy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/nut"
)

// Repeater mirrors a device of another NUT server (port = ups@host[:port]),
// as NUT's dummy-ups does in repeater mode. With "username" and
// "password" settings it also forwards SET VAR and INSTCMD upstream.
type Repeater struct {
	target   nut.UPSName
	interval time.Duration
	user     string
	password string
	cli      *client.Client
}

func newRepeater(cfg driver.Config) (driver.Driver, error) {
	n, err := nut.ParseUPSName(cfg.Port)
	if err != nil {
		return nil, fmt.Errorf("dummy-ups: repeater port: %w", err)
	}
	r := &Repeater{target: n, interval: 2 * time.Second}
	r.user, _ = cfg.Get("username")
	r.password, _ = cfg.Get("password")
	return r, nil
}

// Run polls the upstream device until ctx ends or the upstream fails.
func (r *Repeater) Run(ctx context.Context, dev *device.Device) error {
	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	cli, err := client.Dial(dctx, r.target.Addr())
	cancel()
	if err != nil {
		return err
	}
	defer cli.Close()
	if r.user != "" {
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := cli.Authenticate(actx, r.user, r.password)
		cancel()
		if err != nil {
			return err
		}
	}
	r.cli = cli
	dev.SetHandler(r)
	dev.Update(func(tx *device.Tx) { tx.Set("driver.parameter.mode", "repeater") })
	for {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		vars, err := cli.Vars(pctx, r.target.UPS)
		var cmds []string
		if err == nil {
			cmds, err = cli.Commands(pctx, r.target.UPS)
		}
		cancel()
		if err == nil && (len(vars) > driver.MaxVars || len(cmds) > driver.MaxCmds) {
			err = fmt.Errorf("%d variables and %d commands: more than %d or %d", len(vars), len(cmds), driver.MaxVars, driver.MaxCmds)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("repeater %s: %w", r.target, err)
		}
		dev.Update(func(tx *device.Tx) {
			for _, v := range vars {
				if !strings.HasPrefix(v.Name, "driver.") {
					tx.Set(v.Name, v.Value)
				}
			}
			for _, c := range cmds {
				tx.AddCmd(c)
			}
		})
		dev.DataOK(time.Now())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(r.interval):
		}
	}
}

// SetVar forwards to the upstream server when credentials are configured.
func (r *Repeater) SetVar(ctx context.Context, name, value string) error {
	if r.user == "" {
		return nut.ErrReadonly
	}
	return r.cli.Set(ctx, r.target.UPS, name, value)
}

// InstCmd forwards to the upstream server when credentials are configured.
func (r *Repeater) InstCmd(ctx context.Context, name, param string) error {
	if r.user == "" {
		return nut.ErrCmdNotSupported
	}
	if param != "" {
		return r.cli.InstCmd(ctx, r.target.UPS, name, param)
	}
	return r.cli.InstCmd(ctx, r.target.UPS, name)
}
