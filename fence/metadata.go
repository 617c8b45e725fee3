package fence

import (
	"encoding/xml"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/pflag"
)

// ParseArgs reads the command line (getopt style, as the official
// agents: -o off, --action=off, -n 3 …) into options.
func (a *Agent) ParseArgs(args []string) (Options, error) {
	fs := pflag.NewFlagSet(a.Name, pflag.ContinueOnError)
	fs.SortFlags = false
	vals := map[string]*string{}
	bools := map[string]*bool{}
	seenLong := map[string]bool{}
	for _, p := range a.params() {
		if p.Deprecated || seenLong[p.Long] {
			continue
		}
		seenLong[p.Long] = true
		if p.Type == "boolean" {
			bools[p.Name] = fs.BoolP(p.Long, p.Short, false, p.Desc)
		} else {
			vals[p.Name] = fs.StringP(p.Long, p.Short, "", p.Desc)
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	o := Options{}
	for name, v := range vals {
		long := ""
		for _, p := range a.params() {
			if p.Name == name {
				long = p.Long
			}
		}
		if fs.Changed(long) {
			o[name] = *v
		}
	}
	for name, b := range bools {
		if *b {
			o[name] = "1"
		}
	}
	return o, nil
}

type xmlAgent struct {
	XMLName   xml.Name       `xml:"resource-agent"`
	Name      string         `xml:"name,attr"`
	ShortDesc string         `xml:"shortdesc,attr"`
	LongDesc  string         `xml:"longdesc"`
	VendorURL string         `xml:"vendor-url"`
	Params    []xmlParameter `xml:"parameters>parameter"`
	Actions   []xmlAction    `xml:"actions>action"`
}

type xmlParameter struct {
	Name       string     `xml:"name,attr"`
	Unique     string     `xml:"unique,attr"`
	Required   string     `xml:"required,attr"`
	Obsoletes  string     `xml:"obsoletes,attr,omitempty"`
	Deprecated string     `xml:"deprecated,attr,omitempty"`
	Getopt     xmlGetopt  `xml:"getopt"`
	Content    xmlContent `xml:"content"`
	ShortDesc  xmlDesc    `xml:"shortdesc"`
}

type xmlGetopt struct {
	Mixed string `xml:"mixed,attr"`
}

type xmlContent struct {
	Type    string      `xml:"type,attr"`
	Default string      `xml:"default,attr,omitempty"`
	Options []xmlOption `xml:"option,omitempty"`
}

type xmlOption struct {
	Value string `xml:"value,attr"`
}

type xmlDesc struct {
	Lang string `xml:"lang,attr"`
	Text string `xml:",chardata"`
}

type xmlAction struct {
	Name      string `xml:"name,attr"`
	Automatic string `xml:"automatic,attr,omitempty"`
}

func (p Param) mixed() string {
	var s string
	if p.Short != "" {
		s = "-" + p.Short + ", "
	}
	s += "--" + p.Long
	if p.Arg != "" {
		s += "=[" + p.Arg + "]"
	}
	return s
}

// Metadata is the agent's description in the form official agents print
// for "-o metadata" (valid against fence-agents' metadata.rng).
func (a *Agent) Metadata() string {
	x := xmlAgent{Name: a.Name, ShortDesc: a.ShortDesc, LongDesc: a.LongDesc, VendorURL: a.VendorURL}
	ps := a.params()
	sort.SliceStable(ps, func(i, j int) bool { return order(ps[i]) < order(ps[j]) })
	for _, p := range ps {
		xp := xmlParameter{Name: p.Name, Unique: "0", Required: "0", Obsoletes: p.Obsoletes,
			Getopt: xmlGetopt{Mixed: p.mixed()}, Content: xmlContent{Type: p.Type, Default: p.Default},
			ShortDesc: xmlDesc{Lang: "en", Text: p.Desc}}
		if p.Required && !a.optional(p.Name) {
			xp.Required = "1"
		}
		if p.Deprecated {
			xp.Deprecated = "1"
		}
		if p.Type == "select" {
			for _, c := range p.Choices {
				xp.Content.Options = append(xp.Content.Options, xmlOption{c})
			}
		}
		if p.Type == "boolean" {
			xp.Content.Default = ""
		}
		x.Params = append(x.Params, xp)
	}
	for _, act := range Actions {
		xa := xmlAction{Name: act}
		if act == "on" {
			xa.Automatic = "0"
		}
		x.Actions = append(x.Actions, xa)
	}
	b, _ := xml.MarshalIndent(x, "", "\t")
	return xml.Header + string(b) + "\n"
}

// order puts the parameters as official agents do: alphabetical, with
// the housekeeping ones after the device's.
func order(p Param) string {
	switch p.Name {
	case "quiet", "verbose", "debug", "debug_file", "version", "help":
		return "1" + map[string]string{"quiet": "0", "verbose": "1", "debug": "2", "debug_file": "3", "version": "4", "help": "5"}[p.Name]
	case "delay", "login_timeout", "power_timeout", "power_wait", "retry_on":
		return "2" + p.Name
	}
	return "0" + p.Name
}

// documented lists the parameters --help and the manual show: all but
// the deprecated ones.
func (a *Agent) documented() []Param {
	var out []Param
	for _, p := range a.params() {
		if !p.Deprecated {
			out = append(out, p)
		}
	}
	return out
}

// defaultText is " (default X)", or nothing without a default.
func (p Param) defaultText() string {
	if p.Default == "" {
		return ""
	}
	return " (default " + p.Default + ")"
}

// Usage is the agent's help in plain text (--help), built from the
// metadata.
func (a *Agent) Usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s - %s\n\n%s\n\nParameters:\n", a.Name, a.ShortDesc, a.LongDesc)
	for _, p := range a.documented() {
		fmt.Fprintf(&b, "    %s\n        %s%s. stdin: %s\n", p.mixed(), p.Desc, p.defaultText(), p.Name)
	}
	fmt.Fprintf(&b, "\nActions: %s\n\nExit status: 0 success (status: plug on), 1 failure, 2 status: plug off.\n", strings.Join(Actions, ", "))
	return b.String()
}

// Manpage is the agent's manual page in roff (man -l shows it), built
// from the metadata as fence-agents builds its agents' pages; packages
// install it as NAME.8.
func (a *Agent) Manpage() string {
	var b strings.Builder
	fmt.Fprintf(&b, ".TH %s 8 \"\" \"powerchain\" \"System Manager's Manual\"\n", strings.ToUpper(roff(a.Name)))
	fmt.Fprintf(&b, ".SH NAME\n%s \\- %s\n", roff(a.Name), roff(a.ShortDesc))
	fmt.Fprintf(&b, ".SH DESCRIPTION\n%s\n", roff(a.LongDesc))
	fmt.Fprintf(&b, ".PP\nOptions are given on the command line, or on standard input one name=value per line (the name after \"stdin:\" below).\n")
	b.WriteString(".SH PARAMETERS\n")
	for _, p := range a.documented() {
		fmt.Fprintf(&b, ".TP\n.B %s\n%s%s. stdin: %s\n", roff(p.mixed()), roff(strings.TrimSuffix(p.Desc, ".")), roff(p.defaultText()), roff(p.Name))
	}
	fmt.Fprintf(&b, ".SH ACTIONS\n%s\n", roff(strings.Join(Actions, ", ")))
	b.WriteString(".SH \"EXIT STATUS\"\n0 success (status: plug on), 1 failure, 2 status: plug off.\n")
	return b.String()
}

// roff escapes text for a roff line: backslashes and hyphens, and a
// control character at the start.
func roff(s string) string {
	s = strings.ReplaceAll(s, "\\", "\\e")
	s = strings.ReplaceAll(s, "-", "\\-")
	s = strings.ReplaceAll(s, "\n", " ")
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = "\\&" + s
	}
	return s
}
