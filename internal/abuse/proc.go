package abuse

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Sockets counts the server-side TCP sockets on local port that the
// server has not closed (established, or closed by the peer only), from
// /proc/net/tcp and tcp6: a session a server forgot to release shows here
// whichever server it is.
func Sockets(port int) int {
	n := 0
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n")[1:] {
			fs := strings.Fields(l)
			if len(fs) < 4 {
				continue
			}
			local, state := fs[1], fs[3]
			i := strings.LastIndexByte(local, ':')
			p, err := strconv.ParseUint(local[i+1:], 16, 16)
			if err != nil || int(p) != port {
				continue
			}
			if state == "01" || state == "08" { // ESTABLISHED, CLOSE_WAIT
				n++
			}
		}
	}
	return n
}

// PeakRSS is the sum of the processes' peak resident set (VmHWM), in KiB.
func PeakRSS(pids ...int) int { return statusSum("VmHWM:", pids) }

// RSS is the sum of the processes' resident set (VmRSS), in KiB.
func RSS(pids ...int) int { return statusSum("VmRSS:", pids) }

// statusSum adds a field of the processes' /proc status, in KiB.
func statusSum(field string, pids []int) int {
	total := 0
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == field {
				n, _ := strconv.Atoi(f[1])
				total += n
			}
		}
	}
	return total
}
