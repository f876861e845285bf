// Command pulumi-resource-route53-failover is the component package route53-failover: the
// Pulumi plugin through which a program in TypeScript, YAML or another Pulumi language declares
// a FailoverSite. Pulumi builds it from this directory (PulumiPlugin.yaml) when a program adds
// the package; see docs/other-languages.md.
package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/seed-2b23e6e5/route53-failover/internal/componentpkg"
)

// schema is the package schema, generated from the Go types (go generate; a test holds it to them).
//
//go:generate go run ./generate
//go:embed schema.json
var schema string

func main() {
	if err := provider.Main(componentpkg.Name, func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &server{host: host}, nil
	}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// server answers the engine: the package's schema, and Construct for its components.
type server struct {
	pulumirpc.UnimplementedResourceProviderServer
	host *provider.HostClient
}

func (s *server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: componentpkg.Version}, nil
}

func (s *server) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: schema}, nil
}

func (s *server) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true, AcceptOutputs: true}, nil
}

func (s *server) Attach(_ context.Context, req *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	host, err := provider.NewHostClient(req.GetAddress())
	if err != nil {
		return nil, err
	}
	s.host = host
	return &emptypb.Empty{}, nil
}

// Construct builds a component. The inputs are read from the request itself, where a secret or
// unknown value is marked where it is, not on the whole input that holds it.
func (s *server) Construct(ctx context.Context, req *pulumirpc.ConstructRequest) (*pulumirpc.ConstructResponse, error) {
	inputs, err := plugin.UnmarshalProperties(req.GetInputs(), plugin.MarshalOptions{
		KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true,
	})
	if err != nil {
		return nil, err
	}
	return provider.Construct(ctx, req, s.host.EngineConn(), func(ctx *pulumi.Context, typ, name string,
		constructInputs provider.ConstructInputs, opts pulumi.ResourceOption,
	) (*provider.ConstructResult, error) {
		resources, err := inputResources(ctx, constructInputs)
		if err != nil {
			return nil, err
		}
		component, outputs, err := componentpkg.Construct(ctx, typ, name, inputs, resources, opts)
		if err != nil {
			return nil, err
		}
		return &provider.ConstructResult{URN: component.URN(), State: outputs}, nil
	})
}

// inputResources are the resources the inputs' values came from, by URN: the SDK hands each input
// over as an output that depends on them.
func inputResources(ctx *pulumi.Context, inputs provider.ConstructInputs) (map[resource.URN]pulumi.Resource, error) {
	m, err := inputs.Map()
	if err != nil {
		return nil, err
	}
	resources := map[resource.URN]pulumi.Resource{}
	for _, input := range m {
		output, ok := input.(pulumi.Output)
		if !ok {
			continue
		}
		result, err := internals.UnsafeAwaitOutput(ctx.Context(), output)
		if err != nil {
			return nil, err
		}
		for _, r := range result.Dependencies {
			urn, err := internals.UnsafeAwaitOutput(ctx.Context(), r.URN())
			if err != nil {
				return nil, err
			}
			resources[resource.URN(urn.Value.(pulumi.URN))] = r
		}
	}
	return resources, nil
}
