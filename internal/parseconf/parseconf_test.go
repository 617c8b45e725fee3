package parseconf

import (
	"reflect"
	"testing"
)

func TestSplitLine(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{`GET VAR ups1 ups.status`, []string{"GET", "VAR", "ups1", "ups.status"}, false},
		{`SET VAR ups1 ups.id "my \"id\" \\ here"`, []string{"SET", "VAR", "ups1", "ups.id", `my "id" \ here`}, false},
		{`PASSWORD "a # b"`, []string{"PASSWORD", "a "}, true},
		{"", nil, false},
	}
	for _, tt := range tests {
		got, err := SplitLine(tt.in)
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitLine(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, s := range []string{"plain", `q"uote`, `back\slash`, "has # hash", ""} {
		got, err := SplitLine(`X "` + Encode(s) + `"`)
		if err != nil || len(got) != 2 || got[1] != s {
			t.Errorf("Encode(%q) reads back as %q, %v", s, got, err)
		}
	}
}
