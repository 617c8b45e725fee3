package console

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/powerchain/powerchain/chain"
)

// apiRoutes adds the JSON API (docs/api.md), the event stream and the
// notification endpoint.
func (c *Console) apiRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/sources", c.api(func(r *http.Request, s *Snapshot) (any, error) { return nonNil(s.Sources), nil }))
	mux.HandleFunc("GET /api/devices", c.api(func(r *http.Request, s *Snapshot) (any, error) { return nonNil(s.Devices), nil }))
	mux.HandleFunc("GET /api/device", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		if d := s.Device(r.FormValue("source"), r.FormValue("ups")); d != nil {
			return d, nil
		}
		return nil, errNotFound
	}))
	mux.HandleFunc("GET /api/chain", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		nodes := map[string]chainNode{}
		if s.Graph != nil {
			for id, n := range s.Graph.Nodes {
				nodes[id] = nodeJSON(n)
			}
		}
		return chainJSON{Nodes: nodes, Loads: nonNil(s.Loads)}, nil
	}))
	mux.HandleFunc("GET /api/whatif", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		if s.Graph == nil {
			return []chain.Load{}, nil
		}
		return nonNil(s.Graph.WhatIf(r.FormValue("device"))), nil
	}))
	mux.HandleFunc("GET /api/power", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		if p := s.Power(); p != nil {
			return p, nil
		}
		return &powerUse{Devices: []powerRow{}, Chains: []powerRow{}, Hosts: []powerRow{}, Sites: []powerRow{}}, nil
	}))
	mux.HandleFunc("GET /api/events", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		f, _, _ := c.eventFilter(r, s)
		if r.FormValue("range") == "" {
			f.From = time.Time{}
		}
		return c.events(r.Context(), f)
	}))
	mux.HandleFunc("GET /api/history", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		if c.store == nil {
			return []Point{}, nil
		}
		from, to := timeRange(r)
		h, err := c.store.History(r.Context(), r.FormValue("source"), r.FormValue("ups"), r.FormValue("var"), from, to)
		return nonNil(h.Points), err
	}))
	mux.HandleFunc("GET /api/chart", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		if c.store == nil {
			return nil, errNotFound
		}
		from, to := timeRange(r)
		if total := r.FormValue("total"); total != "" {
			var roots []string
			if p := s.Power(); p != nil {
				roots, _ = p.totalOf(total)
			}
			cd, err := c.store.chart(r.Context(), totalChart, powerSource, total, from, to, roots)
			if cd != nil {
				cd.ID = total
			}
			return cd, err
		}
		for _, def := range chartDefs {
			if def.ID == r.FormValue("chart") {
				id := r.FormValue("ups") + "@" + r.FormValue("source")
				return c.store.chart(r.Context(), def, r.FormValue("source"), r.FormValue("ups"), from, to, ancestors(s.Graph, id))
			}
		}
		return nil, errNotFound
	}))
	mux.HandleFunc("GET /api/stream", c.stream)
	mux.HandleFunc("POST /api/notify", c.notify)
}

// chainJSON is what /api/chain answers.
type chainJSON struct {
	Nodes map[string]chainNode `json:"nodes"`
	Loads []chain.Load         `json:"loads"`
}

// chainNode is a chain.Node as the API writes it (docs/api.md).
type chainNode struct {
	ID       string         `json:"id"`
	Name     string         `json:"name"`
	Server   string         `json:"server"`
	Desc     string         `json:"desc,omitempty"`
	Type     string         `json:"type"`
	Status   string         `json:"status"`
	Host     string         `json:"host,omitempty"`
	Parent   string         `json:"parent"`
	ParentID string         `json:"parent_id"`
	Outlets  map[int]string `json:"outlets"`
	Stale    bool           `json:"stale"`
	Error    string         `json:"error,omitempty"`
}

func nodeJSON(n *chain.Node) chainNode {
	out := chainNode{ID: n.ID, Name: n.Name, Server: n.Server, Desc: n.Desc, Type: n.Type, Status: n.Status, Host: n.Host,
		Parent: n.Parent.String(), ParentID: n.ParentID, Outlets: n.Outlets, Stale: n.Stale, Error: n.Err}
	if out.Outlets == nil {
		out.Outlets = map[int]string{}
	}
	return out
}

// timeRange reads a request's time range: from and to (Unix seconds),
// or range (1h, 24h, 7d, 30d; 24h by default) up to now.
func timeRange(r *http.Request) (time.Time, time.Time) {
	now := time.Now()
	_, d := rangeOf(r.FormValue("range"))
	from, to := now.Add(-d), now
	if v, err := strconv.ParseInt(r.FormValue("from"), 10, 64); err == nil {
		from = time.Unix(v, 0)
	}
	if v, err := strconv.ParseInt(r.FormValue("to"), 10, 64); err == nil {
		to = time.Unix(v, 0)
	}
	if !to.After(from) {
		to = from.Add(time.Minute)
	}
	return from, to
}

var errNotFound = errors.New("not found")

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// api answers with fn's value as JSON, from the latest snapshot.
func (c *Console) api(fn func(*http.Request, *Snapshot) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r, c.snapshot(r.Context()))
		w.Header().Set("Content-Type", "application/json")
		switch {
		case errors.Is(err, errNotFound):
			w.WriteHeader(http.StatusNotFound)
			json.NewEncoder(w).Encode(map[string]string{"error": "not found"})
			return
		case err != nil:
			w.WriteHeader(http.StatusInternalServerError)
			json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(v)
	}
}

// events returns the events a filter selects, newest first.
func (c *Console) events(ctx context.Context, f EventFilter) ([]Event, error) {
	if c.store == nil {
		return []Event{}, nil
	}
	evs, err := c.store.Events(ctx, f)
	return nonNil(evs), err
}

// addEvents records events and tells the open pages.
func (c *Console) addEvents(ctx context.Context, evs []Event) error {
	if len(evs) == 0 {
		return nil
	}
	if c.store != nil {
		if err := c.store.AddEvents(ctx, evs); err != nil {
			return err
		}
	}
	c.eventsVersion.Add(1)
	return nil
}

// stream sends a "refresh" event (SSE) after every poll and every new
// event; open pages then ask for what changed (see live).
func (c *Console) stream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	ch := make(chan string, 4)
	c.mu.Lock()
	c.subs[ch] = struct{}{}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.subs, ch)
		c.mu.Unlock()
	}()
	fmt.Fprint(w, ": powerchain\n\n")
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-ch:
			fmt.Fprintf(w, "event: %s\ndata: {}\n\n", msg)
			fl.Flush()
		}
	}
}

func (c *Console) broadcast(msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ch := range c.subs {
		select {
		case ch <- msg:
		default:
		}
	}
}

// notify records a monitor's notification (upsmon's NOTIFYCMD running
// "powerchain console-notify"): loopback callers only, form fields type,
// ups, message, host.
func (c *Console) notify(w http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		http.Error(w, "notifications are taken from loopback only", http.StatusForbidden)
		return
	}
	typ, ups, msg := r.FormValue("type"), r.FormValue("ups"), r.FormValue("message")
	if typ == "" || len(typ) > 32 || len(ups) > 256 || len(msg) > 1024 {
		http.Error(w, "want type (≤ 32), ups, message", http.StatusBadRequest)
		return
	}
	ev := Event{At: time.Now(), Source: r.FormValue("host"), Device: ups, Kind: "notify", Message: typ + ": " + msg, Alarm: alarmNotifications[typ]}
	if err := c.addEvents(r.Context(), []Event{ev}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	c.broadcast("refresh")
	w.WriteHeader(http.StatusNoContent)
}

// ack records that the logged-in user acknowledged an alarm (form id,
// csrf, back: the page to return to).
func (c *Console) ack(w http.ResponseWriter, r *http.Request) {
	s := c.writer(w, r)
	switch {
	case s == nil:
		return
	case c.store == nil:
		http.Error(w, "no event history", http.StatusNotFound)
		return
	}
	id, err := strconv.ParseInt(r.FormValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "id: not an event", http.StatusBadRequest)
		return
	}
	err = c.store.Ack(r.Context(), id, s.user, time.Now())
	if err != nil && !errors.Is(err, errNoAlarm) {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err == nil {
		c.log.Info("console alarm acknowledged", "user", s.user, "event", id)
		c.eventsVersion.Add(1)
		c.broadcast("refresh")
	}
	if r.Header.Get("Accept") == "application/json" {
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintln(w, `{"ok":true}`)
		return
	}
	back := r.FormValue("back")
	if u, perr := url.Parse(back); perr != nil || u.Path != "/events" || u.Host != "" || u.Scheme != "" {
		back = "/events"
	}
	if err != nil {
		u, _ := url.Parse(back)
		q := u.Query()
		q.Set("error", err.Error())
		u.RawQuery = q.Encode()
		back = u.String()
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// eventsCSV writes the events the events page's filters select as CSV
// (newest first; a cell that a spreadsheet would read as a formula is
// prefixed with ').
func (c *Console) eventsCSV(w http.ResponseWriter, r *http.Request) {
	f, _, _ := c.eventFilter(r, c.snapshot(r.Context()))
	f.Limit = 100000
	evs, err := c.events(r.Context(), f)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="powerchain-events.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "source", "device", "kind", "alarm", "message", "status", "acknowledged_by", "acknowledged_at"})
	for _, e := range evs {
		ackAt := ""
		if !e.AckAt.IsZero() {
			ackAt = e.AckAt.Format(time.RFC3339)
		}
		cw.Write([]string{e.At.Format(time.RFC3339), cell(e.Source), cell(e.Device), e.Kind, strconv.FormatBool(e.Alarm), cell(e.Message), cell(e.Status), cell(e.AckBy), ackAt})
	}
	cw.Flush()
}

// cell keeps a CSV cell from being read as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
