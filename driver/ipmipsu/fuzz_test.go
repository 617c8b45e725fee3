package ipmipsu

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bougou/go-ipmi/pkg/types"

	"github.com/powerchain/powerchain/internal/ipmitest"
)

// emuRecords reads the SDRs and FRU data of ipmi_sim emulation scripts:
// testdata/bmc.emu (from the project's shared test data) and one that
// ipmitest makes for a supply with a voltage sensor.
func emuRecords(f testing.TB) (sdrs, frus [][]byte) {
	b, err := os.ReadFile("testdata/bmc.emu")
	if err != nil {
		f.Fatal(err)
	}
	made := time.Date(2021, 3, 4, 5, 6, 0, 0, time.UTC)
	emu := string(b) + ipmitest.Emu([]ipmitest.PSU{{FRU: 3, Instance: 3, Sensor: 0x60, VoltSensor: 0x62, Mfr: "DELTA",
		Model: "DPS-750AB-1 A", Serial: "5DMVL0B4D7K0PZ", Part: "754381-B21", Made: made, Watts: 750,
		VinLow: 90, VinHigh: 264, FreqLow: 47, FreqHigh: 63, Present: true}})
	for _, l := range strings.Split(emu, "\n") {
		w := strings.Fields(l)
		var hex []string
		switch {
		case len(w) > 2 && w[0] == "main_sdr_add":
			hex = w[2:]
		case len(w) > 5 && w[0] == "mc_add_fru_data" && w[4] == "data":
			hex = w[5:]
		default:
			continue
		}
		var rec []byte
		for _, h := range hex {
			n, err := strconv.ParseUint(h, 0, 8)
			if err != nil {
				f.Fatalf("%s: %v", l, err)
			}
			rec = append(rec, byte(n))
		}
		if w[0] == "main_sdr_add" {
			sdrs = append(sdrs, rec)
		} else {
			frus = append(frus, rec)
		}
	}
	return sdrs, frus
}

func printable(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f })
}

// FuzzFRU reads bytes as a BMC's FRU inventory data: no panic, and every
// value is printable.
func FuzzFRU(f *testing.F) {
	_, frus := emuRecords(f)
	for _, b := range frus {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		vals, err := fruValues(data)
		if err != nil {
			return
		}
		for _, kv := range vals {
			if kv[1] == "" || !printable(kv[1]) {
				t.Fatalf("%s = %q", kv[0], kv[1])
			}
		}
	})
}

// FuzzSDR reads bytes as a BMC's SDR repository (records one after the
// other, each as long as its header says) and finds a FRU's sensors in
// it, then converts a reading with them: no panic.
func FuzzSDR(f *testing.F) {
	sdrs, _ := emuRecords(f)
	var all []byte
	for _, r := range sdrs {
		all = append(all, r...)
	}
	for _, fru := range []uint8{1, 2, 3} {
		f.Add(all, fru, uint8(115))
	}
	for _, r := range sdrs {
		f.Add(r, uint8(1), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, fru, reading uint8) {
		var recs []*types.SDR
		for len(data) >= 5 {
			n := min(5+int(data[4]), len(data))
			if r, err := parseSDR(data[:n], 0); err == nil {
				recs = append(recs, r)
			}
			data = data[n:]
		}
		s, err := findSensors(recs, fru)
		if err != nil {
			return
		}
		if s.status == nil {
			t.Fatal("no status sensor and no error")
		}
		for _, f := range []*types.SDRFull{s.status, s.volts, s.amps} {
			if f != nil {
				_ = f.ConvertReading(reading)
			}
		}
	})
}

// TestFuzzSeeds: the seeds reach the deep paths (values read, sensors
// found), so that fuzzing starts from real records.
func TestFuzzSeeds(t *testing.T) {
	sdrs, frus := emuRecords(t)
	want := []string{"device.mfr=Delta device.model=DPS-1100EB device.serial=PSU0001 device.part=DPS-1100EB A device.mfr.date=03/01/24 - 00:00:00 ups.realpower.nominal=1100 input.voltage.minimum=90 input.voltage.maximum=264 input.frequency.low=47 input.frequency.high=63"}
	for i, b := range frus[:1] {
		vals, err := fruValues(b)
		var got []string
		for _, kv := range vals {
			got = append(got, kv[0]+"="+kv[1])
		}
		if err != nil || strings.Join(got, " ") != want[i] {
			t.Errorf("FRU %d: %v\n got %s\nwant %s", i, err, strings.Join(got, " "), want[i])
		}
	}
	var recs []*types.SDR
	for _, b := range sdrs {
		r, err := types.ParseSDR(b, 0)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	for fru, sensor := range map[uint8]uint8{1: 0x31, 2: 0x32, 3: 0x60} {
		s, err := findSensors(recs, fru)
		if err != nil || uint8(s.status.SensorNumber) != sensor {
			t.Errorf("FRU %d: %+v %v, want sensor %#x", fru, s, err, sensor)
		}
	}
}
