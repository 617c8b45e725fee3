package usbups

import (
	"strings"
	"testing"
)

// TestParseIDsErrors: a broken ids.tab is an error naming its line.
func TestParseIDsErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"ok", "maker APC\ndevice 051d:0002 usbhid-ups apc\n", ""},
		{"unknown kind", "vendor 051d APC\n", "t.tab:1: vendor: unknown record kind"},
		{"unknown attribute", "device 051d:0002 usbhid-ups apc maker=APC\n", `t.tab:1: device: unknown attribute "maker"`},
		{"bad id", "device 51d:0002 usbhid-ups apc\n", `t.tab:1: device: "51d:0002" is not VVVV:PPPP in hexadecimal`},
		{"not hex", "device 051d-0002 usbhid-ups apc\n", `t.tab:1: device: "051d-0002" is not VVVV:PPPP in hexadecimal`},
		{"no driver", "device 051d:0002\n", "t.tab:1: device: missing driver"},
		{"usbhid-ups without subdriver", "device 051d:0002 usbhid-ups\n", "t.tab:1: device: a usbhid-ups device names its subdrivers"},
		{"subdriver of another driver", "device 0665:5161 nutdrv_qx apc\n", `t.tab:1: device: subdrivers "apc" for nutdrv_qx: only usbhid-ups has subdrivers`},
		{"twice", "device 051d:0002 usbhid-ups apc\ndevice 051d:0002 usbhid-ups apc\n", "t.tab:2: device: 051d:0002 is at t.tab:1 already"},
		{"maker without name", "maker\n", "t.tab:1: maker: missing maker name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids, err := parseIDs("t.tab", []byte(tc.src))
			if tc.want == "" {
				if err != nil || len(ids) != 1 || ids[0] != (ID{Vendor: 0x051d, Product: 2, Driver: "usbhid-ups", Maker: "APC", Sub: "apc"}) {
					t.Errorf("%+v, %v", ids, err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %v, want %s", err, tc.want)
			}
		})
	}
}
