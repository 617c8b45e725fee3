package main

import (
	"os"
	"testing"

	"github.com/powerchain/powerchain/internal/testlog"
)

func TestMain(m *testing.M) {
	testlog.Silence()
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}
