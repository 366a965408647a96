// Test side of the mock runtime (scripts/mockRuntime.ts): a shared record of resources and lookups in it.
import * as pulumi from "@pulumi/pulumi";
import type { ClusterCore } from "../components/clusterCore";
import type { TinodeSettings } from "../config/settings";
import { installMocks as install, Recorded, registrationsDone } from "../scripts/mockRuntime";
import { settingsWith } from "./helpers";

export const recorded: Recorded[] = [];

export { registrationsDone };

export function installMocks(): Promise<void> {
    return install((r) => recorded.push(r));
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

/**
 * Creates a cluster from stack-config values and waits until every child is registered. The class
 * comes from the caller, which imports it after installing the mocks.
 */
/** The options each child of a deployed cluster was registered with (seen through a transformation). */
export const recordedOptions: { type: string; name: string; opts: pulumi.ResourceOptions }[] = [];

/** The options of one child, found as `one` finds its inputs. */
export function optionsOf(instance: string, type: string, name: string): pulumi.ResourceOptions {
    const found = recordedOptions.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) throw new Error(`expected options of one ${type} ${name} in ${instance}, found ${found.length}`);
    return found[0].opts;
}

/** The Pulumi names of what one child waits for (its dependsOn), in order. */
export async function dependencyNames(instance: string, type: string, name: string): Promise<string[]> {
    const deps = (optionsOf(instance, type, name).dependsOn ?? []) as pulumi.Resource[];
    return Promise.all(deps.map(async (d) => (await valueOf(d.urn)).split("::").pop()!));
}

/** `extra`: what the entry point adds to the settings (owner, mysqlUpgrade), not config keys. */
export async function deployWith(
    Cluster: typeof ClusterCore,
    name: string,
    values: Record<string, string> = {},
    extra: Partial<TinodeSettings> = {},
): Promise<ClusterCore> {
    const record: pulumi.ResourceTransformation = (args) => {
        recordedOptions.push({ type: args.type, name: args.name, opts: args.opts });
        return undefined;
    };
    const c = new Cluster(name, { ...settingsWith(values), ...extra }, { transformations: [record] });
    const outputs: pulumi.Output<unknown>[] = [
        c.statefulSet.id,
        c.configSecret.id,
        c.dbInitJob.id,
        c.headlessService.id,
        c.clientService.id,
        c.disruptionBudget.id,
        c.apiKey,
    ];
    if (c.mysqlStatefulSet) outputs.push(c.mysqlStatefulSet.id);
    await Promise.all(outputs.map((o) => valueOf(o)));
    // Children made from Outputs (routes, policies, the healer) register later: wait for all of them.
    await registrationsDone();
    return c;
}
