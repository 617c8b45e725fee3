package conf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretNeverShows(t *testing.T) {
	const pw = "hunter2-value"
	s := Secret(pw)
	type holder struct {
		User     string
		Password Secret
	}
	h := holder{"admin", s}
	var printed []string
	for _, format := range []string{"%s", "%v", "%+v", "%#v", "%q", "%x", "%X", "%d", "%10s"} {
		printed = append(printed, fmt.Sprintf(format, s), fmt.Sprintf(format, h), fmt.Sprintf(format, &h))
	}
	printed = append(printed, fmt.Sprint(s, h), fmt.Sprintln(s, []Secret{s}, map[string]Secret{"k": s}))
	var j bytes.Buffer
	enc := json.NewEncoder(&j)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"s": s, "h": h, "list": []Secret{s}}); err != nil {
		t.Fatal(err)
	}
	printed = append(printed, j.String())
	var logged bytes.Buffer
	for _, hd := range []slog.Handler{slog.NewTextHandler(&logged, nil), slog.NewJSONHandler(&logged, nil)} {
		slog.New(hd).Info("login", "password", s, "holder", h)
	}
	printed = append(printed, logged.String())
	for _, p := range printed {
		if strings.Contains(p, pw) || strings.Contains(p, fmt.Sprintf("%x", pw)) {
			t.Errorf("secret shown: %s", p)
		}
		if !strings.Contains(p, Hidden) {
			t.Errorf("no %s in %s", Hidden, p)
		}
	}
	if s.Reveal() != pw {
		t.Errorf("Reveal = %q", s.Reveal())
	}
}

func TestIsSecret(t *testing.T) {
	tests := []struct {
		file, key string
		i         int
		want      bool
	}{
		{UPSConfFile, "password", 0, true},
		{UPSConfFile, "authPassword", 0, true},
		{UPSConfFile, "privPassword", 0, true},
		{UPSConfFile, "community", 0, true},
		{UPSConfFile, "secName", 0, false},
		{UPSConfFile, "desc", 0, false},
		{UsersFile, "password", 0, true},
		{UsersFile, "PassWord", 0, true},
		{UsersFile, "actions", 0, false},
		{UpsmonConfFile, "MONITOR", 3, true},
		{UpsmonConfFile, "MONITOR", 2, false},
		{UpsmonConfFile, "CERTIDENT", 1, true},
		{UpsmonConfFile, "CERTIDENT", 0, false},
		{UpsdConfFile, "CERTIDENT", 1, true},
		{UpsdConfFile, "LISTEN", 0, false},
		{NutConfFile, "MODE", 0, false},
	}
	for _, tt := range tests {
		if got := IsSecret(tt.file, tt.key, tt.i); got != tt.want {
			t.Errorf("IsSecret(%s, %s, %d) = %v", tt.file, tt.key, tt.i, got)
		}
	}
	for _, k := range []string{"password", "community", "secName", "username", "login", "privPassword"} {
		if !DriverParameterHidden(k) {
			t.Errorf("DriverParameterHidden(%s) = false", k)
		}
	}
	if DriverParameterHidden("mibs") {
		t.Error("DriverParameterHidden(mibs) = true")
	}
}

// TestTypedViewsHoldSecrets: every password a typed view reads is a
// Secret, and entries show secret values hidden.
func TestTypedViewsHoldSecrets(t *testing.T) {
	users := ParseUsers(Parse("/x/upsd.users", []byte("[a]\n\tpassword = pw1\n")))
	mon := ParseUpsmonConf(Parse("/x/upsmon.conf", []byte("MONITOR u@h 1 mon pw2 primary\n")))
	upsd := ParseUpsdConf(Parse("/x/upsd.conf", []byte("CERTIDENT cert pw3\n")))
	for _, s := range []Secret{users.Users[0].Password, mon.Monitors[0].Password, upsd.CertIdent.Password} {
		if got := fmt.Sprint(s); got != Hidden {
			t.Errorf("typed view shows %q", got)
		}
	}
	e, _ := mon.File.Lookup("", "MONITOR")
	if got := e.ShownValue(); got != "u@h 1 mon "+Hidden+" primary" {
		t.Errorf("MONITOR shown as %q", got)
	}
}
