package driver

// Bounds on what a driver takes from a source it does not control (a
// simulation file, a NUT driver's socket, an upstream server). Readers
// refuse more with an error that names the limit.
const (
	// MaxVars is the most variables one device may have.
	MaxVars = 10000
	// MaxCmds is the most instant commands one device may have.
	MaxCmds = 1000
)
