// The package's entry: what a program that depends on this repository imports
// (`import { TinodeCluster } from "tinode-k8s"`, README "Use it from your own program"), and what
// `pulumi package add` hosts for YAML and Python programs (PulumiPlugin.yaml; the component provider
// finds the component among these exports and infers its schema from TinodeClusterArgs). This
// repository's own stack program is index.ts (Pulumi.yaml `main`).
export { TinodeCluster, TINODE_CLUSTER_TYPE } from "./components/tinodeCluster";
export type { TinodeClusterArgs } from "./config/args";
export type { ContainerResourcesArgs, ResourceAmountsArgs, TolerationArgs } from "./config/argTypes";
