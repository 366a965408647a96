// Pulumi mocks that record every resource. Random resources get deterministic values of the right
// shape, so config text and checksums are reproducible. Any provider function call is a test failure:
// the program must not depend on one.
import * as pulumi from "@pulumi/pulumi";

export interface Recorded {
    type: string;
    name: string;
    inputs: any;
}

export const recorded: Recorded[] = [];

export function installMocks(): void {
    pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                recorded.push({ type: args.type, name: args.name, inputs: unwrapSecrets(args.inputs) });
                const state: Record<string, unknown> = { ...args.inputs };
                if (args.type === "random:index/randomBytes:RandomBytes") {
                    state.base64 = Buffer.alloc(args.inputs.length, args.name.length).toString("base64");
                }
                if (args.type === "random:index/randomPassword:RandomPassword") {
                    state.result = `pw${args.name.length}`.padEnd(args.inputs.length, "x");
                }
                return { id: `${args.name}-id`, state };
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
                throw new Error(`unexpected provider call ${args.token}`);
            },
        },
        "tinode",
        "test",
        false,
    );
}

/** Pulumi's wire marker for a secret value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Inputs as the provider would see them, with secret markers replaced by their values. */
function unwrapSecrets(v: any): any {
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v !== null && typeof v === "object") {
        if (v[SECRET_SIG] !== undefined) return unwrapSecrets(v.value);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}

/** The resolved value of an Output (mocks resolve everything). */
export function valueOf<T>(o: pulumi.Input<T> | undefined): Promise<T> {
    return new Promise((resolve) => pulumi.output(o as pulumi.Input<T>).apply((v) => resolve(v as T)));
}

export function isSecret(o: pulumi.Output<unknown>): Promise<boolean> {
    return pulumi.isSecret(o);
}

/** Records of one component instance, found by the name prefix its children share. */
export function childrenOf(instance: string): Recorded[] {
    return recorded.filter((r) => !r.type.startsWith("tinode:") && (r.name === instance || r.name.startsWith(`${instance}-`)));
}

export function one(instance: string, type: string, name?: string): Recorded {
    const found = childrenOf(instance).filter((r) => r.type === type && (name === undefined || r.name === name));
    if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ""} in ${instance}, found ${found.length}`);
    return found[0];
}
