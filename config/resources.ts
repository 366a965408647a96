// The `resources` stack setting: per-container requests and limits merged over defaults.
import { checkByteQuantity, checkQuantity, quantityAtMost } from "./checks";
import { ConfigReader } from "./reader";
import { ContainerResources, ResourceSettings } from "./settings";

/** Ephemeral storage covers logs and the /tmp emptyDirs (MySQL sorts large results there). */
export const DEFAULT_RESOURCES: ResourceSettings = {
    // npm run bench:load (README, Capacity): an idle pod's working set is about 17 MiB and each
    // session adds about 66 KiB, so the request holds about 1,000 sessions a pod and the limit
    // several thousand; 3 pods on 2 shared cores carried 200 messages/s with p99 delivery 142 ms.
    tinode: {
        requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" },
        limits: { memory: "512Mi", "ephemeral-storage": "1Gi" },
    },
    mysql: {
        requests: { cpu: "250m", memory: "512Mi", "ephemeral-storage": "256Mi" },
        limits: { memory: "1Gi", "ephemeral-storage": "4Gi" },
    },
    dbInit: {
        requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "16Mi" },
        limits: { memory: "256Mi", "ephemeral-storage": "256Mi" },
    },
    // With an S3 destination the compressed dump waits in an emptyDir for the upload: its size
    // counts against ephemeral-storage, so the limit must exceed the largest compressed dump.
    backup: {
        requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "256Mi" },
        limits: { memory: "256Mi", "ephemeral-storage": "8Gi" },
    },
    // One small Go process that turns one expvar page into Prometheus text on each scrape.
    exporter: {
        requests: { cpu: "10m", memory: "16Mi", "ephemeral-storage": "8Mi" },
        limits: { memory: "64Mi", "ephemeral-storage": "64Mi" },
    },
    // One Node.js process with a WebSocket per Tinode pod; its heap is capped below the limit
    // (builders/canary.ts).
    canary: {
        requests: { cpu: "20m", memory: "64Mi", "ephemeral-storage": "8Mi" },
        limits: { memory: "160Mi", "ephemeral-storage": "64Mi" },
    },
    // One Node.js process that reads a few KiB of log per Tinode pod every few seconds.
    healer: {
        requests: { cpu: "10m", memory: "48Mi", "ephemeral-storage": "8Mi" },
        limits: { memory: "128Mi", "ephemeral-storage": "64Mi" },
    },
    // Traefik holding every client connection of its pod (about 30 MiB idle); no access log, so
    // its disk use is its own log only.
    tlsProxy: {
        requests: { cpu: "20m", memory: "48Mi", "ephemeral-storage": "8Mi" },
        limits: { memory: "256Mi", "ephemeral-storage": "64Mi" },
    },
};

const CONTAINERS = Object.keys(DEFAULT_RESOURCES) as (keyof ResourceSettings)[];
const SECTIONS = ["requests", "limits"] as const;
const AMOUNTS = ["cpu", "memory", "ephemeral-storage"] as const;

/**
 * Reads e.g. `pulumi config set --path tinode:resources.tinode.limits.memory 1Gi`. Unknown fields
 * are errors: a typo would otherwise be silently ignored.
 */
export function readResources(r: ConfigReader, key: string): ResourceSettings {
    const given = r.object(key) ?? {};
    const result = structuredClone(DEFAULT_RESOURCES);
    const setByUser = new Set<string>();
    for (const [container, sections] of Object.entries(given)) {
        if (!CONTAINERS.includes(container as keyof ResourceSettings)) {
            r.problem(`${key}.${container}`, `is not a container of this stack: use one of ${CONTAINERS.join(", ")}`);
            continue;
        }
        const target: ContainerResources = result[container as keyof ResourceSettings];
        for (const [section, amounts] of Object.entries(asObject(r, `${key}.${container}`, sections))) {
            if (!(SECTIONS as readonly string[]).includes(section)) {
                r.problem(`${key}.${container}.${section}`, `is not known: use ${SECTIONS.join(" or ")}`);
                continue;
            }
            for (const [amount, value] of Object.entries(asObject(r, `${key}.${container}.${section}`, amounts))) {
                const path = `${key}.${container}.${section}.${amount}`;
                if (!(AMOUNTS as readonly string[]).includes(amount)) {
                    r.problem(path, `is not known: use ${AMOUNTS.join(", ")}`);
                    continue;
                }
                // Memory and storage are bytes: `512m` would be half a byte.
                const wrong = (amount === "cpu" ? checkQuantity : checkByteQuantity)(String(value));
                if (wrong !== undefined) {
                    r.problem(path, wrong, String(value));
                    continue;
                }
                (target[section as "limits"] as Record<string, string>)[amount] = String(value);
                setByUser.add(path);
            }
        }
    }
    // The API server refuses a request above its limit; name the value the user set.
    for (const container of CONTAINERS) {
        const { requests, limits } = result[container];
        for (const amount of AMOUNTS) {
            const [request, limit] = [requests[amount], limits[amount]];
            if (request === undefined || limit === undefined || quantityAtMost(request, limit)) continue;
            const [req, lim] = [`${key}.${container}.requests.${amount}`, `${key}.${container}.limits.${amount}`];
            const limitGiven = setByUser.has(lim);
            r.problem(
                limitGiven ? lim : req,
                limitGiven
                    ? `is below the request ${r.fullKey(req)} (${request}): Kubernetes refuses a limit below its request; raise the limit or lower the request`
                    : `is above the limit ${r.fullKey(lim)} (${limit}): Kubernetes refuses a request above its limit; lower the request or raise the limit`,
                limitGiven ? limit : request,
            );
        }
    }
    return result;
}

function asObject(r: ConfigReader, path: string, v: unknown): Record<string, unknown> {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    r.problem(path, "must be an object", JSON.stringify(v));
    return {};
}
