package console

import (
	"context"
	"math"
	"sort"
	"strconv"
	"time"
)

// chartSeries is one line of a chart: a history variable, its label
// and unit, and the factor that turns the stored value into the unit.
type chartSeries struct {
	Var, Label, Unit string
	Scale            float64
}

// chartDef is one chart: variables that belong together.
type chartDef struct {
	ID, Title string
	Series    []chartSeries
}

// chartDefs are the device page's charts; their variables are the ones
// the history keeps (HistoryVars).
var chartDefs = []chartDef{
	{"battery", "Battery", []chartSeries{{"battery.charge", "Charge", "%", 1}, {"battery.runtime", "Runtime", "min", 1.0 / 60}}},
	{"voltage", "Voltage", []chartSeries{{"input.voltage", "Input", "V", 1}, {"output.voltage", "Output", "V", 1}}},
	{"load", "Load", []chartSeries{{"ups.load", "Load", "%", 1}}},
	{"power", "Real power", []chartSeries{{"ups.realpower", "Output", "W", 1}, {"input.realpower", "Input", "W", 1}, {"outlet.realpower", "Outlets", "W", 1}}},
	{"frequency", "Frequency", []chartSeries{{"input.frequency", "Input", "Hz", 1}}},
}

// totalChart draws a power total (a site, a chain, a host).
var totalChart = chartDef{"total", "Real power", []chartSeries{{"realpower", "Real power", "W", 1}}}

// HistoryVars are the variables kept over time: those of the charts.
var HistoryVars = func() []string {
	var out []string
	for _, c := range chartDefs {
		for _, s := range c.Series {
			out = append(out, s.Var)
		}
	}
	return out
}()

// chartRanges are the ranges a chart offers, by name.
var chartRanges = []struct {
	Name string
	D    time.Duration
}{{"1h", time.Hour}, {"24h", 24 * time.Hour}, {"7d", 7 * 24 * time.Hour}, {"30d", 30 * 24 * time.Hour}}

// rangeOf reads a range name (24 h when unknown).
func rangeOf(name string) (string, time.Duration) {
	for _, r := range chartRanges {
		if r.Name == name {
			return r.Name, r.D
		}
	}
	return "24h", 24 * time.Hour
}

// chartLine is one series of a chart's data, with its figures over the
// range (nil when it has no point).
type chartLine struct {
	Var    string     `json:"var"`
	Label  string     `json:"label"`
	Unit   string     `json:"unit"`
	Values []*float64 `json:"values"`
	Min    *float64   `json:"min"`
	Max    *float64   `json:"max"`
	Last   *float64   `json:"last"`
}

// chartData is a chart's data as the page's script draws it: times
// (Unix seconds), one value per time for each series (null for a gap),
// and the outages to shade.
type chartData struct {
	ID      string      `json:"id"`
	Title   string      `json:"title"`
	From    int64       `json:"from"`
	To      int64       `json:"to"`
	Step    int64       `json:"step"`
	T       []int64     `json:"t"`
	Series  []chartLine `json:"series"`
	Outages [][2]int64  `json:"outages"`
	// Src is where the page's script asks for other ranges.
	Src string `json:"-"`
}

// Empty reports whether no series has a point.
func (c *chartData) Empty() bool { return len(c.T) == 0 }

// chart reads a chart's data for a device (or a power total: source
// powerSource) between from and to; outages are those of the devices
// named (name@source).
func (s *Store) chart(ctx context.Context, def chartDef, source, device string, from, to time.Time, outageOf []string) (*chartData, error) {
	cd := &chartData{ID: def.ID, Title: def.Title, From: from.Unix(), To: to.Unix(), T: []int64{}, Series: []chartLine{}, Outages: [][2]int64{}}
	type col struct {
		line chartLine
		at   map[int64]float64
	}
	var cols []*col
	times := map[int64]bool{}
	var step time.Duration
	for _, sd := range def.Series {
		h, err := s.History(ctx, source, device, sd.Var, from, to)
		if err != nil {
			return nil, err
		}
		step = h.Step
		if len(h.Points) == 0 {
			continue
		}
		c := &col{line: chartLine{Var: sd.Var, Label: sd.Label, Unit: sd.Unit}, at: map[int64]float64{}}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range h.Points {
			t := p.At.Unix()
			c.at[t] = round2(p.Value * sd.Scale)
			times[t] = true
			lo, hi = math.Min(lo, p.Min*sd.Scale), math.Max(hi, p.Max*sd.Scale)
		}
		last := round2(h.Points[len(h.Points)-1].Value * sd.Scale)
		lo, hi = round2(lo), round2(hi)
		c.line.Min, c.line.Max, c.line.Last = &lo, &hi, &last
		cols = append(cols, c)
	}
	cd.Step = int64(step / time.Second)
	if len(cols) == 0 {
		return cd, nil
	}
	for t := range times {
		cd.T = append(cd.T, t)
	}
	sort.Slice(cd.T, func(i, j int) bool { return cd.T[i] < cd.T[j] })
	// A gap longer than three steps (or, for samples, three times the
	// usual interval) breaks the lines.
	gap := cd.Step * 3
	if gap == 0 {
		gap = int64(s.Interval/time.Second) * 3
		if gap < 15 {
			gap = 15
		}
	}
	var ts []int64
	for i, t := range cd.T {
		if i > 0 && t-cd.T[i-1] > gap {
			ts = append(ts, cd.T[i-1]+1)
		}
		ts = append(ts, t)
	}
	cd.T = ts
	for _, c := range cols {
		c.line.Values = make([]*float64, len(ts))
		for i, t := range ts {
			if v, ok := c.at[t]; ok {
				c.line.Values[i] = &v
			}
		}
		cd.Series = append(cd.Series, c.line)
	}
	if len(outageOf) > 0 {
		out, err := s.Outages(ctx, outageOf, from, to)
		if err != nil {
			return nil, err
		}
		for _, iv := range out {
			cd.Outages = append(cd.Outages, [2]int64{iv.From.Unix(), iv.To.Unix()})
		}
	}
	return cd, nil
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// fmtNum writes a chart figure: no decimals from 100 on, else up to two.
func fmtNum(p *float64) string {
	if p == nil {
		return "–"
	}
	v := *p
	if math.Abs(v) >= 100 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
