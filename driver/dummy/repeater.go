package dummy

import (
	"context"
	"fmt"
	"strings"
	"sync"
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

	mu  sync.Mutex
	cli *client.Client
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

// Connect dials the upstream server (and logs in when so configured).
func (r *Repeater) Connect(ctx context.Context, dev *device.Device) (driver.Schedule, error) {
	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cli, err := client.DialAs(dctx, r.target.Addr(), r.user, r.password)
	if err != nil {
		return driver.Schedule{}, err
	}
	r.mu.Lock()
	r.cli = cli
	r.mu.Unlock()
	dev.SetHandler(r)
	dev.Update(func(tx *device.Tx) { tx.Set("driver.parameter.mode", "repeater") })
	// A failed read means the connection is in doubt: stale and connect
	// again at once, as NUT's repeater does.
	return driver.Schedule{Interval: r.interval, StaleAfter: 1, Reconnect: 1}, nil
}

// Poll reads the upstream device's variables and commands.
func (r *Repeater) Poll(ctx context.Context, class driver.Class) (func(*device.Tx), error) {
	cli := r.client()
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	vars, err := cli.Vars(pctx, r.target.UPS)
	var cmds []string
	if err == nil {
		cmds, err = cli.Commands(pctx, r.target.UPS)
	}
	if err == nil && (len(vars) > driver.MaxVars || len(cmds) > driver.MaxCmds) {
		err = fmt.Errorf("%d variables and %d commands: more than %d or %d", len(vars), len(cmds), driver.MaxVars, driver.MaxCmds)
	}
	if err != nil {
		return nil, fmt.Errorf("repeater %s: %w", r.target, err)
	}
	return func(tx *device.Tx) {
		for _, v := range vars {
			if !strings.HasPrefix(v.Name, "driver.") {
				tx.Set(v.Name, v.Value)
			}
		}
		for _, c := range cmds {
			tx.AddCmd(c)
		}
	}, nil
}

// Close closes the connection upstream.
func (r *Repeater) Close() {
	if cli := r.client(); cli != nil {
		cli.Close()
	}
}

func (r *Repeater) client() *client.Client {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cli
}

// SetVar forwards to the upstream server when credentials are configured.
func (r *Repeater) SetVar(ctx context.Context, name, value string) error {
	if r.user == "" {
		return nut.ErrReadonly
	}
	return r.client().Set(ctx, r.target.UPS, name, value)
}

// InstCmd forwards to the upstream server when credentials are configured.
func (r *Repeater) InstCmd(ctx context.Context, name, param string) error {
	if r.user == "" {
		return nut.ErrCmdNotSupported
	}
	if param != "" {
		return r.client().InstCmd(ctx, r.target.UPS, name, param)
	}
	return r.client().InstCmd(ctx, r.target.UPS, name)
}
