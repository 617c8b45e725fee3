package natsbus

import (
	"time"
)

// Device is one device as a full read gives it, and as a Follower holds
// it. A Follower's Devices are never changed once handed out.
type Device struct {
	Name string `json:"name"`
	Desc string `json:"desc,omitempty"`
	// State is what GET answers for the device's data: nut.StateOK,
	// DATA-STALE or DRIVER-NOT-CONNECTED. Vars keep the last values
	// while it is not OK.
	State string            `json:"state"`
	Vars  map[string]string `json:"vars"`
	RW    []string          `json:"rw,omitempty"`   // the variables SET VAR may change
	Cmds  []string          `json:"cmds,omitempty"` // the instant commands
}

// Info is a device's description, writable variables and instant
// commands (KindInfo), sent when the device is added and when they
// change (META).
type Info struct {
	Desc string   `json:"desc,omitempty"`
	RW   []string `json:"rw,omitempty"`
	Cmds []string `json:"cmds,omitempty"`
}

// Snapshot is a server's full read (KindSnapshot, and the reply to a
// read request), in one or more parts that each fit a message.
type Snapshot struct {
	Site   string `json:"site"`
	Server string `json:"server"`
	// Addr is where NUT clients reach the server (host:port): the
	// console shows it as the source and sends control there.
	Addr string `json:"addr,omitempty"`
	// Place is where the server stands, as its DNS-SD record says: its
	// site (which the subjects' Site may not be, serve --nats-site) and
	// rack. Older servers, and one placed nowhere, leave it out.
	Place Place  `json:"place,omitzero"`
	Feed  string `json:"feed"`
	// Msg is the number of the last message the server published
	// before the read: later messages follow it.
	Msg uint64    `json:"msg"`
	At  time.Time `json:"at"`
	// Part (from 1) of Parts: the devices are split so that each part
	// fits in a message.
	Part    int      `json:"part"`
	Parts   int      `json:"parts"`
	Devices []Device `json:"devices"`
}

// Place is where a server stands: a site, and a rack in it.
type Place struct {
	Site string `json:"site,omitempty"`
	Rack string `json:"rack,omitempty"`
}

// Event is something that happened to a device, told by its server
// (KindEvent) and kept in the JetStream stream.
type Event struct {
	At     time.Time `json:"at"`
	Site   string    `json:"site"`
	Server string    `json:"server"`
	Addr   string    `json:"addr,omitempty"`
	Device string    `json:"device"`
	// Kind is "device" (added, removed), "status" (ups.status or the
	// data's state changed) or "outlet" (an outlet switched).
	Kind    string `json:"kind"`
	Message string `json:"message"`
	// Var, From and To say what changed, when a variable did.
	Var  string `json:"var,omitempty"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Feed and Seq are the change's place in the server's feed.
	Feed string `json:"feed"`
	Seq  uint64 `json:"seq"`
	// Stream is the event's sequence number in the JetStream stream,
	// set by a Follower that read it there.
	Stream uint64 `json:"-"`
}

// The kinds of event.
const (
	EventDevice = "device"
	EventStatus = "status"
	EventOutlet = "outlet"
)

// The messages of EventDevice.
const (
	DeviceAppeared = "device appeared"
	DeviceGone     = "device gone"
)
