package chain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/nut"
)

// Source reads the devices of one NUT server.
type Source interface {
	Devices(ctx context.Context, server string) ([]*Node, error)
}

// NUTSource reads devices over the NUT protocol, from any NUT server.
type NUTSource struct {
	// Timeout bounds each server's answers (default 5 s).
	Timeout time.Duration
}

// Devices lists a server's devices with the variables the chain needs.
func (s NUTSource) Devices(ctx context.Context, server string) ([]*Node, error) {
	to := s.Timeout
	if to == 0 {
		to = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, to)
	defer cancel()
	c, err := client.Dial(ctx, server)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	upses, err := c.ListUPS(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Node
	for _, u := range upses {
		n := NewNode(server, u.Name, u.Desc)
		vars, err := c.Vars(ctx, u.Name)
		var ne nut.Error
		switch {
		case errors.As(err, &ne) && (ne == nut.ErrDataStale || ne == nut.ErrDriverNotConnected):
			n.Stale = true
			// The parent is configuration: read it anyway when we can.
		case err != nil:
			return nil, err
		}
		for _, v := range vars {
			n.SetVar(v.Name, v.Value)
		}
		out = append(out, n)
	}
	return out, nil
}

// NewNode is a device of a server as the chain knows it, before its
// variables (SetVar).
func NewNode(server, name, desc string) *Node {
	return &Node{Name: name, Server: server, Desc: desc, Outlets: map[int]string{}, Readings: map[string]string{}}
}

// SetVar takes one of the device's variables into the node: the parent,
// type, status, host, driver, readings and outlet states; others are
// ignored. Every source of devices (NUTSource, the console's) reads
// variables through it.
func (n *Node) SetVar(name, value string) {
	switch {
	case name == "device.parent":
		p, err := nut.ParseParent(value)
		if err != nil {
			n.Err = err.Error()
		}
		n.Parent = p
	case name == "device.type":
		n.Type = value
	case name == "ups.status":
		n.Status = value
	case name == "device.host":
		n.Host = value
	case name == "driver.name":
		n.Driver = value
	case name == "driver.parameter.port":
		n.DriverPort = value
	case strings.HasPrefix(name, "input.") || name == "output.voltage" || name == "battery.charge":
		n.Readings[name] = value
	case strings.HasPrefix(name, "outlet.") && strings.HasSuffix(name, ".status"):
		num, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "outlet."), ".status"))
		if err == nil {
			n.Outlets[num] = value
		}
	}
}

// Options bound a discovery.
type Options struct {
	// MaxServers is how many servers a discovery may visit (default 16).
	MaxServers int
	Source     Source
}

// ServerAddr is "host:port" for a parent's server, with NUT's default port.
func ServerAddr(host string, port int) string {
	if port == 0 {
		port = nut.DefaultPort
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

func isLocal(h string) bool {
	switch h {
	case "localhost", "127.0.0.1", "::1", "ip6-localhost":
		return true
	}
	return false
}

// Discover builds the power chain that starts on the given servers and
// follows every device.parent to the servers it names, asking each server
// once and at most MaxServers in all. A server that cannot be reached
// leaves its devices as impaired nodes with the reason, not an error.
func Discover(ctx context.Context, servers []string, opts Options) *Graph {
	if opts.MaxServers <= 0 {
		opts.MaxServers = 16
	}
	if opts.Source == nil {
		opts.Source = NUTSource{}
	}
	g := NewGraph()
	visited := map[string]bool{}
	queue := append([]string(nil), servers...)
	var mu sync.Mutex
	failures := map[string]string{}
	for len(queue) > 0 && len(visited) < opts.MaxServers {
		// Visit the whole frontier at once, bounded by its size.
		var batch []string
		for _, s := range queue {
			if !visited[s] && len(visited) < opts.MaxServers {
				visited[s] = true
				batch = append(batch, s)
			}
		}
		queue = nil
		var wg sync.WaitGroup
		results := make([][]*Node, len(batch))
		for i, s := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				nodes, err := opts.Source.Devices(ctx, s)
				if err != nil {
					mu.Lock()
					failures[s] = err.Error()
					mu.Unlock()
					return
				}
				results[i] = nodes
			}()
		}
		wg.Wait()
		for _, nodes := range results {
			for _, n := range nodes {
				n.ID = n.Name + "@" + n.Server
				g.Add(n)
			}
		}
		for _, nodes := range results {
			for _, n := range nodes {
				if n.Parent.IsMains() {
					continue
				}
				srv := n.Server
				if n.Parent.Host != "" && !(isLocal(n.Parent.Host) && n.Parent.Port == 0 &&
					g.Nodes[n.Parent.Device+"@"+n.Server] != nil) {
					srv = ServerAddr(n.Parent.Host, n.Parent.Port)
				}
				n.ParentID = n.Parent.Device + "@" + srv
				if !visited[srv] {
					queue = append(queue, srv)
				}
			}
		}
	}
	// Parents on servers that failed or were past the limit.
	for _, n := range g.Nodes {
		if n.ParentID == "" || g.Nodes[n.ParentID] != nil {
			continue
		}
		name, srv, _ := strings.Cut(n.ParentID, "@")
		why := "not on its server"
		switch {
		case failures[srv] != "":
			why = "server unreachable: " + failures[srv]
		case !visited[srv]:
			why = fmt.Sprintf("server not visited (more than %d servers)", opts.MaxServers)
		}
		g.Add(&Node{ID: n.ParentID, Name: name, Server: srv, Err: why, Outlets: map[int]string{}})
	}
	return g
}
