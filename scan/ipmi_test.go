package scan_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/ipmitest"
	"github.com/powerchain/powerchain/scan"
)

// TestIPMIScan: a BMC (ipmi_sim) with two power supplies is found, each
// supply a nut-ipmipsu section; a wrong password or no BMC finds nothing.
func TestIPMIScan(t *testing.T) {
	sim := ipmitest.Start(t, ipmitest.TwoSupplies())
	hosts, _ := scan.Range("127.0.0.1", "127.0.0.2", "", scan.MaxHosts)
	o := scan.IPMIOptions{Options: scan.Options{Timeout: time.Second}, User: ipmitest.User, Password: ipmitest.Password, Port: sim.Port}
	devs := scan.IPMI(context.Background(), hosts, o)
	var b strings.Builder
	scan.WriteParsable(&b, devs)
	for _, n := range []int{1, 2} {
		want := fmt.Sprintf(`IPMI:driver="nut-ipmipsu",port="id%d@127.0.0.1:%d",desc="DPS-750AB-1 A",username="%s",password="%s"`, n, sim.Port, ipmitest.User, ipmitest.Password)
		if !strings.Contains(b.String(), want) {
			t.Errorf("IPMI scan lacks\n%s\ngot:\n%s", want, b.String())
		}
	}
	o.Password = "wrong"
	if devs := scan.IPMI(context.Background(), hosts, o); len(devs) != 0 {
		t.Errorf("found with a wrong password: %+v", devs)
	}
}
