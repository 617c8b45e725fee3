package daemon

import (
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/powerchain/powerchain/internal/abuse"
)

func TestMain(m *testing.M) {
	abuse.GoodProcessMain()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}
