package snmptest

import (
	"testing"

	"github.com/powerchain/powerchain/internal/netnstest"
)

// SimHostsIn is SimHosts inside a network namespace: snmpsimd runs
// there, serving each recording on its address (which the namespace
// must have), and is waited for from there.
func SimHostsIn(t testing.TB, ns *netnstest.NS, hosts map[string][]byte) *Agent {
	t.Helper()
	return simHosts(t, ns, hosts)
}
