#!/usr/bin/env bash
# build-pulumi-random.sh VERSION BIN_DIR — pulumi-resource-random, from Go modules.
#
# pulumi-random is a bridged Terraform provider: the Pulumi bridge wrapped around HashiCorp's
# terraform-provider-random. The module proxy reachable here serves no version of
# github.com/pulumi/pulumi-random/provider/v4 (every request is refused with 403), but it does
# serve everything that module is made of: the bridge, the Pulumi SDK, the upstream
# terraform-provider-random at the commit pulumi-random pins, and Pulumi's terraform-plugin-sdk
# fork. So the provider's thin wiring is recreated in a throw-away module under the same module
# path (so the Makefile's version ldflags apply unchanged):
#   - shim/: the unpublished `shim` module, which only forwards to the upstream constructor
#     (github.com/terraform-providers/terraform-provider-random/internal/provider.New);
#   - resources.go: the ProviderInfo — tokens random:index/random<Name>:Random<Name> (the names
#     @pulumi/random uses), random_bytes' computed ID, auto-aliases from bridge-metadata.json, and
#     the two runtime switches pulumi-random turns on;
#   - cmd/pulumi-tfgen-random, cmd/pulumi-resource-random: the usual bridge entry points.
# Then, as its Makefile does: tfgen `schema` writes schema.json and bridge-metadata.json,
# generate.go stamps VERSION into schema-embed.json, and the provider is built with both embedded.
# Pins below are those of pulumi-random's provider/go.mod at its latest known commit after v4.21.1
# (bridge v3.137.0); the upstream provider commit is the same for v4.21.0 to that commit.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version=${1:?usage: build-pulumi-random.sh VERSION BIN_DIR}
mkdir -p "${2:?usage: build-pulumi-random.sh VERSION BIN_DIR}"
bin=$(cd "$2" && pwd)

BRIDGE=v3.137.0
PULUMI_SDK=v3.256.0
UPSTREAM=v1.3.2-0.20260513075824-f8d869dc98d9 # github.com/terraform-providers/terraform-provider-random
TF_FRAMEWORK=v1.19.0
PLUGIN_SDK_FORK=v2.0.0-20260318212141-5525259d096b # github.com/pulumi/terraform-plugin-sdk/v2

export CGO_ENABLED=0 GOWORK=off GOFLAGS="${GOFLAGS:-} -mod=mod"
work=$(mktemp -d "${TMPDIR:-/tmp}/build-pulumi-random.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
p=$work/provider
mkdir -p "$p/shim" "$p/pkg/version" "$p/cmd/pulumi-resource-random" "$p/cmd/pulumi-tfgen-random"

echo "pulumi-resource-random: writing the provider module (bridge $BRIDGE, upstream random $UPSTREAM)"
cat >"$p/shim/go.mod" <<EOF
module github.com/terraform-providers/terraform-provider-random/shim

go 1.25

require (
	github.com/hashicorp/terraform-plugin-framework $TF_FRAMEWORK
	github.com/terraform-providers/terraform-provider-random $UPSTREAM
)
EOF
cat >"$p/shim/shim.go" <<'EOF'
// Package shim exposes the upstream provider's constructor, which lives in an internal package.
package shim

import (
	tfpf "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/terraform-providers/terraform-provider-random/internal/provider"
)

func NewProvider() tfpf.Provider { return provider.New() }
EOF

cat >"$p/go.mod" <<EOF
module github.com/pulumi/pulumi-random/provider/v4

go 1.25

require (
	github.com/pulumi/pulumi-terraform-bridge/v3 $BRIDGE
	github.com/pulumi/pulumi/pkg/v3 $PULUMI_SDK
	github.com/pulumi/pulumi/sdk/v3 $PULUMI_SDK
	github.com/terraform-providers/terraform-provider-random $UPSTREAM
	github.com/terraform-providers/terraform-provider-random/shim v0.0.0
)

replace github.com/terraform-providers/terraform-provider-random/shim => ./shim

replace github.com/hashicorp/terraform-plugin-sdk/v2 => github.com/pulumi/terraform-plugin-sdk/v2 $PLUGIN_SDK_FORK
EOF

cat >"$p/pkg/version/version.go" <<'EOF'
// Package version is set by the linker: -X .../pkg/version.Version=<version>.
package version

var Version string
EOF

cat >"$p/resources.go" <<'EOF'
// Package random wires HashiCorp's random provider into the Pulumi bridge.
package random

import (
	"context"
	_ "embed"
	"errors"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/terraform-providers/terraform-provider-random/shim"

	"github.com/pulumi/pulumi-random/provider/v4/pkg/version"
)

//go:embed cmd/pulumi-resource-random/bridge-metadata.json
var metadata []byte

// Provider is the bridge's description of the random package.
func Provider() tfbridge.ProviderInfo {
	prov := tfbridge.ProviderInfo{
		P:            pf.ShimProvider(shim.NewProvider()),
		Name:         "random",
		Description:  "A Pulumi package to safely use randomness in Pulumi programs.",
		Keywords:     []string{"pulumi", "random"},
		License:      "Apache-2.0",
		Homepage:     "https://pulumi.io",
		Repository:   "https://github.com/pulumi/pulumi-random",
		Version:      version.Version,
		MetadataInfo: tfbridge.NewProviderMetadata(metadata),
		Resources: map[string]*tfbridge.ResourceInfo{
			"random_string": {
				// Old RandomString states may lack the schema version marker: treat them as V1.
				PreStateUpgradeHook: func(args tfbridge.PreStateUpgradeHookArgs) (int64, resource.PropertyMap, error) {
					if args.PriorStateSchemaVersion == 0 {
						return 1, args.PriorState, nil
					}
					return args.PriorStateSchemaVersion, args.PriorState, nil
				},
			},
			"random_bytes": {ComputeID: bytesID},
		},
		EnableAccurateBridgePreview: true,
		EnableRawStateDelta:         true,
	}
	// random_password -> random:index/randomPassword:RandomPassword, as in @pulumi/random.
	prov.MustComputeTokens(tokens.SingleModule("random_", "index", func(module, name string) (string, error) {
		return tokens.MakeStandard("random")(module, "Random"+name)
	}))
	prov.MustApplyAutoAliases()
	return prov
}

// random_bytes has no id attribute: its ID is the base64 of the bytes.
func bytesID(_ context.Context, state resource.PropertyMap) (resource.ID, error) {
	b, ok := state["base64"]
	if !ok {
		return "", errors.New("random_bytes: no base64 property in state")
	}
	if b.IsSecret() {
		b = b.SecretValue().Element
	}
	if !b.IsString() {
		return "", errors.New("random_bytes: base64 is not a string")
	}
	return resource.ID(b.StringValue()), nil
}
EOF

cat >"$p/cmd/pulumi-tfgen-random/main.go" <<'EOF'
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	random "github.com/pulumi/pulumi-random/provider/v4"
)

func main() { tfgen.Main("random", random.Provider()) }
EOF

cat >"$p/cmd/pulumi-resource-random/main.go" <<'EOF'
package main

import (
	"context"
	_ "embed"

	tfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	random "github.com/pulumi/pulumi-random/provider/v4"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed bridge-metadata.json
var bridgeMetadata []byte

func main() {
	meta := tfbridge.ProviderMetadata{PackageSchema: pulumiSchema, BridgeMetadata: bridgeMetadata}
	tfbridge.Main(context.Background(), "random", random.Provider(), meta)
}
EOF

cat >"$p/cmd/pulumi-resource-random/generate.go" <<'EOF'
//go:build ignore

// generate.go: schema.json + $VERSION -> schema-embed.json.
package main

import (
	"encoding/json"
	"log"
	"os"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	version, ok := os.LookupEnv("VERSION")
	if !ok {
		log.Fatal("VERSION not set")
	}
	raw, err := os.ReadFile("schema.json")
	if err != nil {
		log.Fatal(err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		log.Fatalf("cannot deserialize schema: %v", err)
	}
	spec.Version = version
	out, err := json.Marshal(spec)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("schema-embed.json", out, 0o600); err != nil {
		log.Fatal(err)
	}
}
EOF
echo '{}' >"$p/cmd/pulumi-resource-random/bridge-metadata.json"

cd "$p"
echo "pulumi-resource-random: resolving modules"
go mod tidy

ldflags="-s -w -X github.com/pulumi/pulumi-random/provider/v4/pkg/version.Version=$version"
echo "pulumi-resource-random: building tfgen"
go build -trimpath -ldflags "$ldflags" -o "$work/pulumi-tfgen-random" ./cmd/pulumi-tfgen-random

echo "pulumi-resource-random: generating schema.json and bridge-metadata.json"
mkdir -p "$work/home"
# Examples need the terraform converter plugin, which is not here; descriptions are kept.
PULUMI_HOME=$work/home PULUMI_CONVERT=0 PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
  PULUMI_SKIP_UPDATE_CHECK=true \
  "$work/pulumi-tfgen-random" schema --out cmd/pulumi-resource-random --skip-examples
(cd cmd/pulumi-resource-random && VERSION=$version go run generate.go)

echo "pulumi-resource-random: building the provider"
go build -trimpath -ldflags "$ldflags" -o "$work/pulumi-resource-random" ./cmd/pulumi-resource-random
mv "$work/pulumi-resource-random" "$bin/pulumi-resource-random"
echo "pulumi-resource-random: built $version"
