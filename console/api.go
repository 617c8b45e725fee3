package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
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
		nodes := map[string]*chain.Node{}
		if s.Graph != nil && s.Graph.Nodes != nil {
			nodes = s.Graph.Nodes
		}
		return chainJSON{Nodes: nodes, Loads: nonNil(s.Loads)}, nil
	}))
	mux.HandleFunc("GET /api/whatif", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		return nonNil(s.Graph.WhatIf(r.FormValue("device"))), nil
	}))
	mux.HandleFunc("GET /api/power", c.api(func(r *http.Request, s *Snapshot) (any, error) { return powerOf(s), nil }))
	mux.HandleFunc("GET /api/events", c.api(func(r *http.Request, s *Snapshot) (any, error) { return c.events(r.Context(), 500) }))
	mux.HandleFunc("GET /api/history", c.api(func(r *http.Request, s *Snapshot) (any, error) {
		if c.store == nil {
			return []Point{}, nil
		}
		pts, err := c.store.History(r.Context(), r.FormValue("source"), r.FormValue("ups"), r.FormValue("var"), time.Now().Add(-24*time.Hour))
		return nonNil(pts), err
	}))
	mux.HandleFunc("GET /api/stream", c.stream)
	mux.HandleFunc("POST /api/notify", c.notify)
}

// chainJSON is what /api/chain answers.
type chainJSON struct {
	Nodes map[string]*chain.Node `json:"nodes"`
	Loads []chain.Load           `json:"loads"`
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

// events returns the newest n events.
func (c *Console) events(ctx context.Context, n int) ([]Event, error) {
	if c.store == nil {
		return []Event{}, nil
	}
	evs, err := c.store.Events(ctx, n)
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
	ev := Event{At: time.Now(), Source: r.FormValue("host"), Device: ups, Kind: "notify", Message: typ + ": " + msg}
	if err := c.addEvents(r.Context(), []Event{ev}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	c.broadcast("refresh")
	w.WriteHeader(http.StatusNoContent)
}
