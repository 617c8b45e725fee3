package console

import (
	"context"
	"encoding/json"
	"fmt"
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
	s := c.writer(w, r)
	if s == nil {
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
				c.confirmCut(w, r, s.user, lost)
				return
			}
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	what := ""
	err := func() error {
		cl, err := client.DialAs(ctx, src, s.user, s.password.Reveal())
		if err != nil {
			return err
		}
		defer cl.Close()
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

// confirmPage is the page that asks before a command that would cut
// loads' last supply path.
type confirmPage struct {
	*base
	Cmd, UPS, Source string
	Lost             []chain.Load
	Back             string
}

// confirmCut answers a command that would leave loads without power: a
// page that lists them and asks to confirm (the same request with
// confirm=1), or for a script 409 Conflict with the loads as JSON.
func (c *Console) confirmCut(w http.ResponseWriter, r *http.Request, user string, lost []chain.Load) {
	src, ups, cmd := r.FormValue("source"), r.FormValue("ups"), r.FormValue("cmd")
	if r.Header.Get("Accept") == "application/json" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		json.NewEncoder(w).Encode(map[string]any{"error": cmd + " on " + ups + " would cut the last healthy supply path of these loads; send confirm=1 to run it",
			"loads_lost": lost})
		return
	}
	snap := c.snapshot(r.Context())
	p := confirmPage{base: &base{Title: "Confirm " + cmd, CSRF: r.FormValue("csrf"), User: user, Snap: snap, Version: snap.Version},
		Cmd: cmd, UPS: ups, Source: src, Lost: lost, Back: "/device?" + url.Values{"source": {src}, "ups": {ups}}.Encode()}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := c.tmpl.ExecuteTemplate(w, "confirm.html", p); err != nil {
		c.log.Error("rendering a page failed", "page", "confirm", "err", err)
	}
}
