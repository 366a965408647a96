// The shapes of TinodeClusterArgs' structured args (config/args.ts, generated from config/keys.ts,
// names them in `argType`). Plain shapes only (interfaces, string maps, lists): Pulumi's component
// schema inference takes no other unions and no intersections, and every language's SDK is generated
// from that schema. What each field accepts is checked by the stack keys' readers (config/resources.ts,
// config/readScheduling.ts), the same for args as for stack config.

/** Requests or limits of one container: `cpu`, `memory`, `ephemeral-storage` as Kubernetes quantities. */
export interface ResourceAmountsArgs {
    [amount: string]: string;
}

/** One container's resources (tinode, mysql, exporter, tlsProxy, dbInit; see the `resources` key). */
export interface ContainerResourcesArgs {
    requests?: ResourceAmountsArgs;
    limits?: ResourceAmountsArgs;
}

/** A Kubernetes toleration; `operator` is Exists or Equal, `effect` NoSchedule, PreferNoSchedule or NoExecute. */
export interface TolerationArgs {
    key?: string;
    operator?: string;
    value?: string;
    effect?: string;
    /** Only with effect NoExecute. */
    tolerationSeconds?: number;
}
