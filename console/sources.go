package console

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/internal/parseconf"
)

// ReadSources reads a sources file: one NUT server a line,
// host[:port], optionally followed by where its devices stand,
// site=NAME and rack=NAME (quoted when they hold spaces: site="Paris
// DC1"), each a name as serve takes (conf.CheckPlace) in ASCII (the file
// is read with NUT's tokenizer, which drops other bytes); blank lines and
// # comments are ignored. A bad line is an error naming the file and line.
func ReadSources(path string) ([]string, map[string]Place, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n') // NUT's tokenizer drops a last line's lone word without one
	}
	var addrs []string
	places := map[string]Place{}
	for _, l := range parseconf.Tokenize(b) {
		if err := func() error {
			if l.Err != "" {
				return errors.New(l.Err)
			}
			if l.Dropped != "" {
				return fmt.Errorf("the line holds %s, which are not read", l.Dropped)
			}
			if len(l.Args) == 0 {
				return nil
			}
			addr, err := ParseSource(l.Args[0])
			if err != nil {
				return err
			}
			var p Place
			rest := l.Args[1:]
			for len(rest) > 0 {
				if len(rest) < 3 || rest[1] != "=" {
					return fmt.Errorf("want site=NAME or rack=NAME after the address, not %q", strings.Join(rest, " "))
				}
				switch rest[0] {
				case "site":
					p.Site = rest[2]
				case "rack":
					p.Rack = rest[2]
				default:
					return fmt.Errorf("unknown setting %q (site, rack)", rest[0])
				}
				if err := conf.CheckPlace(rest[2]); err != nil {
					return fmt.Errorf("%s: %w", rest[0], err)
				}
				rest = rest[3:]
			}
			addrs = append(addrs, addr)
			if p != (Place{}) {
				places[addr] = p
			}
			return nil
		}(); err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %w", path, l.Num, err)
		}
	}
	return addrs, places, nil
}
