//go:build tools

// Package tools pins the Toxiproxy server main package so `go build` resolves it here.
package tools

import _ "github.com/Shopify/toxiproxy/v2/cmd/server"
