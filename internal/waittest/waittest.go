// Package waittest waits, in tests and benchmarks, for what the code
// under test does in the background.
package waittest

import "time"

// Until polls cond every interval until it holds, for at most within,
// and reports whether it held.
func Until(within, every time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(every)
	}
	return true
}
