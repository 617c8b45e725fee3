package server

import (
	"context"
	"strings"

	"github.com/powerchain/powerchain/nut"
)

// command is one row of the protocol's command table, as NUT's
// server/netcmds.h has one: dispatch, the login check, the argument
// check, HELP and the ring's decision to hand a session to a goroutine
// all come from it. Adding a command is adding a row (and its handler in
// the file of its family).
type command struct {
	name string
	// run answers the request (its words after the name); it reports
	// whether the session ends after the reply.
	run func(ss *session, ctx context.Context, name string, args []string) bool
	// login: USERNAME and PASSWORD must have come first (NUT's FLAG_USER).
	login bool
	// mayBlock: the handler can wait (on a driver, a TLS handshake).
	// It never runs on the io_uring ring's thread, where it would stall
	// every session of the process: the ring hands its session to a
	// goroutine first.
	mayBlock bool
	// minArgs and maxArgs bound the words after the name (maxArgs -1:
	// no bound; NUT ignores words past those a command reads); outside
	// them the reply is ERR INVALID-ARGUMENT.
	minArgs, maxArgs int
	// help describes the command; commands with none (aliases and
	// upsmon's) are left out of HELP's list, as NUT leaves them out.
	help string
}

// commands is the table, in the order HELP lists them (NUT's order).
var commands = []*command{
	{name: "HELP", run: answers((*session).help), help: "the commands"},
	{name: "VER", run: answers((*session).ver), help: "the server's version"},
	{name: "GET", run: answers((*session).get), minArgs: 1, maxArgs: -1, help: "one value: VAR, TYPE, DESC, CMDDESC, UPSDESC, NUMLOGINS, TRACKING"},
	{name: "LIST", run: answers((*session).list), minArgs: 1, maxArgs: -1, help: "a list: UPS, VAR, RW, CMD, ENUM, RANGE, CLIENT"},
	{name: "SET", run: answersCtx((*session).set), login: true, mayBlock: true, minArgs: 2, maxArgs: -1, help: "a variable's value (SET VAR), or TRACKING ON|OFF"},
	{name: "INSTCMD", run: answersCtx((*session).instcmd), login: true, mayBlock: true, minArgs: 2, maxArgs: -1, help: "run an instant command"},
	{name: "LOGIN", run: answers((*session).login), login: true, minArgs: 1, maxArgs: 1, help: "attach to a device as its monitor"},
	{name: "LOGOUT", run: (*session).logout, help: "end the session"},
	{name: "USERNAME", run: answers((*session).username), minArgs: 1, maxArgs: 1, help: "the user of the session"},
	{name: "PASSWORD", run: answers((*session).password), minArgs: 1, maxArgs: 1, help: "the user's password"},
	{name: "STARTTLS", run: (*session).startTLS, mayBlock: true, maxArgs: -1, help: "continue over TLS"},
	// powerchain's: the session becomes a stream of changes, for as long
	// as the client stays (docs/push-protocol.md).
	{name: nut.Subscribe, run: (*session).subscribe, mayBlock: true, minArgs: 1, maxArgs: -1, help: "follow the changes of devices (powerchain)"},
	{name: "NETVER", run: answers((*session).netver)},
	{name: "PROTVER", run: answers((*session).netver)},
	{name: "PRIMARY", run: (*session).primary, login: true, minArgs: 1, maxArgs: 1},
	{name: "MASTER", run: (*session).primary, login: true, minArgs: 1, maxArgs: 1},
	{name: "FSD", run: answers((*session).fsd), login: true, minArgs: 1, maxArgs: 1},
}

// answers adapts a handler that never ends the session and needs neither
// the context nor the command's name.
func answers(f func(ss *session, args []string)) func(*session, context.Context, string, []string) bool {
	return func(ss *session, _ context.Context, _ string, args []string) bool { f(ss, args); return false }
}

// answersCtx is answers for a handler that waits on a driver.
func answersCtx(f func(ss *session, ctx context.Context, args []string)) func(*session, context.Context, string, []string) bool {
	return func(ss *session, ctx context.Context, _ string, args []string) bool { f(ss, ctx, args); return false }
}

// byName finds a command by its upper-case name; helpLine is HELP's
// reply. Both follow from the table (set in init: HELP's handler reads
// helpLine, so it cannot be computed from the table it is a row of).
var (
	byName   map[string]*command
	helpLine string
)

func init() {
	byName = map[string]*command{}
	helpLine = "Commands:"
	for _, c := range commands {
		byName[c.name] = c
		if c.help != "" {
			helpLine += " " + c.name
		}
	}
	helpLine += "\n"
}

// lookup finds the command a request's first word names (in any case),
// or nil.
func lookup(word string) *command { return byName[strings.ToUpper(word)] }

// dispatch runs one request; it reports whether the session ends.
func (ss *session) dispatch(ctx context.Context, w []string) bool {
	c := lookup(w[0])
	if c == nil {
		ss.err(nut.ErrUnknownCommand)
		return false
	}
	args := w[1:]
	switch {
	case c.login && !ss.hasUser:
		ss.err(nut.ErrUsernameRequired)
	case c.login && !ss.hasPass:
		ss.err(nut.ErrPasswordRequired)
	case len(args) < c.minArgs || c.maxArgs >= 0 && len(args) > c.maxArgs:
		ss.err(nut.ErrInvalidArgument)
	default:
		return c.run(ss, ctx, c.name, args)
	}
	return false
}

// mayBlock tells whether a request's command can wait: the ring hands
// its session to a goroutine before it runs.
func mayBlock(word string) bool {
	c := lookup(word)
	return c != nil && c.mayBlock
}

// VER, NETVER (PROTVER) and HELP (NUT's netmisc.c).

func (ss *session) ver([]string) { ss.reply(nut.ServerVersion + "\n") }

func (ss *session) netver([]string) { ss.reply(nut.ProtocolVersion + "\n") }

func (ss *session) help([]string) { ss.reply(helpLine) }
