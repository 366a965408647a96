// What a stack that was never deployed finds where it would deploy, asked of the cluster with
// kubectl (the operator's own, with the kubernetes provider's kubeconfig, context and cluster from
// the stack config): the namespace and the component's volume claims, with the stack written on
// each. config/clusterOwners.ts decides; this module only asks. kubectl, not our own API client: it
// speaks every authentication a kubeconfig can name (exec plugins of the cloud providers included).
import { execFile } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { ClusterFindings, OWNER_ANNOTATION, ownerProblems } from "../config/clusterOwners";
import { ConfigError } from "../config/reader";

/** The stack config that says which cluster the kubernetes provider talks to (kubernetes:*). */
export interface ClusterAccess {
    /** A path or the file's contents, as the provider takes it. */
    kubeconfig?: string;
    context?: string;
    cluster?: string;
}

export type ClusterAnswer = { kind: "found"; findings: ClusterFindings } | { kind: "unknown"; reason: string };

/** How long one kubectl call may take: an unreachable cluster must not hold a preview for long. */
const KUBECTL_TIMEOUT_MS = 20_000;

function run(kubectl: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
    return new Promise((resolve, reject) =>
        execFile(kubectl, args, { env, timeout: KUBECTL_TIMEOUT_MS, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
            error ? reject(new Error(`${stderr.trim().split("\n").pop() || error.message}`)) : resolve(stdout),
        ),
    );
}

/** The part of an object kubectl prints that is read here. */
interface KubeObject {
    metadata: { name: string; annotations?: Record<string, string> };
}

function ownerOf(object: KubeObject): string | undefined {
    return object.metadata.annotations?.[OWNER_ANNOTATION];
}

/**
 * The namespace and those of `claimNames` that exist in it. `kubectl` defaults to $TINODE_KUBECTL or
 * kubectl on PATH; the answer is "unknown" (with kubectl's reason) when it cannot ask.
 */
export async function askCluster(
    namespace: string,
    claimNames: readonly string[],
    access: ClusterAccess,
    kubectl = process.env.TINODE_KUBECTL || "kubectl",
): Promise<ClusterAnswer> {
    const env = { ...process.env };
    const args: string[] = [];
    let dir: string | undefined;
    if (access.kubeconfig) {
        // Contents (as the provider accepts) go to a private file for kubectl; a path is used as it is.
        if (/\n|^\s*[{]/.test(access.kubeconfig)) {
            dir = mkdtempSync(join(tmpdir(), "tinode-kubeconfig-"));
            writeFileSync(join(dir, "config"), access.kubeconfig, { mode: 0o600 });
            env.KUBECONFIG = join(dir, "config");
        } else {
            env.KUBECONFIG = access.kubeconfig;
        }
    }
    if (access.context) args.push("--context", access.context);
    if (access.cluster) args.push("--cluster", access.cluster);
    try {
        const ns = (await run(kubectl, [...args, "get", "namespace", namespace, "--ignore-not-found", "-o", "json"], env)).trim();
        const claims = ns
            ? (
                  JSON.parse(await run(kubectl, [...args, "get", "persistentvolumeclaims", "-n", namespace, "-o", "json"], env)) as {
                      items: KubeObject[];
                  }
              ).items
            : [];
        return {
            kind: "found",
            findings: {
                namespace: ns ? { owner: ownerOf(JSON.parse(ns) as KubeObject) } : undefined,
                claims: claims
                    .filter((c) => claimNames.includes(c.metadata.name))
                    .map((c) => ({ name: c.metadata.name, owner: ownerOf(c) })),
            },
        };
    } catch (e) {
        return { kind: "unknown", reason: `${kubectl}: ${(e as Error).message}` };
    } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * For a stack that was never deployed to this cluster: refuses (ConfigError, before any resource is
 * registered) to take over another stack's namespace or data, or unclaimed data; warns when it
 * cannot ask, since the owner annotation still stops such an `up` on the namespace (builders/labels.ts).
 */
export async function refuseTakeover(
    s: { namespace: string; createNamespace: boolean; owner?: string; keptSecrets?: unknown },
    claimNames: readonly string[],
    access: ClusterAccess,
    keyPrefix = "tinode",
): Promise<void> {
    const answer = await askCluster(s.namespace, claimNames, access);
    if (answer.kind === "unknown") {
        await pulumi.log.warn(
            `could not ask the cluster what namespace "${s.namespace}" holds (${answer.reason}); if another stack deployed there, pulumi up stops on the namespace's owner annotation instead`,
        );
        return;
    }
    const problems = ownerProblems(answer.findings, s.owner ?? "", s, keyPrefix);
    if (problems.length > 0) throw new ConfigError(problems);
}
