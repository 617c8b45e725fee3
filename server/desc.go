package server

import (
	"os"

	"github.com/powerchain/powerchain/internal/parseconf"
)

// DefaultDescFile is where Debian's NUT installs its descriptions.
const DefaultDescFile = "/usr/share/nut/cmdvartab"

// Descriptions are the human descriptions of variables and commands that
// GET DESC and GET CMDDESC return, read from NUT's cmdvartab file.
type Descriptions struct {
	vars, cmds map[string]string
}

// LoadDescriptions reads a cmdvartab file ("" = DefaultDescFile). A missing
// file gives empty descriptions, as NUT's upsd does.
func LoadDescriptions(path string) *Descriptions {
	if path == "" {
		path = DefaultDescFile
	}
	d := &Descriptions{vars: map[string]string{}, cmds: map[string]string{}}
	src, err := os.ReadFile(path)
	if err != nil {
		return d
	}
	for _, l := range parseconf.Tokenize(src) {
		if len(l.Args) != 3 || l.Err != "" {
			continue
		}
		switch l.Args[0] {
		case "VARDESC":
			d.vars[l.Args[1]] = l.Args[2]
		case "CMDDESC":
			d.cmds[l.Args[1]] = l.Args[2]
		}
	}
	return d
}

// Var returns a variable's description, or NUT's "Description unavailable".
func (d *Descriptions) Var(name string) string {
	if s, ok := d.vars[name]; ok {
		return s
	}
	return "Description unavailable"
}

// Cmd returns a command's description, or NUT's "Description unavailable".
func (d *Descriptions) Cmd(name string) string {
	if s, ok := d.cmds[name]; ok {
		return s
	}
	return "Description unavailable"
}
