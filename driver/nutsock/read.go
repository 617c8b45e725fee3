package nutsock

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/powerchain/powerchain/device"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/internal/parseconf"
)

// Bounds on what is read from a socket peer (NUT's lines are at most a
// few hundred bytes; a variable has a handful of enumerations).
const (
	MaxLine  = 16 << 10 // bytes per line
	MaxEnums = 1000     // enumerations and ranges of one variable
)

// lineReader reads protocol lines of at most MaxLine bytes and splits
// them into words as NUT does.
type lineReader struct{ r *bufio.Reader }

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, MaxLine)}
}

// next returns the words of the next line that has any; a line longer
// than MaxLine is an error.
func (l *lineReader) next() ([]string, error) {
	for {
		line, err := l.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("line longer than %d bytes", MaxLine)
		}
		if err != nil {
			return nil, err
		}
		words, perr := parseconf.SplitLine(strings.TrimRight(string(line), "\r\n"))
		if perr == nil && len(words) > 0 {
			return words, nil
		}
	}
}

// lineBuffered reports whether a whole line is already read (no wait
// for the next).
func (l *lineReader) lineBuffered() bool {
	b, _ := l.r.Peek(l.r.Buffered())
	return bytes.IndexByte(b, '\n') >= 0
}

// checkLimits tells whether a device fed by a driver has grown beyond
// driver.MaxVars variables, driver.MaxCmds commands, or MaxEnums
// enumerations and ranges of one of the named variables.
func checkLimits(s *device.Snapshot, touched map[string]bool) error {
	if len(s.Vars) > driver.MaxVars {
		return fmt.Errorf("more than %d variables", driver.MaxVars)
	}
	if len(s.Cmds) > driver.MaxCmds {
		return fmt.Errorf("more than %d instant commands", driver.MaxCmds)
	}
	for name := range touched {
		if v, ok := s.Var(name); ok && len(v.Enum)+len(v.Ranges) > MaxEnums {
			return fmt.Errorf("%s: more than %d enumerations and ranges", name, MaxEnums)
		}
	}
	return nil
}
