package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/powerchain/powerchain/internal/netnstest"
	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/waittest"
)

// The upsd.conf cases: each runs on Debian's upsd 2.8.0, on powerchain's
// upsd (the same drivers: Debian's dummy-ups) and on powerchain serve
// (drivers in-process), each server in a network namespace of its own, so
// that all listen on NUT's port 3493 and the loopback can lose IPv6. The
// three must start or refuse alike, listen on the same addresses, answer
// the same bytes, and log a warning where NUT logs one. want is what
// Debian's upsd does (the test checks it too); own and serve say where
// powerchain differs on purpose, and why.
//
// Every case starts from ups.conf with [ups1] (dummy-ups, ups1.dev, desc
// "UPS one"), an empty upsd.conf and an upsd.users with one user;
// files replaces them ("" deletes one). In upsd.conf, {state} is the
// drivers' state directory, {missing} a path that does not exist, {dir}
// an existing directory and {pem} a PEM file with a certificate and key.
var upsdCases = []upsdCase{
	// LISTEN
	{name: "no LISTEN: ::1 and 127.0.0.1", steps: []step{{
		want: serving(a4, a6)}}},
	{name: "no LISTEN, no IPv6: 127.0.0.1 alone", noIPv6: true, steps: []step{{
		want:   serving(a4),
		nutLog: []string{`not listening on ::1 port 3493`},
		ownLog: []string{`WARN.*not listening on ::1 port 3493`}}}},
	{name: "localhost, 127.0.0.1 and ::1 (NUT's own test suite)", steps: []step{{
		files:  upsdConf("LISTEN localhost 3493\nLISTEN 127.0.0.1 3493\nLISTEN ::1 3493\n"),
		want:   serving(a4, a6),
		nutLog: []string{`not listening on localhost port 3493`},
		ownLog: []string{`WARN.*upsd.conf:1: not listening on localhost port 3493`}}}},
	{name: "the same address twice", steps: []step{{
		files:  upsdConf("LISTEN 127.0.0.1 3493\nLISTEN 127.0.0.1 3493\n"),
		want:   serving(a4),
		nutLog: []string{`not listening on 127.0.0.1 port 3493`},
		ownLog: []string{`WARN.*upsd.conf:1: not listening on 127.0.0.1 port 3493`}}}},
	{name: "lines bound from the last: the first of two equal ones is refused", steps: []step{{
		files:  upsdConf("LISTEN 127.0.0.1 3493\nLISTEN 127.0.0.1 3494\nLISTEN 127.0.0.1 3493\n"),
		want:   serving(a4, a4p),
		nutLog: []string{`not listening on 127.0.0.1 port 3493`},
		ownLog: []string{`WARN.*upsd.conf:1: not listening on 127.0.0.1 port 3493`}}}},
	{name: "a name with two addresses: NUT binds one (::1 first)", hosts: "127.0.0.1 localhost\n::1 localhost\n", steps: []step{{
		files:  upsdConf("LISTEN localhost 3493\n"),
		want:   serving(a6),
		nutLog: []string{`listening on localhost port 3493`}}}},
	{name: "a name with two addresses, one of them taken", hosts: "127.0.0.1 localhost\n::1 localhost\n", steps: []step{{
		files: upsdConf("LISTEN localhost 3493\nLISTEN 127.0.0.1 3493\n"),
		want:  serving(a4, a6)}}},
	{name: "no IPv6, ::1 listed first", noIPv6: true, steps: []step{{
		files:  upsdConf("LISTEN ::1 3493\nLISTEN 127.0.0.1 3493\n"),
		want:   serving(a4),
		nutLog: []string{`not listening on ::1 port 3493`},
		ownLog: []string{`WARN.*upsd.conf:1: not listening on ::1 port 3493`}}}},
	{name: "no IPv6, ::1 listed last: NUT does not start", noIPv6: true, steps: []step{{
		files:  upsdConf("LISTEN 127.0.0.1 3493\nLISTEN ::1 3493\n"),
		want:   refused,
		nutLog: []string{`no listening interface available`},
		ownLog: []string{`upsd.conf:2: not listening on ::1 port 3493 .*the last LISTEN line`}}}},
	{name: "an address no interface has", steps: []step{{
		files:  upsdConf("LISTEN 192.0.2.1 3493\nLISTEN 127.0.0.1 3493\n"),
		want:   serving(a4),
		nutLog: []string{`not listening on 192.0.2.1 port 3493`},
		ownLog: []string{`WARN.*upsd.conf:1: not listening on 192.0.2.1 port 3493`}}}},
	{name: "a name that does not resolve", steps: []step{{
		files:  upsdConf("LISTEN nosuch.invalid 3493\nLISTEN 127.0.0.1 3493\n"),
		want:   refused,
		nutLog: []string{`getaddrinfo: `},
		ownLog: []string{`upsd.conf:1: LISTEN nosuch.invalid port 3493: `}}}},
	{name: "a service name as the port", steps: []step{{
		files: upsdConf("LISTEN 127.0.0.1 nut\n"),
		want:  serving(a4)}}},
	{name: "a port no service has", steps: []step{{
		files:  upsdConf("LISTEN 127.0.0.1 nosuchsvc\nLISTEN 127.0.0.1 3493\n"),
		want:   refused,
		nutLog: []string{`getaddrinfo: Servname not supported`},
		ownLog: []string{`upsd.conf:1: error: LISTEN port \\"nosuchsvc\\" is neither a number nor a service`}}}},
	{name: "a port beyond 65535 (modulo 65536)", steps: []step{{
		files:  upsdConf("LISTEN 127.0.0.1 99999\nLISTEN 127.0.0.1 3493\n"),
		want:   serving(a4, a4mod),
		nutLog: []string{`listening on 127.0.0.1 port 99999`},
		ownLog: []string{`WARN.*upsd.conf:1: warning: LISTEN port 99999 is beyond 65535`}}}},
	{name: "wildcards, IPv6 last: one dual-stack socket", steps: []step{{
		files:  upsdConf("LISTEN 0.0.0.0 3493\nLISTEN :: 3493\n"),
		want:   serving(a4, a6, a4other),
		nutLog: []string{`not listening on 0.0.0.0 port 3493`},
		ownLog: []string{`WARN.*upsd.conf:1: not listening on 0.0.0.0 port 3493`}}}},
	{name: "wildcards, IPv6 first: IPv4 only", steps: []step{{
		files:  upsdConf("LISTEN :: 3493\nLISTEN 0.0.0.0 3493\n"),
		want:   serving(a4, a4other),
		nutLog: []string{`not listening on :: port 3493`},
		ownLog: []string{`WARN.*upsd.conf:1: not listening on :: port 3493`}}}},

	// Directives and their values.
	{name: "MAXCONN 0", steps: []step{{
		files:  upsdConf("MAXCONN 0\n"),
		want:   refused,
		nutLog: []string{`You requested 0 as maximum number of connections`},
		ownLog: []string{`MAXCONN 0 allows no connection: NUT's upsd refuses to start`}}}},
	{name: "MAXCONN beyond the open-file limit", steps: []step{{
		files:  upsdConf("MAXCONN 2000000000\n"),
		want:   refused,
		nutLog: []string{`Your system limits the maximum number of connections`},
		ownLog: []string{`MAXCONN 2000000000 is more than this system's limit on open files`}}}},
	{name: "MAXAGE not a number", steps: []step{{
		files:  upsdConf("MAXAGE abc\n"),
		want:   serving(a4, a6),
		nutLog: []string{`MAXAGE has non numeric value \(abc\)`, `invalid directive MAXAGE abc`},
		ownLog: []string{`WARN.*upsd.conf:1: error: MAXAGE \\"abc\\" is not a number`}}}},
	{name: "MAXAGE with trailing junk: its digits", steps: []step{{
		files:  upsdConf("MAXAGE 5x\n"),
		want:   serving(a4, a6),
		ownLog: []string{`WARN.*upsd.conf:1: warning: MAXAGE \\"5x\\": NUT reads the leading digits, 5`}}}},
	{name: "MAXAGE = 5", steps: []step{{
		files:  upsdConf("MAXAGE = 5\n"),
		want:   serving(a4, a6),
		nutLog: []string{`MAXAGE has non numeric value \(=\)`},
		ownLog: []string{`WARN.*upsd.conf:1: error: MAXAGE: upsd.conf directives take no \\"=\\"`}}}},
	{name: "a directive in lower case", steps: []step{{
		files:  upsdConf("maxage 5\n"),
		want:   serving(a4, a6),
		nutLog: []string{`invalid directive maxage 5`},
		ownLog: []string{`WARN.*upsd.conf:1: warning: unknown directive \\"maxage\\"`}}}},
	{name: "MAXAGE 0: data always stale", steps: []step{{
		files:  upsdConf("MAXAGE 0\n"),
		want:   outcome{listen: []string{a4, a6}, talk: []string{"GET VAR ups1 ups.status", "ERR DATA-STALE\n"}},
		nutLog: []string{`Data for UPS \[ups1\] is stale`},
		ownLog: []string{`WARN.*upsd.conf:1: warning: MAXAGE 0`}}}},
	{name: "TRACKINGDELAY", steps: []step{{
		files: upsdConf("TRACKINGDELAY 60\n"),
		want:  serving(a4, a6)}}},
	{name: "TRACKINGDELAY not a number", steps: []step{{
		files:  upsdConf("TRACKINGDELAY abc\n"),
		want:   serving(a4, a6),
		nutLog: []string{`TRACKINGDELAY has non numeric value \(abc\)`},
		ownLog: []string{`WARN.*upsd.conf:1: error: TRACKINGDELAY \\"abc\\" is not a number`}}}},
	{name: "unknown directives and old ACLs", steps: []step{{
		files:  upsdConf("FOO bar\nLISTEN\nACL all 0.0.0.0/0\nACCEPT all\n"),
		want:   serving(a4, a6),
		nutLog: []string{`invalid directive FOO bar`, `invalid directive LISTEN`, `ACL in upsd.conf is no longer supported`, `ACCEPT in upsd.conf is no longer supported`},
		ownLog: []string{`WARN.*upsd.conf:1: warning: unknown directive \\"FOO\\"`, `WARN.*upsd.conf:2: error: LISTEN has no value`, `WARN.*upsd.conf:3: warning: ACL is no longer supported`, `WARN.*upsd.conf:4: warning: ACCEPT is no longer supported`}}}},
	{name: "DEBUG_MIN", steps: []step{{
		files:  upsdConf("DEBUG_MIN 1\n"),
		want:   serving(a4, a6),
		nutLog: []string{`\[D1\] `},
		ownLog: []string{`level=DEBUG `}}}},
	{name: "DEBUG_MIN not a number", steps: []step{{
		files:  upsdConf("DEBUG_MIN x\n"),
		want:   serving(a4, a6),
		nutLog: []string{`DEBUG_MIN has non numeric or negative value`},
		ownLog: []string{`WARN.*upsd.conf:1: warning: DEBUG_MIN \\"x\\" is not a number`}}}},
	{name: "DISABLE_WEAK_SSL not a boolean", steps: []step{{
		files:  upsdConf("DISABLE_WEAK_SSL maybe\n"),
		want:   serving(a4, a6),
		nutLog: []string{`DISABLE_WEAK_SSL has non boolean value \(maybe\)`},
		ownLog: []string{`WARN.*upsd.conf:1: error: DISABLE_WEAK_SSL \\"maybe\\" is not a boolean`}}}},
	{name: "STATEPATH: where the drivers' sockets are", upsdOnly: "serve has no driver sockets", serverState: true, steps: []step{{
		files: upsdConf("STATEPATH {state}\n"),
		want:  serving(a4, a6)}}},
	{name: "STATEPATH missing", steps: []step{{
		files:  upsdConf("STATEPATH {missing}\n"),
		want:   refused,
		nutLog: []string{`Can't chdir to .*/missing`},
		ownLog: []string{`state path: stat .*/missing: no such file`},
		serve:  ptr(serving(a4, a6)),
		why:    "serve runs its drivers in-process: it has no use for the state path"}}},

	// Certificates: Debian's upsd is built with NSS (CERTPATH, CERTIDENT);
	// powerchain reads CERTFILE as NUT built with OpenSSL does.
	{name: "CERTPATH missing", steps: []step{{
		files:  upsdConf("CERTPATH {missing}\n"),
		want:   refused,
		nutLog: []string{`stat .*/missing: No such file`},
		ownLog: []string{`upsd.conf CERTPATH: stat .*/missing: no such file`}}}},
	{name: "CERTPATH without CERTIDENT: no STARTTLS", steps: []step{{
		files:  upsdConf("CERTPATH {dir}\n"),
		want:   outcome{listen: []string{a4, a6}, talk: []string{"STARTTLS", "ERR FEATURE-NOT-CONFIGURED\n"}},
		nutLog: []string{`The SSL certificate name is not specified`},
		ownLog: []string{`WARN.*upsd.conf:1: warning: CERTPATH is an NSS certificate database, which powerchain cannot read`}}}},
	{name: "CERTIDENT alone", steps: []step{{
		files: upsdConf("CERTIDENT name password\n"),
		want:  serving(a4, a6)}}},
	{name: "CERTREQUEST", steps: []step{{
		files:  upsdConf("CERTREQUEST 1\n"),
		want:   serving(a4, a6),
		nutLog: []string{`invalid directive CERTREQUEST 1`},
		ownLog: []string{`WARN.*upsd.conf:1: warning: CERTREQUEST`}}}},
	{name: "CERTFILE", steps: []step{{
		files:  upsdConf("CERTFILE {pem}\n"),
		want:   outcome{listen: []string{a4, a6}, talk: []string{"STARTTLS", "ERR FEATURE-NOT-CONFIGURED\n"}},
		nutLog: []string{`invalid directive CERTFILE`},
		own:    &outcome{listen: []string{a4, a6}, talk: []string{"STARTTLS", "OK STARTTLS\n"}},
		why:    "powerchain reads CERTFILE as NUT built with OpenSSL does; Debian's build (NSS) ignores it"}}},
	{name: "CERTFILE missing", steps: []step{{
		files:  upsdConf("CERTFILE {missing}\n"),
		want:   serving(a4, a6),
		nutLog: []string{`invalid directive CERTFILE`},
		own:    &refused,
		ownLog: []string{`upsd.conf CERTFILE .*/missing: open .*: no such file`},
		why:    "NUT built with OpenSSL refuses to start without its CERTFILE; Debian's build (NSS) ignores it"}}},

	// ups.conf and the other files.
	{name: "empty ups.conf", drivers: none, steps: []step{{
		files:  map[string]string{"ups.conf": "\n"},
		want:   refused,
		nutLog: []string{`at least one UPS must be defined in ups.conf`},
		ownLog: []string{`ups.conf defines no UPS: NUT's upsd refuses to start without one`}}}},
	{name: "empty ups.conf, ALLOW_NO_DEVICE true", drivers: none, steps: []step{{
		files:  map[string]string{"ups.conf": "\n", "upsd.conf": "ALLOW_NO_DEVICE true\n"},
		want:   outcome{listen: []string{a4, a6}, talk: noDevices},
		nutLog: []string{`currently there are none`},
		ownLog: []string{`WARN.*ups.conf defines no UPS: serving none until a reload adds one`}}}},
	{name: "empty ups.conf, ALLOW_NO_DEVICE not a boolean", drivers: none, steps: []step{{
		files:  map[string]string{"ups.conf": "\n", "upsd.conf": "ALLOW_NO_DEVICE maybe\n"},
		want:   refused,
		nutLog: []string{`ALLOW_NO_DEVICE has non numeric and non boolean value`, `at least one UPS must be defined`},
		ownLog: []string{`WARN.*upsd.conf:1: error: ALLOW_NO_DEVICE \\"maybe\\"`, `ups.conf defines no UPS`}}}},
	{name: "empty ups.conf, ALLOW_NO_DEVICE in the environment", drivers: none, env: []string{"ALLOW_NO_DEVICE=yes"}, steps: []step{{
		files:  map[string]string{"ups.conf": "\n"},
		want:   outcome{listen: []string{a4, a6}, talk: noDevices},
		nutLog: []string{`currently there are none`},
		ownLog: []string{`WARN.*ups.conf defines no UPS: serving none until a reload adds one`}}}},
	{name: "ups.conf with an incomplete section only", drivers: none, steps: []step{{
		files:  map[string]string{"ups.conf": "[ups2]\n\tdriver = dummy-ups\n"},
		want:   refused,
		nutLog: []string{`ignoring incomplete configuration for UPS \[ups2\]`, `at least one UPS must be defined`},
		ownLog: []string{`WARN.*ups.conf:1: error: device \[ups2\] has no port`, `ups.conf defines no UPS`}}}},
	{name: "an incomplete section beside a complete one", steps: []step{{
		files:  map[string]string{"ups.conf": upsConf + "[ups2]\n\tdriver = dummy-ups\n"},
		want:   serving(a4, a6),
		nutLog: []string{`ignoring incomplete configuration for UPS \[ups2\]`},
		ownLog: []string{`WARN.*device \[ups2\] has no port`}}}},
	{name: "no ups.conf", drivers: none, steps: []step{{
		files:  map[string]string{"ups.conf": "", "upsd.conf": "ALLOW_NO_DEVICE true\n"},
		want:   refused,
		nutLog: []string{`Can't open .*/ups.conf`},
		ownLog: []string{`/ups.conf: no such file`}}}},
	{name: "no upsd.conf", steps: []step{{
		files:    map[string]string{"upsd.conf": ""},
		want:     refused,
		nutLog:   []string{`stat .*/upsd.conf: No such file`},
		ownLog:   []string{`/upsd.conf: no such file`},
		serve:    ptr(serving(a4, a6)),
		serveLog: []string{`WARN.*upsd.conf: no such file; NUT's defaults apply`},
		why:      "serve runs on a directory with only ups.conf, with NUT's defaults and a warning"}}},
	{name: "no upsd.users", steps: []step{{
		files:    map[string]string{"upsd.users": ""},
		want:     refused,
		nutLog:   []string{`stat .*/upsd.users: No such file`},
		ownLog:   []string{`/upsd.users: no such file`},
		serve:    ptr(serving(a4, a6)),
		serveLog: []string{`WARN.*upsd.users: no such file: nobody can log in`},
		why:      "serve runs on a directory with only ups.conf: nobody can log in, with a warning"}}},
	{name: "a user with upsmon primary and instcmds (NUT accepts it)", steps: []step{{
		files: map[string]string{"upsd.users": "[mon]\n\tpassword = pw\n\tupsmon primary\n\tinstcmds = ALL\n"},
		want: outcome{listen: []string{a4, a6}, talk: []string{"USERNAME mon", "OK\n", "PASSWORD pw", "OK\n",
			"LOGIN ups1", "OK\n", "GET NUMLOGINS ups1", "NUMLOGINS ups1 1\n", "FSD ups1", "OK FSD-SET\n"}},
		ownLog: []string{`WARN.*upsd.users:1: warning: user \[mon\] has an upsmon role and instcmds`}}}},

	// Drivers.
	{name: "a driver that never connects", steps: []step{{
		files:  map[string]string{"ups.conf": strings.Replace(upsConf, "ups1.dev", "missing.dev", 1)},
		want:   outcome{listen: []string{a4, a6}, talk: unavailable("ERR DRIVER-NOT-CONNECTED\n")},
		nutLog: []string{`Can't connect to UPS \[ups1\]`},
		ownLog: []string{`WARN.*(can't|cannot) connect.*device=ups1`}}}},
	{name: "a driver that stops answering (MAXAGE 2)", upsdOnly: "the driver must be a process to stop", steps: []step{{
		files: upsdConf("MAXAGE 2\n"),
		want:  serving(a4, a6),
	}, {
		do:     "stop drivers",
		want:   outcome{listen: []string{a4, a6}, talk: unavailable("ERR DATA-STALE\n")},
		nutLog: []string{`Data for UPS \[ups1\] is stale`}}}},

	// Reloads.
	{name: "reload: ups.conf emptied", steps: []step{{want: serving(a4, a6)}, {
		do:     "reload",
		files:  map[string]string{"ups.conf": "\n"},
		want:   outcome{listen: []string{a4, a6}, talk: noDevices},
		nutLog: []string{`Warning: no UPSes currently defined`},
		ownLog: []string{`WARN.*no UPS defined in ups.conf any more: serving none`}}}},
	{name: "reload: a device added is listed first", steps: []step{{want: serving(a4, a6)}, {
		do:    "reload",
		files: map[string]string{"ups.conf": upsConf + "[ups2]\n\tdriver = dummy-ups\n\tport = missing.dev\n\tdesc = \"UPS two\"\n"},
		want: outcome{listen: []string{a4, a6}, talk: []string{"LIST UPS",
			"BEGIN LIST UPS\nUPS ups2 \"UPS two\"\nUPS ups1 \"UPS one\"\nEND LIST UPS\n"}}}}},
	{name: "reload: ups.conf removed", steps: []step{{want: serving(a4, a6)}, {
		do:     "reload",
		files:  map[string]string{"ups.conf": ""},
		want:   refused,
		nutLog: []string{`Can't open .*/ups.conf`},
		own:    ptr(serving(a4, a6)),
		ownLog: []string{`ERROR.*reload failed; keeping the running configuration.*ups.conf: no such file`},
		why:    "NUT's upsd exits; powerchain keeps serving what it served"}}},
	{name: "reload: upsd.conf removed changes nothing", steps: []step{{want: serving(a4, a6)}, {
		do:     "reload",
		files:  map[string]string{"upsd.conf": "", "ups.conf": "\n"},
		want:   serving(a4, a6),
		nutLog: []string{`Reload failed: can't open .*/upsd.conf`},
		ownLog: []string{`ERROR.*reload failed.*upsd.conf: no such file`}}}},
	{name: "reload: upsd.users removed keeps the users, ups.conf applies", steps: []step{{want: serving(a4, a6)}, {
		do:    "reload",
		files: map[string]string{"upsd.users": "", "ups.conf": upsConf + "[ups2]\n\tdriver = dummy-ups\n\tport = missing.dev\n\tdesc = \"UPS two\"\n"},
		want: outcome{listen: []string{a4, a6}, talk: []string{"LIST UPS",
			"BEGIN LIST UPS\nUPS ups2 \"UPS two\"\nUPS ups1 \"UPS one\"\nEND LIST UPS\n",
			"USERNAME admin", "OK\n", "PASSWORD pw", "OK\n", "FSD ups1", "OK FSD-SET\n"}},
		nutLog: []string{`Reload failed: can't open .*/upsd.users`},
		ownLog: []string{`WARN.*upsd.users: no such file; keeping the users`}}}},
	{name: "reload: LISTEN changes wait for a restart", steps: []step{{want: serving(a4, a6)}, {
		do:    "reload",
		files: upsdConf("LISTEN 127.0.0.1 3494\n"),
		want:  serving(a4, a6)}}},
	{name: "reload: MAXCONN 0", steps: []step{{want: serving(a4, a6)}, {
		do:     "reload",
		files:  upsdConf("MAXCONN 0\n"),
		want:   refused,
		nutLog: []string{`You requested 0 as maximum number of connections`},
		own:    ptr(serving(a4, a6)),
		ownLog: []string{`ERROR.*reload failed; keeping the running configuration.*MAXCONN 0`},
		why:    "NUT's upsd exits; powerchain keeps serving what it served"}}},
}

// upsdCase is one configuration and what the servers do with it.
type upsdCase struct {
	name   string
	noIPv6 bool   // the namespace's loopback has no IPv6
	hosts  string // /etc/hosts in the namespace ("": the system's)
	env    []string
	// drivers whose Debian dummy-ups runs beside NUT's and powerchain's
	// upsd; nil means ups1.
	drivers []string
	// serverState: the servers' $NUT_STATEPATH is an empty directory, so
	// that only upsd.conf's STATEPATH finds the drivers.
	serverState bool
	upsdOnly    string // why serve is not tried
	steps       []step
}

// step is the start, or what is done next, and what the servers do.
type step struct {
	do     string            // "" (start), "reload" (upsd -c reload, SIGHUP for serve) or "stop drivers" (SIGSTOP)
	files  map[string]string // written first ("" deletes)
	want   outcome           // what Debian's upsd does, and powerchain unless own says
	nutLog []string          // what Debian's upsd logs (regular expressions)
	ownLog []string          // what powerchain logs
	own    *outcome          // what powerchain does instead, on purpose
	// serve is what powerchain serve does instead, on purpose, and
	// serveLog what it logs then.
	serve    *outcome
	serveLog []string
	why      string // the purpose
}

// outcome is what clients see.
type outcome struct {
	exits  bool     // the server has exited (refused to start, or gave up)
	listen []string // of probeAddrs, those that accept connections
	// talk is requests and the exact replies on one connection to
	// listen[0]: request, reply, request, reply…
	talk []string
}

// The addresses tried for every server (port 34463 is 99999 modulo 65536).
const (
	a4      = "127.0.0.1:3493"
	a6      = "[::1]:3493"
	a4p     = "127.0.0.1:3494"
	a4other = "127.0.0.2:3493"
	a4mod   = "127.0.0.1:34463"
)

var probeAddrs = []string{a4, a6, a4p, a4other, a4mod}

const upsConf = "[ups1]\n\tdriver = dummy-ups\n\tport = ups1.dev\n\tdesc = \"UPS one\"\n"

var (
	none      = []string{}
	refused   = outcome{exits: true}
	okTalk    = []string{"LIST UPS", "BEGIN LIST UPS\nUPS ups1 \"UPS one\"\nEND LIST UPS\n", "GET VAR ups1 ups.status", "VAR ups1 ups.status \"OL\"\n"}
	noDevices = []string{"LIST UPS", "BEGIN LIST UPS\nEND LIST UPS\n", "GET VAR ups1 ups.status", "ERR UNKNOWN-UPS\n"}
)

func serving(listen ...string) outcome { return outcome{listen: listen, talk: okTalk} }

func upsdConf(s string) map[string]string { return map[string]string{"upsd.conf": s} }

func ptr[T any](v T) *T { return &v }

// unavailable is what every device request gets when its data cannot be
// served (err), and what the others get.
func unavailable(err string) []string {
	return []string{
		"LIST UPS", "BEGIN LIST UPS\nUPS ups1 \"UPS one\"\nEND LIST UPS\n",
		"GET VAR ups1 ups.status", err,
		"GET NUMLOGINS ups1", err,
		"GET UPSDESC ups1", "UPSDESC ups1 \"UPS one\"\n",
		"GET TYPE ups1 ups.status", err,
		"GET DESC ups1 ups.status", err,
		"LIST VAR ups1", err,
		"LIST RW ups1", err,
		"LIST CMD ups1", err,
		"LIST CLIENT ups1", "BEGIN LIST CLIENT ups1\nEND LIST CLIENT ups1\n",
		"LOGIN ups1", "ERR USERNAME-REQUIRED\n",
	}
}

// server kinds.
const (
	kindNUT   = "Debian upsd"
	kindUpsd  = "powerchain upsd"
	kindServe = "powerchain serve"
)

func TestUpsdConfLikeNUT(t *testing.T) {
	nuttest.Require(t, nuttest.Upsd, nuttest.DummyUPS)
	netnstest.Need(t, "/usr/bin/unshare", "/usr/sbin/ip")
	bin := binary(t, "upsd")
	shared := t.TempDir()
	pem := filepath.Join(shared, "upsd.pem")
	nuttest.SelfSigned(t, pem)

	type result struct {
		kind string
		errs []string
		log  string
	}
	results := make([][]*result, len(upsdCases))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 10) // they mostly wait: more than the cores
	for i, c := range upsdCases {
		for _, kind := range []string{kindNUT, kindUpsd, kindServe} {
			if kind == kindServe && c.upsdOnly != "" {
				continue
			}
			r := &result{kind: kind}
			results[i] = append(results[i], r)
			root := t.TempDir()
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				run := &upsdRun{c: c, kind: kind, root: root, bin: bin, pem: pem}
				r.errs = run.run()
				r.log = run.output()
			}()
		}
	}
	wg.Wait()
	for i, c := range upsdCases {
		t.Run(c.name, func(t *testing.T) {
			for _, r := range results[i] {
				for _, e := range r.errs {
					t.Errorf("%s: %s", r.kind, e)
				}
				if len(r.errs) > 0 {
					t.Logf("%s output (the end):\n%s", r.kind, lastLines(r.log, 30))
				}
			}
		})
	}
}

// upsdRun is one case on one server.
type upsdRun struct {
	c              upsdCase
	kind           string
	root, bin, pem string
	confDir, state string
	server         *exec.Cmd
	exited         chan struct{}
	drivers        []*exec.Cmd
	mu             sync.Mutex
	out            bytes.Buffer
	errs           []string
	serverStateDir string
	nsReady        bool
}

func (r *upsdRun) errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *upsdRun) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}

// Write collects the server's output.
func (r *upsdRun) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.Write(p)
}

func (r *upsdRun) run() []string {
	r.confDir = filepath.Join(r.root, "etc")
	r.state = filepath.Join(r.root, "state")
	r.serverStateDir = r.state
	for _, d := range []string{r.confDir, r.state, filepath.Join(r.root, "dir")} {
		os.MkdirAll(d, 0o750)
	}
	if r.c.serverState {
		r.serverStateDir = filepath.Join(r.root, "state-server")
		os.MkdirAll(r.serverStateDir, 0o750)
	}
	defer r.stop()
	defaults := map[string]string{
		"ups.conf": upsConf, "ups1.dev": "ups.status: OL\nbattery.charge: 100\n",
		"upsd.conf": "\n", "upsd.users": "[admin]\n\tpassword = pw\n\tactions = SET FSD\n\tinstcmds = ALL\n",
	}
	r.write(defaults)
	for i, s := range r.c.steps {
		r.write(s.files)
		switch s.do {
		case "":
			if i != 0 {
				panic("start is the first step")
			}
			if r.kind != kindServe {
				r.startDrivers()
			}
			if err := r.start(); err != nil {
				r.errorf("start: %v", err)
				return r.errs
			}
		case "reload":
			r.reload()
			mark := `SIGHUP: reloading configuration`
			if r.kind != kindNUT {
				mark = `msg="reloading configuration"`
			}
			if !r.eventually(func() bool { return regexp.MustCompile(mark).MatchString(r.output()) }) {
				r.errorf("no reload seen in the log")
			}
		case "stop drivers":
			for _, d := range r.drivers {
				d.Process.Signal(syscall.SIGSTOP)
			}
		}
		r.check(i, s)
		if len(r.errs) > 0 {
			break
		}
	}
	return r.errs
}

// reload asks the server to reload: NUT's way for the upsd programs
// ("upsd -c reload", which signals the process of the PID file), SIGHUP
// for serve.
func (r *upsdRun) reload() {
	var upsd string
	switch r.kind {
	case kindServe:
		r.server.Process.Signal(syscall.SIGHUP)
		return
	case kindNUT:
		upsd = nuttest.Upsd
	case kindUpsd:
		upsd = filepath.Join(r.bin, "upsd")
	}
	cmd := exec.Command(upsd, "-c", "reload")
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+r.confDir, "NUT_STATEPATH="+r.serverStateDir)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.errorf("upsd -c reload: %v\n%s", err, out)
	}
}

// write writes files into the config directory ("" deletes one).
func (r *upsdRun) write(files map[string]string) {
	for name, content := range files {
		p := filepath.Join(r.confDir, name)
		if content == "" {
			os.Remove(p)
			continue
		}
		content = strings.NewReplacer("{state}", r.state, "{missing}", filepath.Join(r.root, "missing"),
			"{dir}", filepath.Join(r.root, "dir"), "{pem}", r.pem).Replace(content)
		os.WriteFile(p, []byte(content), 0o640)
	}
}

// startDrivers starts Debian's dummy-ups for the case's devices and waits
// for each one's socket (or its exit).
func (r *upsdRun) startDrivers() {
	names := r.c.drivers
	if names == nil {
		names = []string{"ups1"}
	}
	for _, name := range names {
		cmd := exec.Command(nuttest.DummyUPS, "-F", "-u", "root", "-a", name)
		cmd.Env = append(os.Environ(), "NUT_CONFPATH="+r.confDir, "NUT_STATEPATH="+r.state)
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Start(); err != nil {
			r.errorf("dummy-ups: %v", err)
			continue
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		r.drivers = append(r.drivers, cmd)
		socket := filepath.Join(r.state, "dummy-ups-"+name)
		r.eventually(func() bool {
			select {
			case <-done:
				return true
			default:
			}
			_, err := os.Stat(socket)
			return err == nil
		})
	}
}

// start runs the server in a new network and mount namespace.
func (r *upsdRun) start() error {
	script := "ip link set lo up"
	if r.c.noIPv6 {
		for _, k := range []string{"all", "default", "lo"} {
			script += fmt.Sprintf(" && echo 1 > /proc/sys/net/ipv6/conf/%s/disable_ipv6", k)
		}
	}
	if r.c.hosts != "" {
		hosts := filepath.Join(r.root, "hosts")
		os.WriteFile(hosts, []byte(r.c.hosts), 0o644)
		script += " && mount --bind " + hosts + " /etc/hosts"
	}
	script += ` && exec "$@"`
	var argv []string
	switch r.kind {
	case kindNUT:
		argv = []string{nuttest.Upsd, "-FF", "-u", "root"} // -FF: a PID file for -c reload
	case kindUpsd:
		argv = []string{filepath.Join(r.bin, "upsd"), "-F", "-u", "root"}
	case kindServe:
		argv = []string{filepath.Join(r.bin, "powerchain"), "serve", "--announce", "no"}
	}
	cmd := exec.Command("/usr/bin/unshare", append([]string{"--net", "--mount", "/bin/sh", "-c", script, "sh"}, argv...)...)
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+r.confDir, "NUT_STATEPATH="+r.serverStateDir)
	cmd.Env = append(cmd.Env, r.c.env...)
	cmd.Stdout, cmd.Stderr = r, r
	if err := cmd.Start(); err != nil {
		return err
	}
	r.server = cmd
	r.exited = make(chan struct{})
	go func() { cmd.Wait(); close(r.exited) }()
	return nil
}

// stop ends the server and the drivers.
func (r *upsdRun) stop() {
	if r.server != nil {
		terminate(r.server, r.exited, 5*time.Second)
	}
	for _, d := range r.drivers {
		d.Process.Kill()
		d.Process.Signal(syscall.SIGCONT)
	}
}

func (r *upsdRun) hasExited() bool {
	select {
	case <-r.exited:
		return true
	default:
		return false
	}
}

// eventually polls cond for up to 15 s: the time NUT's upsd and drivers
// may take under a loaded machine, not a measure of anything.
func (r *upsdRun) eventually(cond func() bool) bool {
	return waittest.Until(15*time.Second, 50*time.Millisecond, cond)
}

// check compares what the server does with the step's outcome for it.
func (r *upsdRun) check(i int, s step) {
	want := s.want
	if r.kind != kindNUT && s.own != nil {
		want = *s.own
	}
	if r.kind == kindServe && s.serve != nil {
		want = *s.serve
	}
	where := fmt.Sprintf("step %d (%s)", i, cmp(s.do, "start"))
	logs := s.nutLog
	if r.kind != kindNUT {
		logs = s.ownLog
		if r.kind == kindServe && s.serve != nil {
			logs = s.serveLog
		}
	}
	if want.exits {
		if !r.eventually(r.hasExited) {
			r.errorf("%s: still running, want it to exit", where)
		} else if r.server.ProcessState.ExitCode() == 0 {
			r.errorf("%s: exited with status 0", where)
		}
	} else {
		// Started (or still serving): a request is answered.
		if !r.eventually(func() bool { return r.hasExited() || r.answers(want.listen) }) || r.hasExited() {
			r.errorf("%s: not serving, want it to serve", where)
			return
		}
		var got []string
		for _, a := range probeAddrs {
			if r.accepts(a) {
				got = append(got, a)
			}
		}
		if !slices.Equal(got, want.listen) {
			r.errorf("%s: listening on %v, want %v", where, got, want.listen)
		}
		if len(want.talk) > 0 && len(want.listen) > 0 {
			wantReply := strings.Join(odd(want.talk), "")
			var reply string
			r.eventually(func() bool {
				reply = r.talk(want.listen[0], even(want.talk))
				return reply == wantReply
			})
			if reply != wantReply {
				r.errorf("%s: replies differ:\n%s\nwant:\n%s", where, reply, wantReply)
			}
		}
	}
	for _, re := range logs {
		rx := regexp.MustCompile(re)
		if !r.eventually(func() bool { return rx.MatchString(r.output()) }) {
			r.errorf("%s: log lacks %q", where, re)
		}
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "")
}

func cmp(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

func even(s []string) (out []string) {
	for i := 0; i < len(s); i += 2 {
		out = append(out, s[i])
	}
	return out
}

func odd(s []string) (out []string) {
	for i := 1; i < len(s); i += 2 {
		out = append(out, s[i])
	}
	return out
}

// answers reports whether any of addrs answers VER.
func (r *upsdRun) answers(addrs []string) bool {
	if len(addrs) == 0 {
		addrs = probeAddrs
	}
	for _, a := range addrs {
		if strings.HasPrefix(r.talk(a, []string{"VER"}), "Network UPS Tools") {
			return true
		}
	}
	return false
}

// accepts reports whether a connection to addr is accepted.
func (r *upsdRun) accepts(addr string) bool {
	c, err := r.dial(addr)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// talk sends requests on one connection, closes its sending side, and
// returns everything the server answered before it closed.
func (r *upsdRun) talk(addr string, requests []string) string {
	c, err := r.dial(addr)
	if err != nil {
		return "dial: " + err.Error()
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	w := bufio.NewWriter(c)
	for _, q := range requests {
		w.WriteString(q + "\n")
	}
	w.Flush()
	c.(*net.TCPConn).CloseWrite()
	b, err := io.ReadAll(c)
	if err != nil && !errors.Is(err, io.EOF) {
		return string(b) + "<" + err.Error() + ">"
	}
	return string(b)
}

// dial connects to addr inside the server's network namespace.
func (r *upsdRun) dial(addr string) (net.Conn, error) {
	if !r.nsReady {
		// Until unshare has run, the process is still in ours.
		own, _ := os.Readlink("/proc/self/ns/net")
		theirs, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/net", r.server.Process.Pid))
		if err != nil || theirs == own {
			return nil, errors.New("namespace not ready")
		}
		r.nsReady = true
	}
	return dialInNetns(r.server.Process.Pid, addr)
}

// dialInNetns connects from the network namespace of process pid: the
// socket is made by a thread that enters the namespace for the purpose.
func dialInNetns(pid int, addr string) (net.Conn, error) {
	type result struct {
		c   net.Conn
		err error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		own, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			done <- result{nil, err}
			return
		}
		defer own.Close()
		ns, err := os.Open(fmt.Sprintf("/proc/%d/ns/net", pid))
		if err != nil {
			runtime.UnlockOSThread()
			done <- result{nil, err}
			return
		}
		defer ns.Close()
		if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			done <- result{nil, err}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		cancel()
		// Back to our namespace; a thread that cannot go back ends with
		// this goroutine (it stays locked).
		if unix.Setns(int(own.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		done <- result{c, err}
	}()
	res := <-done
	return res.c, res.err
}
