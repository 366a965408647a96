// Pulumi's mock runtime, shared by the tests, the benchmark and the offline manifest renderer.
// Random resources get deterministic values of the right shape; any provider function call throws,
// since the program must not depend on one.
import * as pulumi from "@pulumi/pulumi";

export interface Recorded {
    type: string;
    name: string;
    /** Untyped on purpose: tests and the renderer read whatever shape a resource has. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    inputs: any;
}

/** Pulumi's wire marker for a secret value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Inputs as the provider would see them, with secret markers replaced by their values. */
function unwrapSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SECRET_SIG] !== undefined) return unwrapSecrets(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}

/**
 * What a StackReference to this stack reads: the outputs of its previous deployment (none unless a
 * test sets them).
 */
export const previousStackOutputs: Record<string, unknown> = {};

/** Installs mocks that pass every registered resource to `record`. Call before importing the program. */
export function installMocks(
    record: (r: Recorded) => void,
    project = "tinode",
    stack = "test",
    config: Record<string, string> = {},
): Promise<void> {
    pulumi.runtime.setAllConfig(config);
    // No cluster to ask what a new stack would take over (components/clusterOwners.ts): `true`
    // stands in for kubectl and prints nothing, which reads as "no such namespace". A test that
    // wants an answer sets its own.
    process.env.TINODE_KUBECTL = "true";
    return pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                record({ type: args.type, name: args.name, inputs: unwrapSecrets(args.inputs) });
                const inputs = args.inputs as Record<string, unknown>;
                const state: Record<string, unknown> = { ...inputs };
                const length = Number(inputs.length ?? 0);
                if (args.type === "pulumi:pulumi:StackReference") {
                    if (inputs.name !== `organization/${project}/${stack}`)
                        throw new Error(`unexpected stack reference ${String(inputs.name)}`);
                    return {
                        id: String(inputs.name),
                        state: { name: inputs.name, outputs: { ...previousStackOutputs }, secretOutputNames: [] },
                    };
                }
                if (args.type === "random:index/randomBytes:RandomBytes") {
                    state.base64 = Buffer.alloc(length, args.name.length).toString("base64");
                }
                if (args.type === "random:index/randomPassword:RandomPassword") {
                    state.result = `pw${args.name.length}`.padEnd(length, "x");
                }
                return { id: `${args.name}-id`, state };
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
                throw new Error(`unexpected provider call ${args.token}`);
            },
        },
        project,
        stack,
        false,
        // What a file backend calls every organization.
        "organization",
    );
}

/**
 * Resolves once every resource registration under way has reached the mocks: the Pulumi SDK's own
 * RPC queue drained (runtime/settings.js waitForRPCs, internal in 3.248 and pinned with it), not a
 * guessed delay.
 */
export function registrationsDone(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };
    return settings.waitForRPCs();
}
