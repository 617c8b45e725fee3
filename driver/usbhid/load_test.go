package usbhid

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoadErrors: a broken table is an error naming its file and line,
// never a half-read subdriver.
func TestLoadErrors(t *testing.T) {
	const common = "lookup online_info 1 online\nlookup online_info 0 !online\n"
	const head = "subdriver apc version=\"APC HID 0.98\"\n"
	for _, tc := range []struct{ name, file, src, want string }{
		{"ok", "apc", head + "status UPS.PowerSummary.ACPresent lookup=online_info\n", ""},
		{"unknown kind", "apc", head + "row battery.charge UPS.PowerSummary.RemainingCapacity\n", `tables/apc.tab:2: row: unknown record kind`},
		{"unknown attribute", "apc", head + "var battery.charge UPS.PowerSummary.RemainingCapacity fmt=%.0f\n", `tables/apc.tab:2: var: unknown attribute "fmt"`},
		{"attribute of another kind", "apc", head + "cmd beeper.on UPS.PowerSummary.AudibleAlarmControl value=2 len=3\n", `tables/apc.tab:2: cmd: unknown attribute "len"`},
		{"unknown flag", "apc", head + "var battery.charge UPS.PowerSummary.RemainingCapacity flags=quick,fast\n", `tables/apc.tab:2: var: unknown flag "fast"`},
		{"undefined lookup", "apc", head + "status UPS.PowerSummary.ACPresent lookup=onlien_info\n", `tables/apc.tab:2: status: undefined lookup "onlien_info"`},
		{"status without lookup", "apc", head + "status UPS.PowerSummary.ACPresent\n", `tables/apc.tab:2: status: missing lookup=`},
		{"unknown usage", "apc", head + "var battery.charge UPS.PowerSummary.RemainingKapacity format=%.0f\n", `tables/apc.tab:2: var: hid: path "UPS.PowerSummary.RemainingKapacity": unknown usage "RemainingKapacity"`},
		{"unknown function", "apc", "subdriver apc version=1 setup=apcSetupp\n", `tables/apc.tab:1: subdriver: setup=apcSetupp: no such function`},
		{"another subdriver's function", "apc", "subdriver apc version=1 setup=cpsSetup\n", `tables/apc.tab:1: subdriver: setup=cpsSetup: no such function`},
		{"function of the wrong kind", "apc", "subdriver apc version=1 setup=apcFormat fix=apcDate\n", `tables/apc.tab:1: subdriver: fix=apcDate: a func(*usbhid.Conv, float64) (string, bool) is not a fix function`},
		{"unknown conversion", "apc", head + "lookup d fun=apcDat\nvar battery.date UPS.PowerSummary.ManufacturerDate lookup=d\n", `tables/apc.tab:2: lookup: fun=apcDat: no such function`},
		{"two conversions", "apc", head + "lookup d fun=apcDate\nlookup d mask=1 word=x\nvar battery.date UPS.PowerSummary.ManufacturerDate lookup=d\n", `tables/apc.tab:3: lookup: d has a conversion already`},
		{"mask without word", "apc", head + "lookup d mask=1\nstatus UPS.PowerSummary.ACPresent lookup=d\n", `tables/apc.tab:2: lookup: missing word=`},
		{"bad pair", "apc", head + "lookup d one online\nstatus UPS.PowerSummary.ACPresent lookup=d\n", `tables/apc.tab:2: lookup: value "one" is not an integer`},
		{"unused lookup", "apc", head + "lookup d 1 x\n", `tables/apc.tab:2: lookup d: no row uses it`},
		{"common redefined", "apc", head + "lookup online_info 1 x\n", `tables/apc.tab:2: lookup: online_info is tables/common.tab's (at tables/common.tab:1): a subdriver does not redefine it`},
		{"no subdriver record", "apc", "usage X 0xff000001\n", `tables/apc.tab: the first record must be "subdriver apc"`},
		{"misnamed", "apc", "subdriver cps version=1\n", `tables/apc.tab:1: subdriver: subdriver "cps" in apc.tab: the file is named after its subdriver`},
		{"two subdriver records", "apc", head + head, `tables/apc.tab:2: subdriver: a second subdriver record (the first is at tables/apc.tab:1)`},
		{"no version", "apc", "subdriver apc\n", `tables/apc.tab:1: subdriver: missing version=`},
		{"bad usage", "apc", head + "usage X 0xfff0000g\n", `tables/apc.tab:2: usage: usage "0xfff0000g" is not an integer`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				commonTable:                  {Data: []byte(common)},
				"tables/" + tc.file + ".tab": {Data: []byte(tc.src)},
			}
			subs, err := loadSubdrivers(fsys)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want == "" && len(subs) != 1:
				t.Fatalf("%d subdrivers", len(subs))
			case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
				t.Errorf("error %v,\nwant %s", err, tc.want)
			}
		})
	}
}

// TestLoadCommonErrors: common.tab holds lookups only.
func TestLoadCommonErrors(t *testing.T) {
	fsys := fstest.MapFS{commonTable: {Data: []byte("lookup a 1 x\nusage X 0xff000001\n")}}
	_, err := loadSubdrivers(fsys)
	if want := "tables/common.tab:2: usage: only lookups belong in tables/common.tab"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}
