package daemon

import (
	"testing"

	"github.com/powerchain/powerchain/internal/abuse"
	"github.com/powerchain/powerchain/internal/testlog"
)

func TestMain(m *testing.M) {
	abuse.GoodProcessMain()
	testlog.Main(m)
}
