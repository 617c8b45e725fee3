package console

import (
	"fmt"
	"testing"

	"github.com/powerchain/powerchain/chain"
)

// BenchmarkStamp: numbering a refresh of 5,000 devices against the one
// before (what each refresh adds for the live update).
func BenchmarkStamp(b *testing.B) {
	snap := func() *Snapshot {
		s := &Snapshot{Graph: chain.NewGraph()}
		for i := range 5000 {
			d := &Device{Source: fmt.Sprintf("127.0.0.1:%d", 1000+i/50), Name: fmt.Sprintf("psu%d", i%50),
				Vars: map[string]string{"device.type": "psu", "ups.status": "OL", "input.voltage": "230", "device.parent": "pdu1:outlet1"}}
			s.Devices = append(s.Devices, d)
			s.Graph.Add(&chain.Node{ID: d.ID(), Name: d.Name, Server: d.Source, Type: "psu", Status: "OL", Outlets: map[int]string{1: "on"}})
		}
		s.Loads = s.Graph.Loads(nil)
		return s
	}
	prev, cur := snap(), snap()
	prev.stamp(nil)
	b.ResetTimer()
	for range b.N {
		cur.stamp(prev)
	}
}
