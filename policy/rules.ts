// The rules, as pure functions over a resource's type and input properties (the Kubernetes Args the
// program builds, as the engine hands them to the pack). Each returns its violations as messages: an
// empty list means the resource passes. policies.ts wires them into the pack; the tests call them
// directly.

/**
 * The values the engine sends for an input that is not known yet (a preview before the resource it
 * comes from exists), one per kind: string, boolean, number, array, asset, archive, object. A rule
 * skips the one check that needs such a value; `pulumi up` checks again once it is known.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const UNKNOWNS = new Set([
    UNKNOWN,
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** What a rule may know about the stack besides the resource. */
export interface RuleContext {
    /** True on a development stack (see isDevStack in stack.ts): some rules are relaxed there. */
    dev: boolean;
}

export type Rule = (type: string, props: unknown, ctx: RuleContext) => string[];

export const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

/** Where each workload type keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    [STATEFUL_SET]: ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function at(v: unknown, path: string[]): unknown {
    let cur = v;
    for (const key of path) {
        if (!isObj(cur)) return undefined;
        cur = cur[key];
    }
    return cur;
}

function list(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

export function isUnknown(v: unknown): boolean {
    return typeof v === "string" && UNKNOWNS.has(v);
}

/** A container, named by the list it is in: "containers[tinode]", "initContainers[wait-for-mysql]". */
export interface NamedContainer {
    where: string;
    container: Obj;
}

/** Every container of a workload's pod spec (containers, initContainers, ephemeralContainers). */
export function containersOf(type: string, props: unknown): NamedContainer[] {
    const path = POD_SPEC_PATHS[type];
    if (path === undefined) return [];
    const podSpec = at(props, path);
    const found: NamedContainer[] = [];
    for (const field of ["initContainers", "containers", "ephemeralContainers"]) {
        list(at(podSpec, [field])).forEach((c, i) => {
            if (!isObj(c)) return;
            const name = typeof c.name === "string" && !isUnknown(c.name) ? c.name : String(i);
            found.push({ where: `${field}[${name}]`, container: c });
        });
    }
    return found;
}

/** The container's command and args, as strings (unknown or non-string entries left out). */
function commandLine(c: Obj): string[] {
    return [...list(c.command), ...list(c.args)].filter((a): a is string => typeof a === "string" && !isUnknown(a));
}

// ---------------------------------------------------------------------------------------------
// 1. Tinode replicas: odd and at least 3 outside dev.

/** The Tinode server StatefulSet: its pod template is labelled name=tinode, component=server. */
export function isTinodeServerStatefulSet(type: string, props: unknown): boolean {
    if (type !== STATEFUL_SET) return false;
    const labels = at(props, ["spec", "template", "metadata", "labels"]);
    return isObj(labels) && labels["app.kubernetes.io/name"] === "tinode" && labels["app.kubernetes.io/component"] === "server";
}

/**
 * Outside dev the Tinode cluster has an odd number of nodes, at least 3: fewer cannot fail over, and
 * an even count adds a node without adding a vote to leader election.
 */
export const tinodeReplicas: Rule = (type, props, ctx) => {
    if (ctx.dev || !isTinodeServerStatefulSet(type, props)) return [];
    const replicas = at(props, ["spec", "replicas"]);
    if (isUnknown(replicas)) return [];
    // Kubernetes defaults a missing replicas to 1.
    const n = replicas === undefined || replicas === null ? 1 : Number(replicas);
    if (Number.isInteger(n) && n >= 3 && n % 2 === 1) return [];
    return [`Tinode runs ${String(replicas ?? "1 (unset)")} replicas: outside dev it needs an odd number, at least 3 (tinode:replicas)`];
};

// ---------------------------------------------------------------------------------------------
// 2. Pinned images.

/** Why an image reference is not pinned, or undefined when it is (a tag other than latest, or a digest). */
export function imageProblem(image: unknown): string | undefined {
    if (isUnknown(image)) return undefined;
    if (typeof image !== "string" || image.trim() === "") return "has no image";
    const [name, digest] = image.split("@", 2);
    if (digest !== undefined)
        return /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/.test(digest) ? undefined : `has a malformed digest: ${image}`;
    const tagAt = name.indexOf(":", name.lastIndexOf("/") + 1);
    if (tagAt < 0) return `uses an untagged image (means latest): ${image}`;
    const tag = name.slice(tagAt + 1);
    if (tag === "") return `uses an image with an empty tag: ${image}`;
    if (tag.toLowerCase() === "latest") return `uses the latest tag: ${image}`;
    return undefined;
}

/** No `latest` or untagged image in any container (initContainers too): a restart must not change the code. */
export const pinnedImages: Rule = (type, props) =>
    containersOf(type, props).flatMap(({ where, container }) => {
        const problem = imageProblem(container.image);
        return problem === undefined ? [] : [`${where} ${problem}: pin a tag or a digest`];
    });

// ---------------------------------------------------------------------------------------------
// 3. Secrets only in Secrets.

/** Words in a variable name that mark it as a secret. Any part of the name: MYSQL_ROOT_PASSWORD, DB_DSN. */
const SECRET_WORDS = /PASSWORD|PASSWD|SECRET|TOKEN|DSN|CREDENTIAL/i;
/** KEY only as a whole part of the name (API_KEY, TOKEN_KEY, APIKEY), so KEYCLOAK_URL is not caught. */
const KEY_PART = /(^|[_.-])(API)?KEYS?($|[_.-])/i;

export function looksSecret(envName: string): boolean {
    return SECRET_WORDS.test(envName) || KEY_PART.test(envName);
}

/**
 * No literal env `value` for a variable whose name looks secret (PASSWORD, SECRET, TOKEN, KEY, DSN...):
 * it would sit in the pod spec for anyone who can read it. Use valueFrom.secretKeyRef.
 */
export const noSecretEnvValues: Rule = (type, props) =>
    containersOf(type, props).flatMap(({ where, container }) =>
        list(container.env).flatMap((e) => {
            if (!isObj(e) || typeof e.name !== "string" || e.value === undefined || e.value === null) return [];
            return looksSecret(e.name)
                ? [`${where} sets ${e.name} as a plain env value: take it from a Secret (valueFrom.secretKeyRef)`]
                : [];
        }),
    );

/** A go-sql-driver DSN with a password (`user:pw@tcp(`), or any URL with `user:pw@`. */
const DSN_WITH_CREDENTIALS = /[^\s:@"'/]+:[^\s@"']*@(tcp6?|unix)\(/;
const URL_WITH_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/"']+:[^\s@/"']+@/i;

export function hasCredentials(text: string): boolean {
    return DSN_WITH_CREDENTIALS.test(text) || URL_WITH_CREDENTIALS.test(text);
}

/** No ConfigMap holds a DSN or URL with credentials (data, or base64 binaryData): ConfigMaps are not secret. */
export const noCredentialsInConfigMaps: Rule = (type, props) => {
    if (type !== CONFIG_MAP) return [];
    const found: string[] = [];
    const data = at(props, ["data"]);
    if (isObj(data)) {
        for (const [key, value] of Object.entries(data)) {
            if (typeof value === "string" && hasCredentials(value))
                found.push(`ConfigMap key ${key} holds a DSN or URL with credentials: put it in a Secret`);
        }
    }
    const binary = at(props, ["binaryData"]);
    if (isObj(binary)) {
        for (const [key, value] of Object.entries(binary)) {
            if (typeof value === "string" && !isUnknown(value) && hasCredentials(Buffer.from(value, "base64").toString("utf8"))) {
                found.push(`ConfigMap binaryData key ${key} holds a DSN or URL with credentials: put it in a Secret`);
            }
        }
    }
    return found;
};

// ---------------------------------------------------------------------------------------------
// 4. Resources.

function isSet(v: unknown): boolean {
    return v !== undefined && v !== null && v !== "";
}

/**
 * Every container (initContainers too) requests CPU and memory and limits memory: the scheduler
 * needs the requests, and a memory limit keeps one leak from taking the node down.
 */
export const containerResources: Rule = (type, props) =>
    containersOf(type, props).flatMap(({ where, container }) => {
        // Ephemeral (debug) containers cannot have resources.
        if (where.startsWith("ephemeralContainers")) return [];
        const r = container.resources;
        if (isUnknown(r)) return [];
        const missing = [
            ["requests", "cpu"],
            ["requests", "memory"],
            ["limits", "memory"],
        ]
            .filter((path) => !isSet(at(r, path)))
            .map((path) => `resources.${path.join(".")}`);
        return missing.length === 0 ? [] : [`${where} does not set ${missing.join(", ")}`];
    });

// ---------------------------------------------------------------------------------------------
// 5. Sample data only in dev.

/** A Tinode init-db container: named init-db, or running the init-db binary. */
export function isInitDbContainer(c: Obj): boolean {
    if (c.name === "init-db") return true;
    return commandLine(c).some((a) => /(^|[\s/])init-db(\s|$)/.test(a));
}

/** init-db's --data flag (Go flags: -data or --data, "=value" or a separate value), also inside `sh -c`. */
const DATA_FLAG = /(^|[\s"'])--?data(=|\s|$)/;

/** Outside dev, init-db never loads the sample data: its users have published passwords. */
export const noSampleData: Rule = (type, props, ctx) => {
    if (ctx.dev) return [];
    return containersOf(type, props)
        .filter(({ container }) => isInitDbContainer(container))
        .filter(({ container }) => commandLine(container).some((a) => DATA_FLAG.test(a)))
        .map(({ where }) => `${where} loads sample data (init-db --data=...): allowed only on a dev stack (tinode:sampleData)`);
};

// ---------------------------------------------------------------------------------------------
// 6. Never reset.

/** A --reset or -reset flag, whatever its value, also inside `sh -c`. */
const RESET_FLAG = /(^|[\s"'])--?reset(=|\s|$|["'])/;

/** No container anywhere runs with --reset (init-db --reset drops the database), on every stack. */
export const noReset: Rule = (type, props) =>
    containersOf(type, props)
        .filter(({ container }) => commandLine(container).some((a) => RESET_FLAG.test(a)))
        .map(({ where }) => `${where} runs with --reset, which drops the database: never allowed`);
