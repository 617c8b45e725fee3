package server

import (
	"bufio"
	"context"
	"net"
	"testing"
	"time"

	"github.com/powerchain/powerchain/device"
)

// BenchmarkGetVar measures one GET VAR round trip on loopback, and its
// allocations on the server's side together with the client's.
func BenchmarkGetVar(b *testing.B) {
	store := device.NewStore()
	d := device.New("ups1", "")
	d.Update(func(tx *device.Tx) {
		tx.Set("ups.status", "OL")
		tx.Set("battery.charge", "100")
	})
	d.DataOK(time.Now().Add(time.Hour))
	store.Add(d)
	srv := New(store, &Config{Descriptions: &Descriptions{}})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.Serve(ctx, ln)
	c, _ := net.Dial("tcp", ln.Addr().String())
	defer c.Close()
	r := bufio.NewReader(c)
	req := []byte("GET VAR ups1 ups.status\n")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Write(req)
		if _, err := r.ReadString('\n'); err != nil {
			b.Fatal(err)
		}
	}
}
