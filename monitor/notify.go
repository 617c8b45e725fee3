package monitor

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/powerchain/powerchain/conf"
)

// Notification types: NUT 2.8.0's, then powerchain's.
const (
	Online   = "ONLINE"
	OnBatt   = "ONBATT"
	LowBatt  = "LOWBATT"
	FSD      = "FSD"
	CommOK   = "COMMOK"
	CommBad  = "COMMBAD"
	Shutdown = "SHUTDOWN"
	ReplBatt = "REPLBATT"
	NoComm   = "NOCOMM"
	NoParent = "NOPARENT"
	Cal      = "CAL"
	// NoRedundancy: all supply paths but the last needed one are lost; the
	// next failure shuts the host down (powerchain).
	NoRedundancy = "NOREDUNDANCY"
	// RedundancyOK: redundancy is back (powerchain).
	RedundancyOK = "REDUNDANCYOK"
	// SupplyLost: a supply's own status is fine but its chain upstream
	// cuts it (an outlet off, a UPS on battery and low) (powerchain).
	SupplyLost = "SUPPLYLOST"
	// SupplyOK: that supply's chain delivers again (powerchain).
	SupplyOK = "SUPPLYOK"
	// Wake: PowerWake woke a host the outage took down (powerchain).
	Wake = "WAKE"
	// WakeFail: PowerWake could not wake a host (powerchain).
	WakeFail = "WAKEFAIL"
)

// defaultMessages are NUT's default texts; %s is the device.
var defaultMessages = map[string]string{
	Online:       "UPS %s on line power",
	OnBatt:       "UPS %s on battery",
	LowBatt:      "UPS %s battery is low",
	FSD:          "UPS %s: forced shutdown in progress",
	CommOK:       "Communications with UPS %s established",
	CommBad:      "Communications with UPS %s lost",
	Shutdown:     "Auto logout and shutdown proceeding",
	ReplBatt:     "UPS %s battery needs to be replaced",
	NoComm:       "UPS %s is unavailable",
	NoParent:     "upsmon parent process died - shutdown impossible",
	Cal:          "UPS %s: calibration in progress",
	NoRedundancy: "Power redundancy lost: %s is the last supply left",
	RedundancyOK: "Power redundancy restored (%s)",
	SupplyLost:   "Supply %s lost upstream",
	SupplyOK:     "Supply %s delivers power again",
	Wake:         "Power is back: host %s woken",
	WakeFail:     "Power is back, but host %s could not be woken",
}

// Notifier sends notifications as upsmon.conf says: SYSLOG (the log),
// WALL (wall(1)), EXEC (NOTIFYCMD with the message as argument and
// NOTIFYTYPE and UPSNAME in its environment), IGNORE.
type Notifier struct {
	cfg *conf.UpsmonConf
	log *slog.Logger
	// Sent, when set, sees every notification (tests, the console).
	Sent func(typ, ups, msg string)
	// running counts the WALL and EXEC deliveries under way.
	running sync.WaitGroup
}

// flags returns the NOTIFYFLAG words of a type (default SYSLOG+WALL, and
// SYSLOG for CAL as NUT does).
func (n *Notifier) flags(typ string) map[string]bool {
	fl := n.cfg.NotifyFlag[typ]
	if fl == nil {
		fl = []string{"SYSLOG", "WALL"}
		if typ == Cal {
			fl = []string{"SYSLOG"}
		}
	}
	m := map[string]bool{}
	for _, f := range fl {
		m[strings.ToUpper(f)] = true
	}
	return m
}

// Message formats a type's message for a device.
func (n *Notifier) Message(typ, ups string) string {
	f, ok := n.cfg.NotifyMsg[typ]
	if !ok {
		f = defaultMessages[typ]
	}
	if strings.Contains(f, "%s") {
		return strings.Replace(f, "%s", ups, 1)
	}
	return f
}

// Notify sends one notification. WALL and EXEC run on their own, as NUT's
// upsmon forks them, so that no decision (a shutdown) waits for wall(1)
// or NOTIFYCMD; Wait waits for them.
func (n *Notifier) Notify(ctx context.Context, typ, ups string) {
	msg := n.Message(typ, ups)
	fl := n.flags(typ)
	if n.Sent != nil {
		n.Sent(typ, ups, msg)
	}
	if fl["IGNORE"] {
		return
	}
	if fl["SYSLOG"] {
		n.log.Warn(msg, "notify", typ, "ups", ups)
	}
	if !fl["WALL"] && (!fl["EXEC"] || n.cfg.NotifyCmd == "") {
		return
	}
	n.running.Add(1)
	go func() {
		defer n.running.Done()
		// Delivered even when the monitor stops meanwhile (a shutdown).
		n.deliver(context.WithoutCancel(ctx), typ, ups, msg, fl)
	}()
}

// Wait waits until the notifications sent so far are delivered.
func (n *Notifier) Wait() { n.running.Wait() }

// deliver runs wall(1) and NOTIFYCMD for a notification, as fl says.
func (n *Notifier) deliver(ctx context.Context, typ, ups, msg string, fl map[string]bool) {
	if fl["WALL"] {
		if path, err := exec.LookPath("wall"); err == nil {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			cmd := exec.CommandContext(cctx, path)
			cmd.Stdin = strings.NewReader(msg + "\n")
			cmd.Run()
			cancel()
		}
	}
	if fl["EXEC"] && n.cfg.NotifyCmd != "" {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		// NUT runs NOTIFYCMD through the shell with the message as one argument.
		cmd := exec.CommandContext(cctx, "/bin/sh", "-c", n.cfg.NotifyCmd+` "$1"`, "notifycmd", msg)
		cmd.Env = append(os.Environ(), "NOTIFYTYPE="+typ, "UPSNAME="+ups)
		if out, err := cmd.CombinedOutput(); err != nil {
			n.log.Error("NOTIFYCMD failed", "cmd", n.cfg.NotifyCmd, "err", err, "output", string(out))
		}
	}
}

func (n *Notifier) String() string { return fmt.Sprintf("notifier(%s)", n.cfg.NotifyCmd) }
