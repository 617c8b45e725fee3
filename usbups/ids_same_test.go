package usbups

import "testing"

// TestIDsMatchGo is the proof that ids.tab says what table.go said.
func TestIDsMatchGo(t *testing.T) {
	ids, err := parseIDs("ids.tab", idsTab)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(table) {
		t.Errorf("%d devices, want %d", len(ids), len(table))
	}
	for i := range min(len(ids), len(table)) {
		if ids[i] != table[i] {
			t.Errorf("device %d: %+v, want %+v", i+1, ids[i], table[i])
		}
	}
}
