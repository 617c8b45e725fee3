package conf

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps conf below the protocol client and the chain
// analysis: the server links conf, and must not link a client with it.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch pkg {
		case "github.com/powerchain/powerchain/chain", "github.com/powerchain/powerchain/client":
			t.Errorf("conf depends on %s", pkg)
		}
	}
}
