// TinodeCluster: the package's component (package.ts), for a Pulumi program in TypeScript, or in YAML
// or Python through `pulumi package add` (PulumiPlugin.yaml). Its args are the stack config keys
// (config/args.ts, generated from the registry); it resolves them, checks them with the stack's own
// rules (config/readArgs.ts) and makes the same ClusterCore the stack program makes from its config.
import * as pulumi from "@pulumi/pulumi";
import { TinodeClusterArgs } from "../config/args";
import { readArgs, ResolvedArgs } from "../config/readArgs";
import { COMPONENT_ARGS } from "../config/reader";
import { ClusterCore, clusterOutputs } from "./clusterCore";
import { selfStackName } from "./previousDeployment";

/**
 * The component's type as `pulumi package add` knows it: the package's name (package.json, which the
 * component provider turns into the schema's name) and the class's, in the only module it supports.
 */
export const TINODE_CLUSTER_TYPE = "tinode-k8s:index:TinodeCluster";

/**
 * What the SDK knows about an Output beyond `apply`: whether its value is known (not in a preview of
 * a resource still to be created), whether it is a secret, and the value. Fields the SDK marks
 * internal (sdk/nodejs/output.ts, OutputImpl), read here because the checks need plain values.
 */
interface OutputState {
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    promise(): Promise<unknown>;
}

interface Resolved extends ResolvedArgs {
    /** Args whose value a preview does not know yet (another resource's output, to be created). */
    readonly unknown: string[];
}

/** The args with their Outputs resolved, and which of them are secrets. */
async function resolveArgs(args: TinodeClusterArgs | undefined): Promise<Resolved> {
    const entries = await Promise.all(
        Object.entries(args ?? {}).map(async ([key, input]) => {
            const state = pulumi.output(input) as unknown as OutputState;
            const [known, secret] = await Promise.all([state.isKnown, state.isSecret]);
            return { key, known, secret, value: known ? await state.promise() : undefined };
        }),
    );
    return {
        values: Object.fromEntries(entries.filter((e) => e.known).map((e) => [e.key, e.value])),
        secret: new Set(entries.filter((e) => e.secret).map((e) => e.key)),
        unknown: entries.filter((e) => !e.known).map((e) => e.key),
    };
}

/**
 * A Tinode chat cluster on Kubernetes: MySQL (or an external one), the schema Job, the generated
 * config with every node in cluster_config, the Tinode StatefulSet and its Services, and what the args
 * turn on (exposure with TLS, media, backups, monitoring, email, push, calls).
 */
export class TinodeCluster extends pulumi.ComponentResource {
    /** The namespace of every object. */
    readonly namespace: pulumi.Output<string>;
    /** The Service clients connect to. */
    readonly clientServiceName: pulumi.Output<string>;
    /** In-cluster URL for websocket and HTTP clients. */
    readonly clientUrl: pulumi.Output<string>;
    /** The Tinode nodes, one per pod, as cluster_config names them. */
    readonly nodeNames: pulumi.Output<string[]>;
    /** The MySQL host Tinode uses. */
    readonly mysqlHost: pulumi.Output<string>;
    /** The client API key for the salt in use (a secret). */
    readonly apiKey: pulumi.Output<string>;
    /** What `pulumi destroy` leaves in the cluster, and how to delete it. */
    readonly keptOnDestroy: pulumi.Output<string>;

    constructor(name: string, args: TinodeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TINODE_CLUSTER_TYPE, name, {}, opts);
        const resolved = resolveArgs(args);
        const core = resolved.then(async (r): Promise<ClusterCore | undefined> => {
            if (r.unknown.length > 0) {
                const which = r.unknown.map((k) => COMPONENT_ARGS.name(k)).join(", ");
                if (!pulumi.runtime.isDryRun()) throw new Error(`TinodeCluster ${name}: ${which} has no value`);
                // Checked, and its objects shown, once the value exists: by the update that creates it.
                await pulumi.log.warn(`${which} is not known before the update: this preview does not show the cluster's objects`, this);
                return undefined;
            }
            return new ClusterCore(name, { ...readArgs(r), owner: selfStackName() }, { parent: this });
        });
        // Unknown in a preview without the cluster's objects, like any output of a resource to be created.
        const out = <T>(of: (c: ClusterCore) => pulumi.Input<T>): pulumi.Output<T> =>
            pulumi.output(core).apply((c) => (c ? of(c) : (pulumi.unknown as pulumi.Input<T>))) as pulumi.Output<T>;
        this.namespace = out((c) => c.namespace);
        this.clientServiceName = out((c) => c.clientServiceName);
        this.clientUrl = out((c) => c.clientUrl);
        this.nodeNames = out((c) => c.nodeNames);
        this.mysqlHost = out((c) => c.mysqlHost);
        this.apiKey = pulumi.secret(out((c) => c.apiKey));
        this.keptOnDestroy = out((c) => c.keptOnDestroy);
        this.registerOutputs(clusterOutputs(this));
    }
}
