package console

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/powerchain/powerchain/chain"
	"github.com/powerchain/powerchain/client"
)

// control runs SET VAR or INSTCMD on the device's server as the logged-in
// user: the server's own rights decide.
func (c *Console) control(w http.ResponseWriter, r *http.Request) {
	s := c.sessionOf(r)
	switch {
	case s == nil:
		http.Error(w, "log in first", http.StatusUnauthorized)
		return
	case !checkCSRF(r):
		http.Error(w, "bad or missing CSRF token", http.StatusForbidden)
		return
	}
	src, ups := r.FormValue("source"), r.FormValue("ups")
	if !c.Poller.Known(src) {
		http.Error(w, "unknown source", http.StatusBadRequest)
		return
	}
	for _, k := range []string{"ups", "cmd", "var", "value"} {
		if err := client.CheckWord(r.FormValue(k)); err != nil {
			http.Error(w, k+": "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	// A command that would cut a load's last healthy supply path runs
	// only once the user has seen which loads and confirmed.
	if cmd := r.FormValue("cmd"); strings.HasSuffix(r.URL.Path, "/cmd") && r.FormValue("confirm") == "" {
		if snap := c.Poller.Last(); snap != nil && snap.Graph != nil {
			if lost := snap.Graph.LastPaths(ups+"@"+src, cmd); len(lost) > 0 {
				confirmCut(w, r, lost)
				return
			}
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	what := ""
	err := func() error {
		cl, err := client.Dial(ctx, src)
		if err != nil {
			return err
		}
		defer cl.Close()
		if err := cl.Authenticate(ctx, s.user, s.password.Reveal()); err != nil {
			return err
		}
		if strings.HasSuffix(r.URL.Path, "/cmd") {
			what = "INSTCMD " + r.FormValue("cmd")
			return cl.InstCmd(ctx, ups, r.FormValue("cmd"))
		}
		what = fmt.Sprintf("SET %s = %q", r.FormValue("var"), r.FormValue("value"))
		return cl.Set(ctx, ups, r.FormValue("var"), r.FormValue("value"))
	}()
	ev := Event{At: time.Now(), Source: src, Device: ups, Kind: "control", Message: fmt.Sprintf("%s by %s", what, s.user)}
	if err != nil {
		ev.Message += ": " + err.Error()
	}
	c.addEvents(context.Background(), []Event{ev})
	c.log.Info("console control", "user", s.user, "source", src, "ups", ups, "what", what, "err", err)
	back := url.Values{"source": {src}, "ups": {ups}}
	if err != nil {
		if r.Header.Get("Accept") == "application/json" {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		back.Set("error", err.Error())
		http.Redirect(w, r, "/device?"+back.Encode(), http.StatusSeeOther)
		return
	}
	go func() { // show the result soon
		time.Sleep(300 * time.Millisecond)
		c.Poller.Refresh(context.Background())
	}()
	if r.Header.Get("Accept") == "application/json" {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintln(w, `{"ok":true}`)
		return
	}
	http.Redirect(w, r, "/device?"+back.Encode(), http.StatusSeeOther)
}

var confirmPage = template.Must(template.New("confirm").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Confirm {{.Cmd}} — powerchain</title></head>
<body><h1>Confirm {{.Cmd}} on {{.UPS}}</h1>
<p>These loads would lose their last healthy supply path:</p>
<ul id="confirm-loads">{{range .Lost}}<li data-load="{{.Name}}">{{.Name}} ({{.Healthy}} of {{len .Paths}} supply paths healthy now)</li>{{end}}</ul>
<form method="post" action="/api/cmd" id="confirm-form"><input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="source" value="{{.Source}}"><input type="hidden" name="ups" value="{{.UPS}}"><input type="hidden" name="cmd" value="{{.Cmd}}"><input type="hidden" name="confirm" value="1"><button id="confirm">{{.Cmd}} anyway</button></form>
<p><a id="cancel" href="{{.Back}}">Cancel</a></p></body></html>
`))

// confirmCut answers a command that would leave loads without power: a
// page that lists them and asks to confirm (the same request with
// confirm=1), or for a script 409 Conflict with the loads as JSON.
func confirmCut(w http.ResponseWriter, r *http.Request, lost []chain.Load) {
	src, ups, cmd := r.FormValue("source"), r.FormValue("ups"), r.FormValue("cmd")
	if r.Header.Get("Accept") == "application/json" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		json.NewEncoder(w).Encode(map[string]any{"error": cmd + " on " + ups + " would cut the last healthy supply path of these loads; send confirm=1 to run it",
			"loads_lost": lost})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	confirmPage.Execute(w, map[string]any{"Cmd": cmd, "UPS": ups, "Source": src, "CSRF": r.FormValue("csrf"), "Lost": lost,
		// url.Values encodes both, so the link is safe as it is.
		"Back": template.URL("/device?" + url.Values{"source": {src}, "ups": {ups}}.Encode())})
}
