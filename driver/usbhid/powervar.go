package usbhid

import "github.com/powerchain/powerchain/hid"

// powervar: NUT 2.8.0 drivers/powervar-hid.c ("Powervar HID 0.20"). Facts (paths, usages,
// values) from NUT; the table is in this package's form.

var powervarSub = &Subdriver{
	Name:    "powervar",
	Version: "Powervar HID 0.20",
	Mfr:     "Powervar",
	Usages:  powervarUsages,
	Rows:    powervarRows,
	Iface:   1,
}

var powervarUsages = hid.Names{
	{Name: "POWERVAR1", Usage: 0xff000001},
}

var powervarRows = []Row{
	{Kind: Var, Name: "battery.type", Path: "UPS.PowerSummary.iDeviceChemistry", Lookup: stringidConversion},
	{Kind: Var, Name: "battery.charge", Path: "UPS.PowerSummary.RemainingCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.capacity", Path: "UPS.PowerSummary.FullChargeCapacity", Format: "%.0f"},
	{Kind: Var, Name: "battery.runtime", Path: "UPS.PowerSummary.RuntimeToEmpty", Format: "%.0f"},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ACPresent", Flags: Quick, Lookup: onlineInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Discharging", Flags: Quick, Lookup: dischargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Charging", Flags: Quick, Lookup: chargingInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.ShutdownImminent", Lookup: shutdownimmInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", Lookup: lowbattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Overload", Lookup: overloadInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.NeedReplacement", Lookup: replacebattInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.RemainingTimeLimitExpired", Lookup: timelimitexpiredInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.InternalFailure", Lookup: yesNoInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.Good", Lookup: yesNoInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.OverTemperature", Lookup: overheatInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.FullyCharged", Lookup: fullychargedInfo},
	{Kind: Status, Path: "UPS.PowerSummary.PresentStatus.FullyDischarged", Lookup: depletedInfo},
}
