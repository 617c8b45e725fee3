//go:build !linux

package usbhid

import (
	"context"
	"errors"
)

// Hidraw is Linux's hidraw; elsewhere it finds nothing.
type Hidraw struct {
	Sys, Dev string
}

var errNoHidraw = errors.New("usbhid-ups: hidraw is Linux only")

// Devices reports that there is no hidraw here.
func (Hidraw) Devices(context.Context) ([]Device, error) { return nil, errNoHidraw }

// Open reports that there is no hidraw here.
func (Hidraw) Open(context.Context, Device) (Transport, error) { return nil, errNoHidraw }
