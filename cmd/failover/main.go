// Command failover checks a deployed route53-failover stack end to end, drills its failover with
// a measured timeline (and always restores the primary), or watches the same signals passively.
//
//	go run ./cmd/failover check -stack prod
//	go run ./cmd/failover drill -stack prod -method deregister
//	go run ./cmd/failover watch -outputs outputs.json -duration 30m
//
// Everything it does lives in internal/failover; see docs/verify-and-drill.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/seed-2b23e6e5/route53-failover/internal/failover"
)

func main() {
	// Ctrl-C and SIGTERM cancel the context: a drill then restores the primary before it exits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := failover.Command(ctx, os.Args[1:], os.Stdout, os.Stderr, func(ctx context.Context) (aws.Config, error) {
		// Route 53 is global; ACM and ELB calls take the region of the ARN they ask about.
		return config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"))
	})
	stop()
	os.Exit(code)
}
