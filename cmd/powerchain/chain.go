package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/nut"
)

// serverOf turns "host[:port]" into "host:port" with NUT's default port.
func serverOf(hostport string) (string, error) {
	h, p, err := nut.ParseHostPort(hostport)
	if err != nil {
		return "", err
	}
	return chain.ServerAddr(h, p), nil
}

// shortID writes a node ID without "@server" when it is the home server.
func shortID(id, home string) string { return chain.Ref(id, "", home) }

// printChainUp prints "psu1 -> pdu1:outlet1 -> ups1 -> main" for a device;
// asJSON prints the path as chain --json prints each of a load's paths.
func printChainUp(ctx context.Context, w io.Writer, target string, asJSON bool) error {
	name, err := nut.ParseUPSName(target)
	if err != nil {
		return fmt.Errorf("invalid UPS definition.\nRequired format: upsname[@hostname[:port]]")
	}
	home := chain.ServerAddr(orLocal(name.Host), name.Port)
	g := chain.Discover(ctx, []string{home}, chain.Options{})
	id := name.UPS + "@" + home
	n, ok := g.Nodes[id]
	if !ok {
		return nut.ErrUnknownUPS
	}
	if n.Err != "" {
		return fmt.Errorf("%s", n.Err)
	}
	p := g.PathOf(id, nil)
	if asJSON {
		return writeJSON(w, p)
	}
	fmt.Fprintln(w, p.Format(home))
	return nil
}

func orLocal(h string) string {
	if h == "" {
		return "localhost"
	}
	return h
}

// printChainTree prints a server's devices as a tree, children indented
// under the device that feeds them; with ups, only the tree below it.
// asJSON prints what chain --json prints, of those devices and of the
// loads drawing from them.
func printChainTree(ctx context.Context, w io.Writer, host, ups string, withDesc, asJSON bool) error {
	home, err := serverOf(orLocal(host))
	if err != nil {
		return fmt.Errorf("invalid hostname.\nRequired format: [hostname[:port]]")
	}
	g := chain.Discover(ctx, []string{home}, chain.Options{})
	if len(g.Nodes) == 0 {
		return fmt.Errorf("no devices on %s", home)
	}
	var b strings.Builder
	var walk func(n *chain.Node, depth int, seen map[string]bool)
	walk = func(n *chain.Node, depth int, seen map[string]bool) {
		if seen[n.ID] {
			return
		}
		seen[n.ID] = true
		if depth > 0 {
			b.WriteString(strings.Repeat("    ", depth-1) + "|-> ")
		}
		b.WriteString(shortID(n.ID, home))
		if depth > 0 && n.Parent.Outlet != "" {
			b.WriteString(" [" + n.Parent.Outlet + "]")
		}
		if withDesc && n.Desc != "" {
			b.WriteString(": " + n.Desc)
		}
		if n.Err != "" {
			b.WriteString(" (" + n.Err + ")")
		}
		b.WriteString("\n")
		for _, c := range g.Children(n.ID) {
			walk(c, depth+1, seen)
		}
	}
	seen := map[string]bool{}
	if ups != "" {
		if err := nut.CheckDeviceName(ups); err != nil {
			return fmt.Errorf("invalid UPS definition.\nRequired format: upsname[@hostname[:port]]")
		}
		n, ok := g.Nodes[ups+"@"+home]
		if !ok {
			return nut.ErrUnknownUPS
		}
		walk(n, 0, seen)
		if asJSON {
			var loads []chain.Load
			for _, l := range g.Loads(nil) {
				if slices.ContainsFunc(l.Supplies, func(id string) bool { return seen[id] }) {
					loads = append(loads, l)
				}
			}
			return writeJSON(w, chainJSON(g, loads, seen))
		}
		_, err = io.WriteString(w, b.String())
		return err
	}
	if asJSON {
		return writeJSON(w, chainJSON(g, g.Loads(nil), nil))
	}
	for _, r := range g.Roots() {
		walk(r, 0, seen)
	}
	// Devices in a parent loop have no root; show them too.
	for _, id := range g.IDs() {
		if !seen[id] {
			walk(g.Nodes[id], 0, seen)
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

func newChainCmd() *cobra.Command {
	var asJSON bool
	var confDir string
	cmd := &cobra.Command{
		Use:   "chain [-c DIR] [SERVER...]",
		Short: "The power chain of NUT servers: every load, its supply paths and their health",
		Long: `Reads every device of the given NUT servers, follows device.parent across
servers, and prints for each load (the devices nothing draws from, grouped
by device.host) its supply paths: healthy when every link is online with
fresh data and the feeding outlet is on. A load is degraded when some paths
are impaired and at-risk when all are. Without SERVER: this host's server
(localhost:3493, unless nut.conf says MODE=netclient) and the servers of
upsmon.conf's MONITOR lines.`,
		RunE: func(c *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			g, home, err := discoverArgs(ctx, args, confDir)
			if err != nil {
				return err
			}
			loads := g.Loads(nil)
			if asJSON {
				return writeJSON(c.OutOrStdout(), chainJSON(g, loads, nil))
			}
			w := c.OutOrStdout()
			for _, l := range loads {
				fmt.Fprintf(w, "%s: %s (%d of %d paths healthy)\n", shortID(l.Name, home), l.Health, l.Healthy, len(l.Paths))
				for _, p := range l.Paths {
					line := "  " + p.Format(home) + "  " + string(p.Health)
					if p.Why != "" {
						line += ": " + chain.Refs(p.Why, home)
					}
					fmt.Fprintln(w, line)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the whole graph with health as JSON")
	cmd.PersistentFlags().StringVarP(&confDir, "confdir", "c", "", "NUT configuration directory whose nut.conf and upsmon.conf name the servers (default $NUT_CONFPATH or /etc/nut)")
	whatif := &cobra.Command{
		Use:   "whatif DEVICE[@HOST[:PORT]] [SERVER...]",
		Short: "Which loads would lose all power if DEVICE failed, and which are at risk already",
		Long: `Compares the loads now with the loads if DEVICE failed: those that would
lose their last healthy supply path, those that would lose a path and keep
another, and those that have no healthy path already. DEVICE without a
host is looked for on the servers "chain" reads by default.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			name, err := nut.ParseUPSName(args[0])
			if err != nil {
				return err
			}
			servers := args[1:]
			if len(servers) == 0 && name.Host != "" {
				servers = []string{chain.ServerAddr(name.Host, name.Port)}
			}
			g, home, err := discoverArgs(ctx, servers, confDir)
			if err != nil {
				return err
			}
			id := name.UPS + "@" + chain.ServerAddr(orLocal(name.Host), name.Port)
			if name.Host == "" {
				id = name.UPS + "@" + home
			}
			if n, ok := g.Nodes[id]; !ok || n.Err != "" {
				return fmt.Errorf("%s: no such device", args[0])
			}
			im := g.Impact(id)
			if asJSON {
				return writeJSON(c.OutOrStdout(), im)
			}
			printImpact(c.OutOrStdout(), im, home)
			return nil
		},
	}
	whatif.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(whatif)
	return cmd
}

// defaultServers are the servers whose chain concerns this host: the
// local server, unless nut.conf says this host runs upsmon alone
// (MODE=netclient), and the servers of upsmon.conf's MONITOR lines.
func defaultServers(dir string) []string {
	servers := []string{"localhost"}
	cd, err := conf.LoadDir(dir)
	if err != nil {
		return servers
	}
	if cd.Nut().Mode == "netclient" {
		servers = nil
	}
	for _, m := range cd.Upsmon().Monitors {
		s := orLocal(m.System.Host)
		if m.System.Port != 0 {
			s = nut.JoinHostPort(s, m.System.Port)
		}
		if !slices.Contains(servers, s) {
			servers = append(servers, s)
		}
	}
	if len(servers) == 0 {
		return []string{"localhost"}
	}
	return servers
}

func discoverArgs(ctx context.Context, args []string, confDir string) (*chain.Graph, string, error) {
	if len(args) == 0 {
		args = defaultServers(conf.ResolveDir(confDir))
	}
	var servers []string
	for _, a := range args {
		s, err := serverOf(a)
		if err != nil {
			return nil, "", err
		}
		servers = append(servers, s)
	}
	return chain.Discover(ctx, servers, chain.Options{}), servers[0], nil
}

// printImpact says what a device's failure would add to what is wrong
// already.
func printImpact(w io.Writer, im chain.Impact, home string) {
	dev := shortID(im.Device, home)
	switch {
	case len(im.Lost) > 0:
		fmt.Fprintf(w, "if %s fails, these loads lose all power:\n", dev)
		for _, l := range im.Lost {
			fmt.Fprintf(w, "  %s\n", shortID(l.Name, home))
		}
	case len(im.AtRisk) > 0:
		fmt.Fprintf(w, "if %s fails, no load that has a healthy supply path loses all power\n", dev)
	default:
		fmt.Fprintf(w, "if %s fails, every load keeps at least one healthy supply path\n", dev)
	}
	if len(im.Degraded) > 0 {
		fmt.Fprintln(w, "these loads lose a supply path and keep another:")
		for _, l := range im.Degraded {
			fmt.Fprintf(w, "  %s (%d of %d paths healthy)\n", shortID(l.Name, home), l.Healthy, len(l.Paths))
		}
	}
	if len(im.AtRisk) > 0 {
		fmt.Fprintln(w, "already at risk, with no healthy supply path:")
		for _, l := range im.AtRisk {
			why := ""
			if len(l.Paths) > 0 {
				why = ": " + chain.Refs(l.Paths[0].Why, home)
			}
			fmt.Fprintf(w, "  %s%s\n", shortID(l.Name, home), why)
		}
	}
}

// chainJSON is chain --json's object: the devices (those in only, all of
// them when only is nil) with their health, and the loads.
func chainJSON(g *chain.Graph, loads []chain.Load, only map[string]bool) any {
	type nodeJSON struct {
		ID      string         `json:"id"`
		Name    string         `json:"name"`
		Server  string         `json:"server"`
		Desc    string         `json:"desc,omitempty"`
		Type    string         `json:"type,omitempty"`
		Status  string         `json:"status,omitempty"`
		Parent  string         `json:"parent"`
		Outlets map[int]string `json:"outlets,omitempty"`
		Health  chain.Health   `json:"health"`
		Why     string         `json:"why,omitempty"`
	}
	nodes := []nodeJSON{}
	for _, id := range g.IDs() {
		if only != nil && !only[id] {
			continue
		}
		n := g.Nodes[id]
		h, why := g.DeviceHealth(n, nil)
		parent := n.ParentID
		if parent == "" {
			parent = "main"
		}
		nodes = append(nodes, nodeJSON{ID: id, Name: n.Name, Server: n.Server, Desc: n.Desc, Type: n.Type, Status: n.Status,
			Parent: parent, Outlets: n.Outlets, Health: h, Why: why})
	}
	if loads == nil {
		loads = []chain.Load{}
	}
	return map[string]any{"devices": nodes, "loads": loads}
}
