package console

import (
	"regexp"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/powerchain/powerchain/nut"
)

// Statuses are the ups.status flags always exported (0 or 1), as
// nut_exporter does by default.
var Statuses = []string{"OL", "OB", "LB", "HB", "RB", "CHRG", "DISCHRG", "BYPASS", "CAL", "OFF", "OVER", "TRIM", "BOOST", "FSD", "SD"}

var unsafeMetric = regexp.MustCompile(`[^a-zA-Z0-9_]`)

// collector exports the last snapshot with nut_exporter's names
// (network_ups_tools_<variable>, network_ups_tools_ups_status{flag},
// network_ups_tools_device_info) plus the power chain's.
type collector struct{ p *Poller }

func (c collector) Describe(ch chan<- *prometheus.Desc) {} // unchecked: names follow the devices

func (c collector) Collect(ch chan<- prometheus.Metric) {
	snap := c.p.Last()
	if snap == nil {
		return
	}
	labels := []string{"ups", "server"}
	for _, s := range snap.Sources {
		up := 0.0
		if s.OK {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(prometheus.NewDesc("powerchain_source_up", "Whether the last poll of a NUT server worked.", []string{"server"}, nil),
			prometheus.GaugeValue, up, s.Addr)
	}
	descs := map[string]*prometheus.Desc{}
	for _, d := range snap.Devices {
		for name, v := range d.Vars {
			f, ok := number(v)
			if !ok || strings.HasPrefix(name, "driver.") {
				continue
			}
			m := "network_ups_tools_" + unsafeMetric.ReplaceAllString(name, "_")
			desc, ok := descs[m]
			if !ok {
				desc = prometheus.NewDesc(m, "Value of "+name+" (NUT variable)", labels, nil)
				descs[m] = desc
			}
			ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, f, d.Name, d.Source)
		}
		if v, ok := d.Vars["ups.status"]; ok {
			st := nut.ParseStatus(v)
			for _, f := range Statuses {
				v := 0.0
				if st.HasWord(f) {
					v = 1
				}
				ch <- prometheus.MustNewConstMetric(prometheus.NewDesc("network_ups_tools_ups_status", "ups.status flags", []string{"ups", "server", "flag"}, nil),
					prometheus.GaugeValue, v, d.Name, d.Source, f)
			}
		}
		info := []string{"mfr", "model", "serial", "type", "description", "contact", "location", "part", "macaddr"}
		vals := []string{d.Name, d.Source}
		for _, k := range info {
			vals = append(vals, d.Vars["device."+k])
		}
		ch <- prometheus.MustNewConstMetric(prometheus.NewDesc("network_ups_tools_device_info", "UPS device information", append(labels, info...), nil),
			prometheus.GaugeValue, 1, vals...)
	}
	atRisk := 0.0
	for _, l := range snap.Loads {
		ch <- prometheus.MustNewConstMetric(prometheus.NewDesc("powerchain_load_paths_healthy", "Healthy supply paths of a load.", []string{"load"}, nil),
			prometheus.GaugeValue, float64(l.Healthy), l.Name)
		ch <- prometheus.MustNewConstMetric(prometheus.NewDesc("powerchain_load_paths", "Supply paths of a load.", []string{"load"}, nil),
			prometheus.GaugeValue, float64(len(l.Paths)), l.Name)
		if l.Health == "at-risk" {
			atRisk++
		}
	}
	ch <- prometheus.MustNewConstMetric(prometheus.NewDesc("powerchain_loads_at_risk", "Loads whose every supply path is impaired.", nil, nil),
		prometheus.GaugeValue, atRisk)
	ch <- prometheus.MustNewConstMetric(prometheus.NewDesc("powerchain_refresh_seconds", "Duration of the last refresh of all sources.", nil, nil),
		prometheus.GaugeValue, snap.Took.Seconds())
}
