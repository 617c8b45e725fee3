module github.com/powerchain/powerchain

go 1.26.8
