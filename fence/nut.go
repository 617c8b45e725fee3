package fence

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/nut"
)

// NUT is fence_nut: outlets (or the whole device) of a device on any NUT
// server, switched with INSTCMD outlet.N.load.off|on and read from
// outlet.N.status; its list says which hosts each outlet feeds, from the
// power chain (device.parent of the supplies).
var NUT = &Agent{
	Name:      "fence_nut",
	ShortDesc: "Fence agent for outlets of power devices on a NUT server",
	LongDesc: "fence_nut is an I/O Fencing agent which switches outlets of a UPS, PDU or ATS through any Network UPS Tools server " +
		"(NUT's upsd or powerchain) with INSTCMD outlet.N.load.off/on, and verifies outlet.N.status. Without a plug it switches the whole " +
		"device (load.off/load.on). A plug may be an outlet group (groupN), or a host: every outlet that feeds it according to the " +
		"power chain (device.parent, device.host), on any device of the chain, is switched and verified; its status is on while " +
		"any of them is. Its list shows the hosts as plugs, and which hosts each outlet feeds.",
	VendorURL: "https://networkupstools.org",
	Optional:  []string{"ip", "ipaddr", "plug", "port"},
	Check: func(o Options) error {
		if o["ups"] == "" && o["ip"] == "" {
			return errors.New("Failed: You have to enter ip (with plug DEVICE:OUTLET or HOST) or ups")
		}
		// NUT runs instant commands for logged-in users only: without
		// a login the agent can read but never fence.
		switch o["action"] {
		case "on", "off", "reboot", "monitor", "validate-all":
			if o["username"] == "" {
				return errors.New(MsgNoLogin)
			}
		}
		return nil
	},
	Params: []Param{
		{Name: "ups", Long: "ups", Arg: "ups@host[:port]", Type: "string", Desc: "The device on the NUT server (instead of --ip, --ipport and a device name in --plug as DEVICE:OUTLET)"},
		{Name: "ssl", Long: "ssl", Type: "boolean", Desc: "Use STARTTLS and verify the server's certificate"},
		{Name: "ssl_insecure", Long: "ssl-insecure", Type: "boolean", Desc: "Use STARTTLS without verifying the server's certificate"},
	},
	Open: openNUT,
}

type nutDevice struct {
	c      *client.Client
	ups    string // "" when the agent was given a server only (plugs are hosts)
	server string
	o      Options
	g      *chain.Graph          // the power chain, read once
	others map[string]*nutDevice // devices of the chain the agent opened
}

// target works out server and device: --ups ups@host[:port], or --ip,
// --ipport and a plug DEVICE:OUTLET.
func target(o Options) (server, ups string, err error) {
	if u := o["ups"]; u != "" {
		n, err := nut.ParseUPSName(u)
		if err != nil {
			return "", "", fmt.Errorf("--ups %q: %w", u, err)
		}
		host := n.Host
		if host == "" {
			host = "localhost"
		}
		port := n.Port
		if port == 0 {
			port = nut.DefaultPort
		}
		return net.JoinHostPort(host, strconv.Itoa(port)), n.UPS, nil
	}
	port := o["ipport"]
	if port == "" {
		port = strconv.Itoa(nut.DefaultPort)
	}
	dev, _, _ := strings.Cut(o["plug"], ":")
	if !strings.Contains(o["plug"], ":") {
		dev = "" // a host, or list: the server's chain
	}
	return net.JoinHostPort(o["ip"], port), dev, nil
}

func openNUT(ctx context.Context, o Options) (Device, error) {
	server, ups, err := target(o)
	if err != nil {
		return nil, err
	}
	if o["ups"] == "" && ups != "" {
		// the plug carried the device: keep only the outlet
		_, o["plug"], _ = strings.Cut(o["plug"], ":")
	}
	d, err := dialNUT(ctx, o, server, ups)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// dialNUT connects to a server and logs in as the options say.
func dialNUT(ctx context.Context, o Options, server, ups string) (*nutDevice, error) {
	ctx, cancel := context.WithTimeout(ctx, o.LoginTimeout())
	defer cancel()
	c, err := client.Dial(ctx, server)
	if err != nil {
		return nil, LoginError{err}
	}
	if o.Bool("ssl") || o.Bool("ssl_insecure") {
		host, _, _ := net.SplitHostPort(server)
		if err := c.StartTLS(ctx, &tls.Config{ServerName: host, InsecureSkipVerify: o.Bool("ssl_insecure")}); err != nil {
			c.Close()
			return nil, LoginError{fmt.Errorf("STARTTLS: %w", err)}
		}
	}
	if o["username"] != "" {
		if o["password"] == "" {
			c.Close()
			return nil, errors.New(MsgNoPass)
		}
		if err := c.Authenticate(ctx, o["username"], o["password"]); err != nil {
			c.Close()
			return nil, LoginError{err}
		}
		probe := ups
		if probe == "" {
			upses, err := c.ListUPS(ctx)
			if err != nil || len(upses) == 0 {
				c.Close()
				return nil, LoginError{fmt.Errorf("no device on %s (%v)", server, err)}
			}
			probe = upses[0].Name
		}
		if err := checkLogin(ctx, c, probe); err != nil {
			c.Close()
			return nil, LoginError{err}
		}
	}
	if ups != "" {
		if _, err := c.Get(ctx, ups, "ups.status"); err != nil {
			var ne nut.Error
			if errors.As(err, &ne) && ne == nut.ErrUnknownUPS {
				c.Close()
				return nil, LoginError{fmt.Errorf("no device %s on %s", ups, server)}
			}
		}
	}
	return &nutDevice{c: c, ups: ups, server: server, o: o, others: map[string]*nutDevice{}}, nil
}

// probeCmd is an instant command no device has.
const probeCmd = "fence_nut.check-login"

// checkLogin finds out, without switching anything, whether the server
// takes the user and password: NUT looks at them only when a command
// runs, so the agent asks for a command no device has. powerchain's
// server refuses bad credentials before it looks for the command
// (ACCESS-DENIED) and says CMD-NOT-SUPPORTED to good ones; NUT's upsd
// 2.8.0 looks for the command first and says CMD-NOT-SUPPORTED to both,
// so against it a wrong password shows only when the agent switches.
// A device the server cannot command now (stale, no driver) fails too.
func checkLogin(ctx context.Context, c *client.Client, ups string) error {
	err := c.InstCmd(ctx, ups, probeCmd)
	var ne nut.Error
	switch {
	case err == nil:
		return fmt.Errorf("device %s ran %s", ups, probeCmd)
	case errors.As(err, &ne) && ne == nut.ErrCmdNotSupported:
		return nil
	case errors.As(err, &ne) && ne == nut.ErrAccessDenied:
		return errors.New("the server refused the user or password")
	case errors.As(err, &ne):
		return fmt.Errorf("device %s: %s", ups, ne.Message())
	}
	return err
}

func (d *nutDevice) Close() error {
	for _, x := range d.others {
		x.c.Close()
	}
	return d.c.Close()
}

func (d *nutDevice) vars(ctx context.Context) (map[string]string, error) {
	vs, err := d.c.Vars(ctx, d.ups)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, v := range vs {
		m[v.Name] = v.Value
	}
	return m, nil
}

// Outlets lists outlet.N.* with the hosts each feeds, then the outlet
// groups (outlet.group.N.*) as plugs groupN.
func (d *nutDevice) Outlets(ctx context.Context) ([]Outlet, error) {
	if d.ups == "" {
		return nil, nil
	}
	m, err := d.vars(ctx)
	if err != nil {
		return nil, err
	}
	outs := numbered(m, "outlet.", "", "outlet ")
	// outlet.0 is not an outlet: NUT's rows for the whole device.
	outs = slices.DeleteFunc(outs, func(o Outlet) bool { return o.ID == "0" })
	d.feeds(ctx, outs)
	return append(outs, numbered(m, "outlet.group.", "group", "outlet group ")...), nil
}

// numbered lists the instances prefix+N+".…" of a device's variables,
// sorted, as outlets with ID idPrefix+N, named by their desc or name
// (else alias+N), with their status where there is one.
func numbered(m map[string]string, prefix, idPrefix, alias string) []Outlet {
	seen := map[string]bool{}
	var outs []Outlet
	for k := range m {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		n, _, _ := strings.Cut(rest, ".")
		if _, err := strconv.Atoi(n); err != nil || seen[n] {
			continue
		}
		seen[n] = true
		o := Outlet{ID: idPrefix + n, Alias: firstOf(m[prefix+n+".desc"], m[prefix+n+".name"], alias+n)}
		if st, ok := m[prefix+n+".status"]; ok {
			o.Known, o.On = true, strings.EqualFold(st, "on")
		}
		outs = append(outs, o)
	}
	SortOutlets(outs)
	return outs
}

// graph reads the power chain from this server, once.
func (d *nutDevice) graph(ctx context.Context) *chain.Graph {
	if d.g == nil {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		d.g = chain.Discover(ctx, []string{d.server}, chain.Options{MaxServers: 4})
	}
	return d.g
}

// Hosts lists the hosts an outlet of this device feeds (every host of the
// chain when the agent was given a server only).
func (d *nutDevice) Hosts(ctx context.Context) ([]Outlet, error) {
	g := d.graph(ctx)
	var mine map[string]bool
	if d.ups != "" {
		mine = map[string]bool{d.ups + "@" + d.server: true}
	}
	return withStatus(ctx, d, HostsFedBy(g, mine, d.server)), nil
}

// Targets resolves a plug that is not one of this device's outlets or
// groups to every outlet that feeds the host of that name, opening the
// other devices (and servers) of the chain as needed with the same login.
func (d *nutDevice) Targets(ctx context.Context, plug string) ([]Target, error) {
	if plug == "" {
		return nil, nil
	}
	if d.ups != "" {
		outs, err := d.Outlets(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := ResolvePlug(outs, plug); err == nil {
			return nil, nil
		}
	}
	feeds, err := hostFeeds(d.graph(ctx), plug)
	if err != nil {
		return nil, err
	}
	var ts []Target
	for _, f := range feeds {
		name, server, _ := strings.Cut(f.Device, "@")
		dev := d
		if name != d.ups || server != d.server {
			if dev = d.others[f.Device]; dev == nil {
				if dev, err = dialNUT(ctx, d.o, server, name); err != nil {
					return nil, fmt.Errorf("%s: %w", f, err)
				}
				dev.g = d.g
				d.others[f.Device] = dev
			}
		}
		ts = append(ts, Target{Dev: dev, Plug: strconv.Itoa(f.Outlet)})
	}
	return ts, nil
}

// feeds fills in, from the power chain on this server, which hosts (or
// devices) draw from each outlet.
func (d *nutDevice) feeds(ctx context.Context, outs []Outlet) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	g := chain.Discover(ctx, []string{d.server}, chain.Options{MaxServers: 4})
	var me string
	for id, n := range g.Nodes {
		if n.Name == d.ups && n.Server == d.server {
			me = id
		}
	}
	if me == "" {
		return
	}
	for i := range outs {
		set := map[string]bool{}
		for _, child := range g.Children(me) {
			num, ok := child.Parent.OutletNumber()
			if !ok || strconv.Itoa(num) != outs[i].ID {
				continue
			}
			name := child.Host
			if name == "" {
				name = child.Name
			}
			if !set[name] {
				set[name] = true
				outs[i].Feeds = append(outs[i].Feeds, name)
			}
		}
	}
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// plugNumber resolves a plug (number, name, or groupN) to its outlet
// number or "group.N"; "" stays "" (the whole device).
func (d *nutDevice) plugNumber(ctx context.Context, plug string) (string, error) {
	if plug == "" {
		return "", nil
	}
	outs, err := d.Outlets(ctx)
	if err != nil {
		return "", err
	}
	o, err := ResolvePlug(outs, plug)
	if err != nil {
		return "", err
	}
	if n, ok := strings.CutPrefix(o.ID, "group"); ok {
		return "group." + n, nil
	}
	return o.ID, nil
}

func (d *nutDevice) Status(ctx context.Context, plug string) (bool, error) {
	n, err := d.plugNumber(ctx, plug)
	if err != nil {
		return false, err
	}
	if n == "" {
		st, err := d.c.Get(ctx, d.ups, "ups.status")
		if err != nil {
			return false, err
		}
		return !nut.ParseStatus(st).Has(nut.OFF), nil
	}
	st, err := d.c.Get(ctx, d.ups, "outlet."+n+".status")
	if err != nil {
		return false, ErrNoPlug
	}
	return strings.EqualFold(st, "on"), nil
}

func (d *nutDevice) Set(ctx context.Context, plug string, on bool) error {
	n, err := d.plugNumber(ctx, plug)
	if err != nil {
		return err
	}
	cmd := "load.off"
	if on {
		cmd = "load.on"
	}
	if n != "" {
		cmd = "outlet." + n + "." + cmd
	}
	err = d.c.InstCmd(ctx, d.ups, cmd)
	var ne nut.Error
	if errors.As(err, &ne) && (ne == nut.ErrAccessDenied || ne == nut.ErrUsernameRequired || ne == nut.ErrPasswordRequired) {
		return fmt.Errorf("%w: %s", ErrDenied, ne.Message())
	}
	return err
}
