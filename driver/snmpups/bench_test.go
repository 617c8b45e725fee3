package snmpups_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/powerchain/powerchain/internal/nuttest"
	"github.com/powerchain/powerchain/internal/snmptest"
)

const debianSnmpUps = "/lib/nut/snmp-ups"

// burst splits request times into the first burst (requests less than
// gap apart) and the rest.
func burst(ts []time.Time, gap time.Duration) (n int, wall time.Duration) {
	if len(ts) == 0 {
		return 0, 0
	}
	n = 1
	for n < len(ts) && ts[n].Sub(ts[n-1]) < gap {
		n++
	}
	return n, ts[n-1].Sub(ts[0])
}

func countIn(ts []time.Time, from, to time.Time) int {
	n := 0
	for _, t := range ts {
		if !t.Before(from) && t.Before(to) {
			n++
		}
	}
	return n
}

// BenchmarkPollCompareNUT runs Debian's NUT 2.8.0 snmp-ups and
// powerchain's snmp-ups side by side on the same snmpsimd, each with its
// own community (same recording), and counts the SNMP requests each sends
// (snmpsimd logs every request): the first full read (and how long it
// takes), and the requests in steady state over one pollfreq period
// (pollinterval 2 s, pollfreq 30 s, NUT's defaults). NUT 2.8.0 reads
// nothing between its full walks (ups.status can be 30 s old);
// powerchain reads the status OIDs every pollinterval and everything
// every pollfreq, in a few multi-OID GETs.
//
//	go test -run '^$' -bench PollCompareNUT -benchtime 1x ./driver/snmpups
func BenchmarkPollCompareNUT(b *testing.B) {
	nuttest.Require(b, debianSnmpUps)
	recs := map[string]string{"UPS (Eaton 9PX)": "eaton-9px-partial", "PDU, 24 outlets (APC AP8641)": "apc-ap8641"}
	data := map[string][]byte{}
	for _, r := range recs {
		raw, err := os.ReadFile("../../testdata/snmprec/" + r + ".snmprec")
		if err != nil {
			b.Fatal(err)
		}
		data[r+"-nut"], data[r+"-pc"] = raw, raw
	}
	agent := snmptest.SimData(b, data)
	const window = 30 * time.Second

	env := nuttest.NewEnv(b)
	var nutConf, pcConf string
	for _, r := range recs {
		nutConf += fmt.Sprintf("[%s]\n\tdriver = snmp-ups\n\tport = %s\n\tsnmp_version = v2c\n\tcommunity = %s-nut\n\tpollinterval = 2\n", r, agent.Addr, r)
		pcConf += fmt.Sprintf("[%s]\n\tdriver = snmp-ups\n\tport = %s\n\tsnmp_version = v2c\n\tcommunity = %s-pc\n\tpollinterval = 2\n", r, agent.Addr, r)
	}
	env.WriteFile("ups.conf", nutConf, 0o644)
	start := time.Now()
	for _, r := range recs {
		env.Start(debianSnmpUps, "-a", r)
	}
	_ = serve(&testing.T{}, pcConf) // in-process, started at the same time
	time.Sleep(5*time.Second + window)

	fmt.Printf("\nSNMP requests, powerchain vs Debian NUT 2.8.0 snmp-ups, same snmpsimd recording (v2c, pollinterval 2, pollfreq 30)\n")
	fmt.Printf("%-30s | %-24s | %-24s | %s\n", "device", "first full read", "requests per 30 s", "ratio NUT/powerchain")
	for label, r := range recs {
		nutTS, pcTS := agent.Requests(r+"-nut"), agent.Requests(r+"-pc")
		nN, nW := burst(nutTS, 500*time.Millisecond)
		pN, pW := burst(pcTS, 500*time.Millisecond)
		from := start.Add(5 * time.Second)
		nS := countIn(nutTS, from, from.Add(window))
		pS := countIn(pcTS, from, from.Add(window))
		fmt.Printf("%-30s | NUT %5d req %7.0f ms | NUT %5d (status every 30 s) | first read: %.1fx requests, %.1fx time\n",
			label, nN, float64(nW)/1e6, nS, float64(nN)/float64(max(pN, 1)), float64(nW)/float64(max(pW, time.Millisecond)))
		fmt.Printf("%-30s | pc  %5d req %7.0f ms | pc  %5d (status every 2 s)  | per 30 s: %.1fx requests\n",
			"", pN, float64(pW)/1e6, pS, float64(nS)/float64(max(pS, 1)))
	}
}
