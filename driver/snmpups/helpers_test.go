package snmpups_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/daemon"
	"github.com/powerchain/powerchain/internal/snmptest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
)

func TestMain(m *testing.M) { testlog.Main(m) }

// section is a ups.conf section for an snmp-ups device of the agent;
// extra holds more "\tkey = value\n" lines.
func section(name string, agent *snmptest.Agent, community, extra string) string {
	return fmt.Sprintf("[%s]\n\tdriver = snmp-ups\n\tport = %s\n\tsnmp_version = v2c\n\tcommunity = %s\n\tsnmp_timeout = 1\n\tsnmp_retries = 1\n%s",
		name, agent.Addr, community, extra)
}

// serve starts powerchain's server with the ups.conf text and returns a
// client (not logged in; user admin, password pw, may SET and INSTCMD).
func serve(t *testing.T, upsConf string) *client.Client {
	t.Helper()
	c, _ := serveDaemon(t, upsConf, daemon.Options{})
	return c
}

// waitVars polls LIST VAR until the device has data (≤ 20 s).
func waitVars(t *testing.T, c *client.Client, ups string, want string) map[string]string {
	t.Helper()
	var m map[string]string
	var last error
	if !waittest.Until(20*time.Second, 200*time.Millisecond, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		vars, err := c.Vars(ctx, ups)
		last = err
		if err != nil {
			return false
		}
		m = map[string]string{}
		for _, v := range vars {
			m[v.Name] = v.Value
		}
		_, ok := m[want]
		return ok
	}) {
		t.Fatalf("%s: no %s within 20 s (%v)", ups, want, last)
	}
	return m
}
