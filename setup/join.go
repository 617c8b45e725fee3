package setup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/nut"
)

// ErrNoSupplies means that nothing says which supplies feed this host:
// no device of the servers has this host as device.host, and none was
// named.
var ErrNoSupplies = errors.New("no supply of this host found")

// JoinOptions describe a node that joins servers it draws power through.
type JoinOptions struct {
	Dir string // the NUT configuration directory of this node
	// Servers are the NUT servers of the power devices, host[:port].
	Servers []string
	// Found are servers found by browsing (host[:port]): joined like
	// Servers when they answer, left out with a note when they do not
	// (an announcement outlives its server, and NUT's avahi service file
	// announces every host with nut-server installed).
	Found []string
	// Host is this node as its power supplies name it in device.host
	// (the host name by default).
	Host string
	// Supplies name the devices that feed this node,
	// device[@host[:port]], when device.host does not say.
	Supplies []string
	// User and Password log upsmon in on the servers (a secondary).
	User     string
	Password conf.Secret
	// MinSupplies is how many supplies the node needs (0: one, so that a
	// node with two power supplies runs on either). When upsmon.conf has
	// MINSUPPLIES already, it is changed only when this is set.
	MinSupplies int
	// ShutdownCmd replaces upsmon.conf's SHUTDOWNCMD ("": keep it, or
	// /sbin/shutdown -h +0 when there is none).
	ShutdownCmd string
	// Timeout bounds each server's answers (default 5 s).
	Timeout time.Duration
	// DryRun finds and checks everything and writes nothing.
	DryRun bool
}

// Supply is one device that feeds the node.
type Supply struct {
	// Monitor is the device as its MONITOR line names it: name@host:port.
	Monitor    string       `json:"monitor"`
	Type       string       `json:"type,omitempty"`
	PowerValue int          `json:"power_value"`
	Path       string       `json:"path"` // its supply path, up to the mains
	Health     chain.Health `json:"health"`
	Why        string       `json:"why,omitempty"`
}

// JoinResult says what Join found and did.
type JoinResult struct {
	Host        string     `json:"host"`
	Servers     []string   `json:"servers"`
	Supplies    []Supply   `json:"supplies"`
	MinSupplies int        `json:"minsupplies"`
	Mode        string     `json:"mode"` // nut.conf's MODE afterwards
	Added       []string   `json:"monitors_added"`
	Kept        []string   `json:"monitors_kept"` // MONITOR lines there already, left as written
	Written     []string   `json:"written"`
	Skipped     []string   `json:"servers_skipped"` // found servers that did not answer, with why
	Changed     bool       `json:"changed"`         // files changed (or would be, in a dry run)
	Diags       conf.Diags `json:"-"`
	StartCmd    string     `json:"start"`
}

// Join writes the configuration of a node that draws power through
// devices of other NUT servers: MONITOR lines for the devices that feed
// it, under their own names on their own servers (secondary, with the
// given user); power value 1 each, MINSUPPLIES from the node's
// redundancy, a SHUTDOWNCMD, and MODE=netclient when this node serves no
// device itself. No device is relayed or renamed. The servers are asked
// first: the supplies must exist and the user must be able to log in to
// them. Running it again changes nothing.
func Join(ctx context.Context, o JoinOptions) (*JoinResult, error) {
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Host == "" {
		h, err := os.Hostname()
		if err != nil {
			return nil, fmt.Errorf("this host's name: %w", err)
		}
		o.Host = h
	}
	if len(o.Servers) == 0 && len(o.Found) == 0 {
		return nil, errors.New("no NUT server to join")
	}
	if o.User == "" {
		return nil, errors.New("no user to log in to the servers with")
	}
	res := &JoinResult{Host: o.Host, Supplies: []Supply{}, Added: []string{}, Kept: []string{}, Written: []string{}, Skipped: []string{}}
	for i, s := range append(append([]string(nil), o.Servers...), o.Found...) {
		host, port, err := nut.ParseHostPort(s)
		if err != nil {
			return nil, fmt.Errorf("server %q: %w", s, err)
		}
		addr := chain.ServerAddr(host, port)
		if slices.Contains(res.Servers, addr) {
			continue
		}
		switch err := reachable(ctx, addr, o.Timeout); {
		case err == nil:
			res.Servers = append(res.Servers, addr)
		case i < len(o.Servers):
			return nil, fmt.Errorf("server %s: %w", addr, err)
		default:
			res.Skipped = append(res.Skipped, addr+": "+err.Error())
		}
	}
	if len(res.Servers) == 0 {
		return nil, fmt.Errorf("%w: no NUT server found answers (%s)", ErrNoSupplies, strings.Join(res.Skipped, "; "))
	}
	g := chain.Discover(ctx, res.Servers, chain.Options{Source: chain.NUTSource{Timeout: o.Timeout}})
	ids, err := suppliesOf(g, res.Servers, o)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		n := g.Nodes[id]
		p := g.PathOf(id, nil)
		res.Supplies = append(res.Supplies, Supply{Monitor: id, Type: n.Type, PowerValue: 1,
			Path: p.String(), Health: p.Health, Why: p.Why})
	}
	if err := checkLogin(ctx, o, ids); err != nil {
		return nil, err
	}

	cd, err := conf.LoadDir(o.Dir)
	if err != nil {
		return nil, err
	}
	if len(cd.Files) > 0 {
		if errs := cd.Validate().Err(); errs != nil {
			return nil, fmt.Errorf("the existing configuration has errors; fix them first: %w", errs)
		}
	}
	monf := cd.File(conf.UpsmonConfFile)
	mon := conf.ParseUpsmonConf(monf)
	changed := map[string]bool{}
	for _, s := range res.Supplies {
		if m, ok := monitorOf(mon, s.Monitor); ok {
			res.Kept = append(res.Kept, s.Monitor)
			if m.PowerValue != s.PowerValue || m.Username != o.User {
				res.Diags = append(res.Diags, conf.Diag{File: monf.Path, Line: m.Line.Num, Severity: conf.Warning,
					Msg: fmt.Sprintf("MONITOR %s kept as written (power value %d, user %s)", m.System, m.PowerValue, m.Username)})
			}
			continue
		}
		if err := monf.Add("", "MONITOR", s.Monitor, strconv.Itoa(s.PowerValue), o.User, o.Password.Reveal(), "secondary"); err != nil {
			return nil, err
		}
		res.Added = append(res.Added, s.Monitor)
		changed[conf.UpsmonConfFile] = true
	}
	res.MinSupplies = mon.MinSupplies.Int()
	switch {
	case o.MinSupplies > 0 && (!mon.MinSupplies.Set || mon.MinSupplies.Int() != o.MinSupplies):
		res.MinSupplies = o.MinSupplies
	case !mon.MinSupplies.Set:
		res.MinSupplies = 1
	}
	if !mon.MinSupplies.Set || mon.MinSupplies.Int() != res.MinSupplies {
		if err := monf.Set("", "MINSUPPLIES", strconv.Itoa(res.MinSupplies)); err != nil {
			return nil, err
		}
		changed[conf.UpsmonConfFile] = true
	}
	switch {
	case o.ShutdownCmd != "" && o.ShutdownCmd != mon.ShutdownCmd:
		if err := monf.Set("", "SHUTDOWNCMD", o.ShutdownCmd); err != nil {
			return nil, err
		}
		changed[conf.UpsmonConfFile] = true
	case mon.ShutdownCmd == "" && o.ShutdownCmd == "":
		if err := monf.Set("", "SHUTDOWNCMD", "/sbin/shutdown -h +0"); err != nil {
			return nil, err
		}
		changed[conf.UpsmonConfFile] = true
	}
	nutf := cd.File(conf.NutConfFile)
	res.Mode, _ = nutf.Get("", "MODE")
	if len(conf.ParseUPSConf(cd.File(conf.UPSConfFile)).Devices) == 0 && res.Mode != "netclient" {
		// This node serves nothing: upsmon alone runs here.
		if err := nutf.Set("", "MODE", "netclient"); err != nil {
			return nil, err
		}
		res.Mode = "netclient"
		changed[conf.NutConfFile] = true
	}

	files := map[string]*conf.File{conf.UpsmonConfFile: monf, conf.NutConfFile: nutf}
	res.Diags = append(res.Diags, edited(cd, files).Validate()...)
	if errs := res.Diags.Err(); errs != nil {
		return res, fmt.Errorf("the new configuration would not be valid; nothing written: %w", errs)
	}
	for _, name := range conf.FileNames {
		if f, ok := files[name]; ok && changed[name] {
			res.Changed = true
			if o.DryRun {
				continue
			}
			if err := conf.WriteFileAtomic(f.Path, f.Bytes(), 0o640); err != nil {
				return res, err
			}
			res.Written = append(res.Written, name)
		}
	}
	manual := "powerchain upsmon"
	if cd.Path != conf.DefaultDir {
		manual = "NUT_CONFPATH=" + cd.Path + " " + manual
	}
	res.StartCmd = startCommand(cd.Path, manual, "powerchain-monitor")
	return res, nil
}

// reachable asks a server for its devices.
func reachable(ctx context.Context, server string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := client.Dial(ctx, server)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.ListUPS(ctx)
	return err
}

// suppliesOf finds the devices that feed the node: those named, or those
// whose device.host is the node.
func suppliesOf(g *chain.Graph, servers []string, o JoinOptions) ([]string, error) {
	var ids []string
	if len(o.Supplies) > 0 {
		for _, s := range o.Supplies {
			id, err := resolveSupply(g, servers, s)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return ids, nil
	}
	for _, id := range g.IDs() {
		n := g.Nodes[id]
		if n.Err == "" && sameHost(n.Host, o.Host) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: no device of %s has device.host %q; name the supplies with --supplies, or set override.device.host on the power supplies",
			ErrNoSupplies, strings.Join(servers, ", "), o.Host)
	}
	return ids, nil
}

// resolveSupply finds a supply named device[@host[:port]]; a name without
// a server must be on exactly one of the servers.
func resolveSupply(g *chain.Graph, servers []string, s string) (string, error) {
	p, err := nut.ParseParent(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("supply %q: %w", s, err)
	case p.IsMains():
		return "", fmt.Errorf("supply %q: name a device", s)
	case p.Outlet != "":
		return "", fmt.Errorf("supply %q: upsmon watches devices, not outlets: name the device (%s), or the power supply the outlet feeds", s, p.Device)
	}
	if p.Host != "" {
		id := p.Device + "@" + chain.ServerAddr(p.Host, p.Port)
		if n, ok := g.Nodes[id]; !ok || n.Err != "" {
			return "", fmt.Errorf("supply %q: no such device on its server", s)
		}
		return id, nil
	}
	var found []string
	for _, srv := range servers {
		if n, ok := g.Nodes[p.Device+"@"+srv]; ok && n.Err == "" {
			found = append(found, n.ID)
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("supply %q: no such device on %s", s, strings.Join(servers, ", "))
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("supply %q is on several servers (%s): add @host", s, strings.Join(found, ", "))
}

// sameHost compares host names as device.host may write them: without
// regard to case, a short name matching the first label of a full one.
func sameHost(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if strings.EqualFold(a, b) {
		return true
	}
	sa, _, _ := strings.Cut(a, ".")
	sb, _, _ := strings.Cut(b, ".")
	return strings.EqualFold(sa, sb) && (sa == a || sb == b)
}

// checkLogin logs in to each supply as upsmon will, so that a wrong user
// or password is found now rather than when the power goes.
func checkLogin(ctx context.Context, o JoinOptions, ids []string) error {
	for _, id := range ids {
		name, server, _ := strings.Cut(id, "@")
		err := func() error {
			ctx, cancel := context.WithTimeout(ctx, o.Timeout)
			defer cancel()
			c, err := client.DialAs(ctx, server, o.User, o.Password.Reveal())
			if err != nil {
				return err
			}
			defer c.Close()
			if err := c.Login(ctx, name); err != nil {
				return fmt.Errorf("LOGIN %s: %w", name, err)
			}
			return c.Logout(ctx)
		}()
		if err != nil {
			return fmt.Errorf("%s: user %s cannot log in as upsmon: %w", id, o.User, err)
		}
	}
	return nil
}

// monitorOf finds the MONITOR line of a device, name@host:port, whatever
// the spelling of its address.
func monitorOf(mon *conf.UpsmonConf, id string) (conf.Monitor, bool) {
	for _, m := range mon.Monitors {
		host := m.System.Host
		if host == "" {
			host = "localhost"
		}
		if m.System.UPS+"@"+chain.ServerAddr(host, m.System.Port) == id {
			return m, true
		}
	}
	return conf.Monitor{}, false
}
