package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/internal/clienttest"
	"github.com/powerchain/powerchain/internal/testlog"
	"github.com/powerchain/powerchain/internal/waittest"
	"github.com/powerchain/powerchain/nut"
)

// fakeHandler records writes and fails commands named "fail.*".
type fakeHandler struct {
	mu   sync.Mutex
	dev  *device.Device
	cmds []string
}

func (h *fakeHandler) SetVar(ctx context.Context, name, value string) error {
	h.dev.Update(func(tx *device.Tx) { tx.Set(name, value) })
	return nil
}

func (h *fakeHandler) InstCmd(ctx context.Context, name, param string) error {
	h.mu.Lock()
	h.cmds = append(h.cmds, name+" "+param)
	h.mu.Unlock()
	if strings.HasPrefix(name, "fail.") {
		return errors.New("device said no")
	}
	return nil
}

var testUsers = []conf.User{
	{Name: "admin", Password: "adminpw", Actions: []string{"SET", "FSD"}, InstCmds: []string{"ALL"}},
	{Name: "viewer", Password: "viewpw"},
	{Name: "mon", Password: "monpw", Upsmon: "primary"},
	{Name: "mon2", Password: "monpw", Upsmon: "secondary"},
	{Name: "ops", Password: "opspw", InstCmds: []string{"load.on"}},
}

// testServer serves a store with ups1 (fresh), stale1 (old data) and
// gone1 (no driver) on a loopback port.
func testServer(t *testing.T) (*Server, *device.Device, *fakeHandler, string) {
	t.Helper()
	store := device.NewStore()
	ups1 := device.New("ups1", `Rack "A" \ left`)
	h := &fakeHandler{dev: ups1}
	ups1.SetHandler(h)
	ups1.Update(func(tx *device.Tx) {
		tx.Set("ups.status", "OL")
		tx.Set("battery.charge", "100")
		tx.Set("ups.id", "rack#1")
		tx.SetFlags("ups.id", device.RW|device.String)
		tx.SetAux("ups.id", 8)
		tx.Set("input.transfer.low", "100")
		tx.SetFlags("input.transfer.low", device.RW)
		tx.AddEnum("input.transfer.low", "100")
		tx.AddEnum("input.transfer.low", "103")
		tx.Set("ups.delay.shutdown", "20")
		tx.SetFlags("ups.delay.shutdown", device.RW)
		tx.AddRange("ups.delay.shutdown", device.Range{Min: "0", Max: "600"})
		tx.AddCmd("load.on")
		tx.AddCmd("fail.now")
	})
	ups1.DataOK(time.Now())
	stale := device.New("stale1", "")
	stale.Update(func(tx *device.Tx) { tx.Set("ups.status", "OL") })
	stale.DataOK(time.Now().Add(-time.Hour))
	gone := device.New("gone1", "")
	for _, d := range []*device.Device{ups1, stale, gone} {
		store.Add(d)
	}
	srv := New(store, &Config{Sessions: testPath, Users: testUsers, MaxAge: 15 * time.Second, MaxConn: 4096, Descriptions: &Descriptions{
		vars: map[string]string{"ups.status": "UPS status"}, cmds: map[string]string{}}})
	t.Cleanup(func() { // after the server has stopped
		if testPath != DefaultPath {
			checkPath(t, srv)
		}
	})
	return srv, ups1, h, serveTest(t, srv)
}

// serveTest serves srv on a loopback port until the test ends (Serve has
// returned by then) and returns its address.
func serveTest(t *testing.T, srv *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// conversation sends request lines and returns the raw replies.
type conversation struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *conversation {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &conversation{t: t, conn: c, r: bufio.NewReader(c)}
}

// ask sends one line and reads n reply lines.
func (c *conversation) ask(line string, n int) string {
	c.t.Helper()
	c.conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.conn.Write([]byte(line + "\n")); err != nil {
		c.t.Fatal(err)
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		l, err := c.r.ReadString('\n')
		if err != nil {
			c.t.Fatalf("%q: reply line %d: %v (so far %q)", line, i, err, b.String())
		}
		b.WriteString(l)
	}
	return b.String()
}

// exchange is a request line and its one-line reply.
type exchange struct{ req, want string }

// expect asks each request and reports every reply that is not the one
// wanted, naming who asked.
func (c *conversation) expect(who string, xs []exchange) {
	c.t.Helper()
	for _, x := range xs {
		if got := c.ask(x.req, 1); got != x.want {
			c.t.Errorf("%s %q: got %q, want %q", who, x.req, got, x.want)
		}
	}
}

// testPath is the session path the servers of the running test use.
var testPath SessionPath

// bothPaths runs a test against the io_uring ring (where the kernel
// allows one) and against a goroutine per session.
func bothPaths(t *testing.T, test func(t *testing.T)) {
	for _, path := range []struct {
		name string
		path SessionPath
	}{{"io_uring", RingPath}, {"goroutines", GoroutinePath}} {
		t.Run(path.name, func(t *testing.T) {
			if path.path == RingPath {
				requireRing(t)
			}
			was := testPath
			testPath = path.path
			defer func() { testPath = was }()
			test(t)
		})
	}
}

// checkPath fails the test if srv served its sessions on another path
// than the test asked for.
func checkPath(t *testing.T, srv *Server) {
	n := srv.adopted.Load()
	if testPath == GoroutinePath && n != 0 || testPath == RingPath && n == 0 {
		t.Errorf("%d sessions went to a ring on the %v path", n, testPath)
	}
}

// TestPipelined sends a burst of requests in one write, one of which
// (SET) moves the session from the ring to a goroutine: the replies come
// in order, and LOGOUT ends the session after its reply.
func TestPipelined(t *testing.T) { bothPaths(t, pipelined) }

func pipelined(t *testing.T) {
	_, _, _, addr := testServer(t)
	c := dialRaw(t, addr)
	burst := "GET VAR ups1 ups.status\nUSERNAME admin\nPASSWORD adminpw\nSET VAR ups1 ups.id x\n" +
		"GET VAR ups1 ups.id\nLIST UPS\nLOGOUT\nGET VAR ups1 ups.status\n"
	c.conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.conn.Write([]byte(burst)); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c.r)
	if err != nil {
		t.Fatalf("reading until the server closes: %v (got %q)", err, got)
	}
	want := "VAR ups1 ups.status \"OL\"\nOK\nOK\nOK\nVAR ups1 ups.id \"x\"\n" +
		"BEGIN LIST UPS\nUPS ups1 \"Rack \\\"A\\\" \\\\ left\"\nUPS stale1 \"Description unavailable\"\nUPS gone1 \"Description unavailable\"\nEND LIST UPS\nOK Goodbye\n"
	if string(got) != want {
		t.Errorf("replies:\n%s\nwant:\n%s", got, want)
	}
}

func TestMain(m *testing.M) { testlog.Main(m) }

func TestProtocolReplies(t *testing.T) { bothPaths(t, protocolReplies) }

func protocolReplies(t *testing.T) {
	_, _, h, addr := testServer(t)
	c := dialRaw(t, addr)
	tests := []struct {
		req   string
		lines int
		want  string
	}{
		{"VER", 1, nut.ServerVersion + "\n"},
		{"NETVER", 1, "1.3\n"},
		{"PROTVER", 1, "1.3\n"},
		{"HELP", 1, "Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS SUBSCRIBE\n"},
		{"GET VAR ups1 ups.status", 1, "VAR ups1 ups.status \"OL\"\n"},
		{"GET VAR ups1 ups.id", 1, "VAR ups1 ups.id \"rack\\#1\"\n"},
		{"get var ups1 battery.charge", 1, "VAR ups1 battery.charge \"100\"\n"},
		{"GET VAR ups1 nothing", 1, "ERR VAR-NOT-SUPPORTED\n"},
		{"GET VAR nope ups.status", 1, "ERR UNKNOWN-UPS\n"},
		{"GET VAR stale1 ups.status", 1, "ERR DATA-STALE\n"},
		{"GET VAR gone1 ups.status", 1, "ERR DRIVER-NOT-CONNECTED\n"},
		{"GET VAR ups1 server.version", 1, "VAR ups1 server.version \"2.8.0\"\n"},
		{"GET VAR ups1", 1, "ERR INVALID-ARGUMENT\n"},
		{"GET TYPE ups1 ups.id", 1, "TYPE ups1 ups.id RW STRING:8\n"},
		{"GET TYPE ups1 input.transfer.low", 1, "TYPE ups1 input.transfer.low RW ENUM NUMBER\n"},
		{"GET TYPE ups1 ups.delay.shutdown", 1, "TYPE ups1 ups.delay.shutdown RW RANGE NUMBER\n"},
		{"GET TYPE ups1 battery.charge", 1, "TYPE ups1 battery.charge NUMBER\n"},
		{"GET DESC ups1 ups.status", 1, "DESC ups1 ups.status \"UPS status\"\n"},
		{"GET DESC ups1 x.y", 1, "DESC ups1 x.y \"Description unavailable\"\n"},
		{"GET CMDDESC ups1 load.on", 1, "CMDDESC ups1 load.on \"Description unavailable\"\n"},
		{"GET UPSDESC ups1", 1, "UPSDESC ups1 \"Rack \\\"A\\\" \\\\ left\"\n"},
		{"GET UPSDESC stale1", 1, "UPSDESC stale1 \"Unavailable\"\n"},
		{"GET NUMLOGINS ups1", 1, "NUMLOGINS ups1 0\n"},
		{"GET TRACKING", 1, "OFF\n"},
		{"GET TRACKING 0B5E6E7A-0000-4000-8000-000000000000", 1, "ERR FEATURE-NOT-CONFIGURED\n"},
		{"LIST UPS", 5, "BEGIN LIST UPS\nUPS ups1 \"Rack \\\"A\\\" \\\\ left\"\nUPS stale1 \"Description unavailable\"\nUPS gone1 \"Description unavailable\"\nEND LIST UPS\n"},
		{"LIST VAR ups1", 7, "BEGIN LIST VAR ups1\nVAR ups1 battery.charge \"100\"\nVAR ups1 input.transfer.low \"100\"\nVAR ups1 ups.delay.shutdown \"20\"\nVAR ups1 ups.id \"rack\\#1\"\nVAR ups1 ups.status \"OL\"\nEND LIST VAR ups1\n"},
		{"LIST RW ups1", 5, "BEGIN LIST RW ups1\nRW ups1 input.transfer.low \"100\"\nRW ups1 ups.delay.shutdown \"20\"\nRW ups1 ups.id \"rack\\#1\"\nEND LIST RW ups1\n"},
		{"LIST CMD ups1", 4, "BEGIN LIST CMD ups1\nCMD ups1 fail.now\nCMD ups1 load.on\nEND LIST CMD ups1\n"},
		{"LIST ENUM ups1 input.transfer.low", 4, "BEGIN LIST ENUM ups1 input.transfer.low\nENUM ups1 input.transfer.low \"100\"\nENUM ups1 input.transfer.low \"103\"\nEND LIST ENUM ups1 input.transfer.low\n"},
		{"LIST RANGE ups1 ups.delay.shutdown", 3, "BEGIN LIST RANGE ups1 ups.delay.shutdown\nRANGE ups1 ups.delay.shutdown \"0\" \"600\"\nEND LIST RANGE ups1 ups.delay.shutdown\n"},
		{"LIST VAR stale1", 1, "ERR DATA-STALE\n"},
		{"LIST VAR nope", 1, "ERR UNKNOWN-UPS\n"},
		{"LIST CLIENT ups1", 2, "BEGIN LIST CLIENT ups1\nEND LIST CLIENT ups1\n"},
		{"LIST FOO", 1, "ERR INVALID-ARGUMENT\n"},
		{"FROBNICATE", 1, "ERR UNKNOWN-COMMAND\n"},
		{"", 1, "ERR UNKNOWN-COMMAND\n"},
		{"VER now", 1, "ERR INVALID-ARGUMENT\n"},
		{"GET VAR ups1 ups.status and more", 1, "VAR ups1 ups.status \"OL\"\n"},
		{"\x01\x02garbage\xff", 1, "ERR UNKNOWN-COMMAND\n"},
		{`GET VAR "ups1 # broken`, 0, ""}, // NUT's upsd answers nothing; the next reply is STARTTLS's
		{"STARTTLS", 1, "ERR FEATURE-NOT-CONFIGURED\n"},
		{"LOGIN ups1", 1, "ERR USERNAME-REQUIRED\n"},
		{"INSTCMD ups1 load.on", 1, "ERR USERNAME-REQUIRED\n"},
		{"USERNAME viewer", 1, "OK\n"},
		{"USERNAME again", 1, "ERR ALREADY-SET-USERNAME\n"},
		{"SET VAR ups1 ups.id x", 1, "ERR PASSWORD-REQUIRED\n"},
		{"PASSWORD viewpw", 1, "OK\n"},
		{"PASSWORD again", 1, "ERR ALREADY-SET-PASSWORD\n"},
		{"SET VAR ups1 ups.id x", 1, "ERR ACCESS-DENIED\n"},
		{"INSTCMD ups1 load.on", 1, "ERR ACCESS-DENIED\n"},
		{"LOGIN ups1", 1, "ERR ACCESS-DENIED\n"},
		{"FSD ups1", 1, "ERR ACCESS-DENIED\n"},
		{"PRIMARY ups1", 1, "ERR ACCESS-DENIED\n"},
	}
	for _, tt := range tests {
		if got := c.ask(tt.req, tt.lines); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.req, got, tt.want)
		}
	}
	if len(h.cmds) != 0 {
		t.Errorf("a refused INSTCMD reached the driver: %v", h.cmds)
	}
}

func TestRightsPerUser(t *testing.T) { bothPaths(t, rightsPerUser) }

func rightsPerUser(t *testing.T) {
	srv, ups1, h, addr := testServer(t)
	login := func(user, pw string) *conversation {
		c := dialRaw(t, addr)
		c.ask("USERNAME "+user, 1)
		c.ask("PASSWORD "+pw, 1)
		return c
	}
	admin := login("admin", "adminpw")
	admin.expect("admin", []exchange{
		{"SET VAR ups1 ups.id rack2", "OK\n"},
		{"SET VAR ups1 ups.id waytoolongvalue", "ERR TOO-LONG\n"},
		{"SET VAR ups1 battery.charge 5", "ERR READONLY\n"},
		{"SET VAR ups1 input.transfer.low 99", "ERR INVALID-VALUE\n"},
		{"SET VAR ups1 input.transfer.low 103", "OK\n"},
		{"SET VAR ups1 nothing 1", "ERR VAR-NOT-SUPPORTED\n"},
		{"SET VAR nope ups.id 1", "ERR UNKNOWN-UPS\n"},
		{"INSTCMD ups1 load.on", "OK\n"},
		{"INSTCMD ups1 load.on 5", "OK\n"},
		{"INSTCMD ups1 load.off", "ERR CMD-NOT-SUPPORTED\n"},
		{"INSTCMD ups1 fail.now", "ERR INSTCMD-FAILED\n"},
		{"INSTCMD stale1 load.on", "ERR DATA-STALE\n"},
		{"FSD ups1", "OK FSD-SET\n"},
		{"GET VAR ups1 ups.status", "VAR ups1 ups.status \"FSD OL\"\n"},
		{"SET TRACKING ON", "OK\n"},
		{"GET TRACKING", "ON\n"},
		{"GET TRACKING 0B5E6E7A-0000-4000-8000-000000000000", "ERR UNKNOWN\n"},
	})
	if v := ups1.Snapshot().Value("ups.id"); v != "rack2" {
		t.Errorf("SET VAR did not reach the device: ups.id = %q", v)
	}
	if !srv.FSD("ups1") {
		t.Error("FSD flag not set")
	}
	// With tracking, INSTCMD answers an id whose result can be fetched.
	reply := admin.ask("INSTCMD ups1 fail.now", 1)
	id, ok := strings.CutPrefix(strings.TrimSpace(reply), "OK TRACKING ")
	if !ok {
		t.Fatalf("tracked INSTCMD: %q", reply)
	}
	var got string
	waittest.Until(5*time.Second, 10*time.Millisecond, func() bool {
		got = admin.ask("GET TRACKING "+id, 1)
		return got != "PENDING\n"
	})
	if got != "ERR FAILED\n" {
		t.Fatalf("GET TRACKING %s: %q", id, got)
	}
	ops := login("ops", "opspw")
	ops.expect("ops", []exchange{
		{"INSTCMD ups1 load.on", "OK\n"},
		{"INSTCMD ups1 fail.now", "ERR ACCESS-DENIED\n"},
		{"INSTCMD ups1 no.such.cmd", "ERR CMD-NOT-SUPPORTED\n"}, // good credentials
		{"SET VAR ups1 ups.id x", "ERR ACCESS-DENIED\n"},
	})
	wrong := login("admin", "wrong")
	wrong.expect("wrong password", []exchange{
		{"INSTCMD ups1 load.on", "ERR ACCESS-DENIED\n"},
		{"INSTCMD ups1 no.such.cmd", "ERR ACCESS-DENIED\n"},
	})
	mon := login("mon", "monpw")
	mon.expect("mon", []exchange{
		{"LOGIN ups1", "OK\n"},
		{"LOGIN ups1", "ERR ALREADY-LOGGED-IN\n"},
		{"PRIMARY ups1", "OK PRIMARY-GRANTED\n"},
		{"MASTER ups1", "OK MASTER-GRANTED\n"},
		{"GET NUMLOGINS ups1", "NUMLOGINS ups1 1\n"},
		{"SET VAR ups1 ups.id x", "ERR ACCESS-DENIED\n"},
	})
	if got := mon.ask("LIST CLIENT ups1", 3); got != "BEGIN LIST CLIENT ups1\nCLIENT ups1 127.0.0.1\nEND LIST CLIENT ups1\n" {
		t.Errorf("LIST CLIENT: %q", got)
	}
	mon2 := login("mon2", "monpw")
	if got := mon2.ask("LOGIN ups1", 1); got != "OK\n" {
		t.Errorf("secondary LOGIN: %q", got)
	}
	if got := mon2.ask("PRIMARY ups1", 1); got != "ERR ACCESS-DENIED\n" {
		t.Errorf("secondary PRIMARY: %q", got)
	}
	if got := mon.ask("LOGOUT", 1); got != "OK Goodbye\n" {
		t.Errorf("LOGOUT: %q", got)
	}
	h.mu.Lock()
	n := len(h.cmds)
	h.mu.Unlock()
	if n != 5 { // admin: load.on, load.on 5, fail.now, tracked fail.now; ops: load.on
		t.Errorf("driver saw %d commands: %v", n, h.cmds)
	}
}

// TestRobustness: overlong lines, clients that stop reading mid-LIST,
// many idle connections and a device whose data goes stale — the server
// keeps answering everyone else.
func TestRobustness(t *testing.T) { bothPaths(t, robustness) }

func robustness(t *testing.T) {
	_, ups1, _, addr := testServer(t)
	// A big device makes LIST VAR larger than the socket buffers.
	ups1.Update(func(tx *device.Tx) {
		for i := 0; i < 5000; i++ {
			tx.Set(fmt.Sprintf("outlet.%d.desc", i), strings.Repeat("x", 100))
		}
	})
	ups1.DataOK(time.Now())

	over := dialRaw(t, addr)
	if got := over.ask(strings.Repeat("A", nut.MaxLineLength+10), 1); got != "ERR TOO-LONG\n" {
		t.Errorf("overlong line: %q", got)
	}

	// Clients that ask for LIST VAR repeatedly and never read.
	for i := 0; i < 5; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for j := 0; j < 50; j++ {
			c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
			if _, err := c.Write([]byte("LIST VAR ups1\n")); err != nil {
				break
			}
		}
	}
	// 2,000 idle connections.
	const idle = 2000
	var conns []net.Conn
	for i := 0; i < idle; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("idle connection %d: %v", i, err)
		}
		conns = append(conns, c)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cli := clienttest.Dial(ctx, t, addr)
	vars, err := cli.Vars(ctx, "ups1")
	if err != nil || len(vars) != 5005 {
		t.Fatalf("LIST VAR while others misbehave: %d vars, %v", len(vars), err)
	}
	// Stale, then fresh again.
	ups1.DataOK(time.Now().Add(-time.Minute))
	if _, err := cli.Get(ctx, "ups1", "ups.status"); !errors.Is(err, nut.ErrDataStale) {
		t.Errorf("stale device: %v", err)
	}
	ups1.DataOK(time.Now())
	if v, err := cli.Get(ctx, "ups1", "ups.status"); err != nil || v != "OL" {
		t.Errorf("fresh again: %q %v", v, err)
	}
}

func TestReloadKeepsClients(t *testing.T) { bothPaths(t, reloadKeepsClients) }

func reloadKeepsClients(t *testing.T) {
	srv, _, _, addr := testServer(t)
	c := dialRaw(t, addr)
	c.ask("USERNAME newbie", 1)
	c.ask("PASSWORD newpw", 1)
	if got := c.ask("SET VAR ups1 ups.id a", 1); got != "ERR ACCESS-DENIED\n" {
		t.Fatalf("before reload: %q", got)
	}
	srv.Reload(&Config{MaxConn: 4096, Users: append(testUsers, conf.User{Name: "newbie", Password: "newpw", Actions: []string{"SET"}})})
	if got := c.ask("SET VAR ups1 ups.id a", 1); got != "OK\n" {
		t.Errorf("after reload, same connection: %q", got)
	}
}

func FuzzRequest(f *testing.F) {
	for _, s := range []string{"GET VAR ups1 ups.status", "LIST VAR ups1", `SET VAR ups1 ups.id "a b"`,
		"USERNAME admin", "INSTCMD ups1 load.on 5", "LIST ENUM ups1 input.transfer.low", "\"\\", "GET TRACKING x", "SUBSCRIBE NOW ups1"} {
		f.Add(s)
	}
	store := device.NewStore()
	d := device.New("ups1", "")
	d.Update(func(tx *device.Tx) { tx.Set("ups.status", "OL") })
	d.DataOK(time.Now().Add(time.Hour))
	store.Add(d)
	srv := New(store, &Config{Users: testUsers, Descriptions: &Descriptions{}})
	f.Fuzz(func(t *testing.T, line string) {
		// A connection whose peer is gone: a request that writes for
		// itself (STARTTLS, SUBSCRIBE) fails at once.
		conn, peer := net.Pipe()
		peer.Close()
		defer conn.Close()
		ss := &session{s: srv, addr: "fuzz", conn: conn}
		words, err := nut.SplitRequest(line)
		if err != nil || len(words) == 0 {
			return
		}
		ss.dispatch(context.Background(), words)
		if len(ss.out) == 0 && !strings.EqualFold(words[0], "STARTTLS") && !strings.EqualFold(words[0], nut.Subscribe) {
			t.Fatalf("%q: no reply", line)
		}
	})
}

// TestStopEndsOnlyItsSessions: two servers in one process (they share
// the io_uring ring); when one's context ends, its clients are
// disconnected and its Serve returns, while the other keeps answering.
func TestStopEndsOnlyItsSessions(t *testing.T) { bothPaths(t, stopEndsOnlyItsSessions) }

func stopEndsOnlyItsSessions(t *testing.T) {
	_, _, _, keep := testServer(t)
	store := device.NewStore()
	d := device.New("ups9", "")
	d.Update(func(tx *device.Tx) { tx.Set("ups.status", "OB") })
	d.DataOK(time.Now().Add(time.Hour))
	store.Add(d)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { New(store, &Config{Sessions: testPath}).Serve(ctx, ln); close(done) }()

	var theirs []*conversation
	for i := 0; i < 3; i++ {
		c := dialRaw(t, ln.Addr().String())
		if got := c.ask("GET VAR ups9 ups.status", 1); got != "VAR ups9 ups.status \"OB\"\n" {
			t.Fatalf("before the stop: %q", got)
		}
		theirs = append(theirs, c)
	}
	mine := dialRaw(t, keep)
	mine.ask("GET VAR ups1 ups.status", 1)

	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	for i, c := range theirs {
		c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if n, err := c.r.ReadByte(); err != io.EOF {
			t.Errorf("client %d of the stopped server: read %q, %v; want EOF", i, n, err)
		}
	}
	if got := mine.ask("GET VAR ups1 ups.status", 1); got != "VAR ups1 ups.status \"OL\"\n" {
		t.Errorf("the other server after the stop: %q", got)
	}
}
