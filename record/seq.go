package record

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/conf"
)

// Seq writes what a device does as a dummy-ups sequence (.seq): the
// device whole first, as upsc lists it, then one step per second in
// which something changed: "TIMER n" (the whole seconds since the step
// before) and the variables that changed, a removed one as `name: ""`
// (dummy-ups removes a variable given an empty value). Changes within one
// second are one step with each variable's last value, the resolution of
// TIMER. Its methods are for one goroutine.
type Seq struct {
	w     *bufio.Writer
	start time.Time
	// state is the device as the file has it so far.
	state map[string]string
	// written is the second of the last step written (0: the dump).
	written int
	// pending is the step being gathered, at second pendingAt:
	// variable → value (nil: removed).
	pending   map[string]*string
	pendingAt int
	// Steps counts the TIMER steps written, Changes the variable lines
	// in them.
	Steps, Changes int
	// Skipped counts the variables left out because a .seq cannot hold
	// their value (a byte outside printable ASCII, a value too long).
	Skipped int
}

// NewSeq writes the header (comment lines) and the device whole, as it
// was at start.
func NewSeq(w io.Writer, header string, start time.Time, vars []client.Var) (*Seq, error) {
	s := &Seq{w: bufio.NewWriter(w), start: start, state: map[string]string{}}
	for _, l := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		fmt.Fprintf(s.w, "# %s\n", l)
	}
	for _, v := range vars {
		if s.line(v.Name, v.Value) {
			s.state[v.Name] = v.Value
		}
	}
	return s, s.w.Flush()
}

// second is the step a change at t belongs to: the nearest whole second
// since the start, and after the last step written (a TIMER is at least
// 1).
func (s *Seq) second(t time.Time) int {
	k := int((t.Sub(s.start) + time.Second/2) / time.Second)
	return max(k, s.written+1)
}

// Set records that a variable has a value from t on. A change in a later
// second than the step gathered writes that step first.
func (s *Seq) Set(t time.Time, name, value string) error {
	return s.change(t, name, &value)
}

// Delete records that a variable is gone from t on.
func (s *Seq) Delete(t time.Time, name string) error {
	if _, ok := s.state[name]; !ok && s.pending[name] == nil {
		return nil
	}
	return s.change(t, name, nil)
}

// Sync records the device whole as read at t: what differs from the
// file's state is set, what is missing removed.
func (s *Seq) Sync(t time.Time, vars []client.Var) error {
	seen := map[string]bool{}
	for _, v := range vars {
		seen[v.Name] = true
		if err := s.Set(t, v.Name, v.Value); err != nil {
			return err
		}
	}
	for _, name := range s.names() {
		if !seen[name] {
			if err := s.Delete(t, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// names lists the variables of the file's state and of the step being
// gathered.
func (s *Seq) names() []string {
	var out []string
	for n := range s.state {
		out = append(out, n)
	}
	for n, v := range s.pending {
		if _, ok := s.state[n]; !ok && v != nil {
			out = append(out, n)
		}
	}
	return out
}

func (s *Seq) change(t time.Time, name string, value *string) error {
	k := s.second(t)
	if s.pending != nil && k > s.pendingAt {
		if err := s.flushStep(); err != nil {
			return err
		}
		k = s.second(t)
	}
	if s.pending == nil {
		s.pending, s.pendingAt = map[string]*string{}, k
	}
	s.pending[name] = value
	return nil
}

// Flush writes the step gathered once its second is over at now (a
// change later in that second still belongs to it), so that the file
// follows the recording.
func (s *Seq) Flush(now time.Time) error {
	if s.pending == nil || int((now.Sub(s.start)+time.Second/2)/time.Second) <= s.pendingAt {
		return nil
	}
	return s.flushStep()
}

// flushStep writes the step gathered: TIMER and the variables whose value
// differs from the file's state (a variable set and set back within the
// step is left out; a step with nothing left is no step).
func (s *Seq) flushStep() error {
	var names []string
	for n, v := range s.pending {
		old, had := s.state[n]
		if v == nil && had || v != nil && (!had || old != *v) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	step := s.pending
	s.pending = nil
	if len(names) == 0 {
		return nil
	}
	fmt.Fprintf(s.w, "TIMER %d\n", s.pendingAt-s.written)
	s.written = s.pendingAt
	s.Steps++
	for _, n := range names {
		if v := step[n]; v == nil {
			delete(s.state, n)
			fmt.Fprintf(s.w, "%s: \"\"\n", n)
			s.Changes++
		} else if s.line(n, *v) {
			s.state[n] = *v
			s.Changes++
		}
	}
	return s.w.Flush()
}

// Close writes the step gathered and a last TIMER up to end, so that a
// replay holds the last state as long as the recording saw it.
func (s *Seq) Close(end time.Time) error {
	if s.pending != nil {
		if err := s.flushStep(); err != nil {
			return err
		}
	}
	if k := int((end.Sub(s.start) + time.Second/2) / time.Second); k > s.written {
		fmt.Fprintf(s.w, "TIMER %d\n", k-s.written)
		s.written = k
	}
	return s.w.Flush()
}

// line writes "name: value" as dummy-ups reads it back, or counts the
// variable as skipped when no line can hold its value.
func (s *Seq) line(name, value string) bool {
	enc, err := Value(value)
	if err != nil {
		s.Skipped++
		return false
	}
	fmt.Fprintf(s.w, "%s: %s\n", name, enc)
	return true
}

// Value writes a value for a .seq or .dev line so that dummy-ups (NUT's
// and powerchain's) reads back exactly that value: as upsc prints it
// when the words need nothing (single spaces, no quote, backslash, "#" or
// "="), else quoted through conf.Quote; empty is `""`.
func Value(v string) (string, error) {
	plain := v != "" && !strings.ContainsAny(v, "\"\\#=\t") && !strings.Contains(v, "  ") &&
		strings.TrimSpace(v) == v
	if plain {
		// conf.Quote refuses what NUT's files cannot hold.
		if _, err := conf.Quote(v, false); err != nil {
			return "", err
		}
		return v, nil
	}
	return conf.Quote(v, true)
}
