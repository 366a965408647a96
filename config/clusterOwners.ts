// Whether a stack that has never been deployed may deploy where its config points: the objects it
// would make may already be there, made by another stack (a colleague's, a renamed project, a `stack
// rm` and `init`) or by an install whose state is lost. Server-side apply would take them over, and
// the new stack's destroy would delete them; pulumi-kubernetes cannot tell at preview (it dry-runs
// creates with force). The entry point asks the cluster (components/clusterOwners.ts) and refuses
// here, before any resource is registered, naming the owner and the way on (README, "Operations
// that touch data").

/** Where the owning stack (organization/project/stack) is written: the namespace and the data claims. */
export const OWNER_ANNOTATION = "tinode.co/stack";

/** What is already in the cluster where a new stack would deploy. */
export interface ClusterFindings {
    /** The namespace, with the stack written on it (undefined: no annotation); undefined: absent. */
    namespace?: { owner?: string };
    /** The component's volume claims in it (the data), each with its owner annotation. */
    claims: { name: string; owner?: string }[];
}

/**
 * The problems of deploying stack `self` (organization/project/stack) over what was found. Kept
 * data with no owner is taken over only on purpose (tinode:keptSecrets, scripts/adopt-kept-data.sh).
 */
export function ownerProblems(
    found: ClusterFindings,
    self: string,
    s: { namespace: string; createNamespace: boolean; keptSecrets?: unknown },
    keyPrefix = "tinode",
): string[] {
    const problems: string[] = [];
    const ns = s.namespace;
    const handOver = (owner: string, what: string) =>
        `if stack ${owner} is gone for good and this one takes its data over: kubectl annotate ${what} ${OWNER_ANNOTATION}=${self} --overwrite, then scripts/adopt-kept-data.sh (README, "Operations that touch data")`;
    const nsOwner = found.namespace?.owner;
    if (nsOwner !== undefined && nsOwner !== self) {
        problems.push(
            `${keyPrefix}:namespace "${ns}" belongs to stack ${nsOwner} (annotation ${OWNER_ANNOTATION}): this stack would take over its objects and data, and its destroy would delete them. Give this stack its own namespace (pulumi config set ${keyPrefix}:namespace <name>); ${handOver(nsOwner, `namespace ${ns}`)}`,
        );
    } else if (found.namespace && nsOwner === undefined && s.createNamespace && !s.keptSecrets) {
        problems.push(
            `${keyPrefix}:namespace "${ns}" exists and no stack wrote itself on it: with ${keyPrefix}:createNamespace true this stack would take it over, and a destroy with deleteDataOnDestroy would delete it with everything in it. Deploy into it with pulumi config set ${keyPrefix}:createNamespace false, or choose another namespace`,
        );
    }
    for (const claim of found.claims) {
        if (claim.owner !== undefined && claim.owner !== self && claim.owner !== nsOwner) {
            problems.push(
                `${keyPrefix}:namespace "${ns}" holds claim ${claim.name} of stack ${claim.owner}: this stack would take over its data. Give this stack its own namespace; ${handOver(claim.owner, `pvc ${claim.name} -n ${ns}`)}`,
            );
        } else if (claim.owner === undefined && !s.keptSecrets) {
            problems.push(
                `${keyPrefix}:namespace "${ns}" holds claim ${claim.name}, data of an earlier install that no stack claims: this stack would start on it with new passwords and keys. To take it over with its own secrets: scripts/adopt-kept-data.sh <stack> ${ns}; to start empty: delete it first (README, "Operations that touch data")`,
            );
        }
    }
    return problems;
}
