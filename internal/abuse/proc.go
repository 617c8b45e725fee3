package abuse

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
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

// CPUTime is the user and system CPU time the processes have used so
// far, from /proc/PID/stat.
func CPUTime(pids ...int) time.Duration {
	var ticks int64
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses and may
		// hold spaces: state is field 3, utime 14, stime 15.
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		k, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + k
	}
	return time.Duration(ticks) * (time.Second / 100) // USER_HZ is 100 on Linux
}

// IO is what the processes have read and written through system calls so
// far (rchar + wchar of /proc/PID/io): their sockets' bytes, for a
// process that touches no files.
func IO(pids ...int) (read, written int64) {
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n") {
			k, v, _ := strings.Cut(l, ": ")
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			switch k {
			case "rchar":
				read += n
			case "wchar":
				written += n
			}
		}
	}
	return read, written
}
