// Which config changes would destroy or strand a stack's data. The next run reads back the identity
// the last deployment exported (config/dataIdentity.ts, index.ts) and refuses, before anything is
// created, a change that would lose data, naming the key and the safe procedure (README "Operations
// that touch data").
import { quantityAtMost } from "./checks";
import { CLUSTER_KEYS, DataIdentity, DataTarget, compareReleases, isIdentity, mysqlImageVersion } from "./dataIdentity";
import { ConfigError } from "./reader";
import { MysqlUpgrade } from "./settings";

/** Config keys whose change `tinode:acceptDataChange` can accept, once the data is taken care of. */
export const ACCEPTABLE_DATA_CHANGES = [
    "namespace",
    "replicas",
    "createNamespace",
    "mysqlExternalDsn",
    "mysqlExternalHost",
    "mysqlDatabase",
    "mysqlUser",
    "mysqlStorageClass",
    "mysqlImage",
    "mediaHandler",
    "mediaStorageClass",
    "mediaAccessMode",
    "mediaS3Bucket",
    "mediaS3Endpoint",
    "backupDestination",
    "backupStorageClass",
] as const;

const PROCEDURE = 'see README, "Operations that touch data"';

/** A data-losing change the caller found beyond the identity (index.ts: worker ids), refused like the others. */
export interface FoundChange {
    key: (typeof ACCEPTABLE_DATA_CHANGES)[number];
    what: string;
}

/**
 * The problems of going from `before` (the previous deployment's identity, or anything else it
 * exported) to `after`. `accepted` lists keys whose change the operator has made safe by hand.
 */
export function dataChangeProblems(
    before: unknown,
    after: DataIdentity,
    accepted: readonly string[],
    keyPrefix = "tinode",
    found: readonly FoundChange[] = [],
): string[] {
    const key = (k: string) => `${keyPrefix}:${k}`;
    const problems: string[] = [];
    const used = new Set<string>();
    // An acceptance left in place would let the next change of that key through unseen.
    const stale = () =>
        accepted
            .filter((k) => !used.has(k))
            .map(
                (k) =>
                    `${key("acceptDataChange")} lists ${k}, which does not change now: remove it (pulumi config rm ${key("acceptDataChange")})`,
            );
    const refuse = (k: string, what: string, acceptable = true) => {
        if (acceptable && accepted.includes(k)) {
            used.add(k);
            return;
        }
        const way = acceptable ? `; once the data is safe, accept it with: pulumi config set ${key("acceptDataChange")} ${k}` : "";
        problems.push(`${key(k)} ${what} (${PROCEDURE}${way})`);
    };
    for (const f of found) refuse(f.key, f.what);
    if (!isIdentity(before)) return [...problems, ...stale()];

    // Where the objects are, before anything about them: rendered files hold no data to lose, and
    // a stack that moves away from its cluster would take every object with it.
    const bt: DataTarget = before.target ?? { kind: "cluster", provider: {} };
    if (bt.kind === "render") return stale();
    if (after.target?.kind === "render") {
        problems.push(
            `${key("renderYamlTo")} is set on a stack deployed to a cluster: Pulumi would replace every object with a rendered copy and delete the originals in the cluster, the namespace and the data with them. Render from a stack of its own (pulumi stack init <name>, the same config, then ${key("renderYamlTo")}), and remove the key here: pulumi config rm ${key("renderYamlTo")} (${PROCEDURE})`,
        );
        return [...problems, ...stale()];
    }
    if (after.target?.kind === "cluster" && before.target?.kind === "cluster") {
        for (const k of CLUSTER_KEYS) {
            const [was, now] = [bt.provider[k], after.target.provider[k]];
            if (was === now) continue;
            const show = (v: string | undefined) => (v === undefined ? "(not set)" : `"${v}"`);
            // Only a hash of a kubeconfig is known: say that it changed, not what it was.
            const change =
                k === "kubeconfig"
                    ? `changed (${was === undefined ? "it was not set" : now === undefined ? "it is no longer set" : "another file or contents"})`
                    : `changed from ${show(was)} to ${show(now)}`;
            problems.push(
                `kubernetes:${k} ${change}: the Kubernetes provider would be replaced, and with it every object of this stack: created anew where the new setting points (with an empty database) and deleted, with the data, where the old one did. Set it back (pulumi config set kubernetes:${k} ...${was === undefined ? `, or pulumi config rm kubernetes:${k}` : ""}); to move the chat to another cluster, deploy a new stack there and restore a backup (${PROCEDURE})`,
            );
        }
    }
    const shrink = (k: string, from: string, to: string) => {
        if (!quantityAtMost(from, to))
            refuse(k, `went from ${from} to ${to}: Kubernetes cannot shrink a volume; keep ${from} or more`, false);
    };

    if (before.namespace !== after.namespace) {
        refuse(
            "namespace",
            `changed from "${before.namespace}" to "${after.namespace}": everything would be created anew there with an empty database` +
                (before.keepsData
                    ? `; namespace "${before.namespace}" would be left with the MySQL, upload, backup and schema-dump volumes and the Secrets in it (delete it by hand once the data is moved)`
                    : before.createNamespace
                      ? `, and namespace "${before.namespace}" deleted with the MySQL, upload, backup and schema-dump volumes in it`
                      : `, and the upload, backup and schema-dump claims in "${before.namespace}" deleted`),
        );
    } else if (before.createNamespace && !after.createNamespace && !before.keepsData) {
        refuse(
            "createNamespace",
            `went from true to false: Pulumi would delete namespace "${before.namespace}", which this stack created, with the volumes in it; first make Pulumi forget it without deleting it (pulumi state delete --target-dependents <URN of the Namespace>, then pulumi refresh)`,
        );
    } else if (!before.createNamespace && after.createNamespace) {
        refuse(
            "createNamespace",
            `went from false to true: the stack would take over namespace "${before.namespace}", which it did not create and which may hold other applications, and a destroy with ${key("deleteDataOnDestroy")} would delete it with everything in it`,
        );
    }

    const [bm, am] = [before.mysql, after.mysql];
    if (bm.kind !== am.kind) {
        const k = am.kind === "external" ? am.via : bm.kind === "external" ? bm.via : "mysqlExternalDsn";
        refuse(
            k,
            am.kind === "external"
                ? "moves Tinode from the MySQL this stack runs to an external one, where init-db would create an empty database (the deployed MySQL's volume and passwords are kept); copy the database over first"
                : "moves Tinode from the external MySQL to one this stack runs, which starts empty (or with what an earlier switch left on its volume); copy the database over first",
        );
    } else if (bm.kind === "external" && am.kind === "external") {
        if (bm.host !== am.host || bm.port !== am.port)
            refuse(am.via, `moves Tinode from ${bm.host}:${bm.port} to ${am.host}:${am.port}; copy the database there first`);
        if (bm.database !== am.database)
            refuse(
                am.via === "mysqlExternalHost" ? "mysqlDatabase" : am.via,
                `changes the database from "${bm.database}" to "${am.database}": init-db would create an empty one and leave the data in "${bm.database}"`,
            );
    }
    // The deployed MySQL's volume, also when coming back to it from an external MySQL.
    const [bv, av] = [before.deployedMysql, am.kind === "internal" ? after.deployedMysql : undefined];
    if (bv && av) {
        if (bv.database !== av.database)
            refuse(
                "mysqlDatabase",
                `changed from "${bv.database}" to "${av.database}": MySQL granted the user only "${bv.database}" when its volume was new, so the schema Job would fail and the data would stay in "${bv.database}"`,
            );
        if (bv.user !== av.user)
            refuse(
                "mysqlUser",
                `changed from "${bv.user}" to "${av.user}": MySQL creates its user only when its volume is new, so Tinode would log in as a user that does not exist; create it first`,
            );
        if (bv.storageClass !== av.storageClass)
            refuse(
                "mysqlStorageClass",
                `changed from "${bv.storageClass || "(default)"}" to "${av.storageClass || "(default)"}": the volume claim keeps its class; moving the data to a new claim is a dump and restore`,
            );
        shrink("mysqlStorageSize", bv.storageSize, av.storageSize);
        // MySQL upgrades its data directory in place on start and cannot read it with an older
        // release afterwards (MySQL 8.4 manual, "Downgrading MySQL"); another server family reads
        // another format.
        if (bv.image && av.image && bv.image !== av.image) {
            const [was, now] = [mysqlImageVersion(bv.image), mysqlImageVersion(av.image)];
            if (was.repository !== now.repository) {
                refuse(
                    "mysqlImage",
                    `changes the server from ${was.repository} to ${now.repository}: the data directory on the volume was written by ${was.repository} and another server may not read it; dump, move the claim aside, let the new server start empty, restore`,
                );
            } else if (was.version && now.version && compareReleases(now.version, was.version) < 0) {
                refuse(
                    "mysqlImage",
                    `goes back from ${was.version.join(".")} to ${now.version.join(".")}: MySQL upgraded the data directory when ${was.version.join(".")} started and an older release cannot start on it; dump with the running ${was.version.join(".")}, move the claim aside, let ${now.version.join(".")} start empty, restore`,
                );
            }
        }
    }

    const [bf, af] = [before.media, after.media];
    if (bf.handler !== af.handler && bf.handler !== "none") {
        refuse(
            "mediaHandler",
            `went from ${bf.handler} to ${af.handler}: ` +
                (bf.handler === "fs"
                    ? "the upload volume would be deleted with the uploads on it"
                    : `the uploads in bucket "${bf.bucket}" would no longer be served`) +
                "; copy them over first",
        );
    } else if (bf.handler === "fs" && af.handler === "fs") {
        if (bf.storageClass !== af.storageClass)
            refuse(
                "mediaStorageClass",
                "changed: the upload volume would be replaced (deleted first) with the uploads on it; copy them out first",
            );
        if (bf.accessMode !== af.accessMode)
            refuse(
                "mediaAccessMode",
                "changed: the upload volume would be replaced (deleted first) with the uploads on it; copy them out first",
            );
        shrink("mediaStorageSize", bf.storageSize, af.storageSize);
    } else if (bf.handler === "s3" && af.handler === "s3" && (bf.bucket !== af.bucket || bf.endpoint !== af.endpoint)) {
        // A bucket of the same name at another endpoint is another bucket: name the endpoints then.
        const at = (m: typeof bf) => (bf.endpoint === af.endpoint ? "" : ` at ${m.endpoint || "AWS S3"}`);
        refuse(
            bf.bucket === af.bucket ? "mediaS3Endpoint" : "mediaS3Bucket",
            `moves uploads from bucket "${bf.bucket}"${at(bf)} to "${af.bucket}"${at(af)}: the old uploads would no longer be served; copy them first`,
        );
    }
    shrink("schemaDumpStorageSize", before.schemaDumpStorageSize, after.schemaDumpStorageSize);
    // Generated secrets and taken-over ones are different values: a switch either way would give
    // Tinode a new UID key (every user id changes) and MySQL passwords its volume does not know.
    if (Boolean(before.keptSecrets) !== Boolean(after.keptSecrets)) {
        refuse(
            "keptSecrets",
            before.keptSecrets
                ? "was removed: the stack would generate a new UID key and new MySQL passwords for the data it took over; set it back (pulumi config set --secret tinode:keptSecrets ... from a backup of the stack's config)"
                : "was set on a stack that generated its secrets: Tinode would get another UID key and MySQL other passwords than its data was made with; remove it (pulumi config rm tinode:keptSecrets)",
            false,
        );
    }
    // The backup volume holds the backups themselves: it goes with its claim.
    const [bb, ab] = [before.backupVolume, after.backupVolume];
    if (bb && !ab) {
        refuse(
            "backupDestination",
            "no longer writes to the backup volume: its claim would be deleted with every backup on it; copy them out first",
        );
    } else if (bb && ab) {
        if (bb.storageClass !== ab.storageClass)
            refuse(
                "backupStorageClass",
                `changed from "${bb.storageClass || "(default)"}" to "${ab.storageClass || "(default)"}": the backup volume would be replaced (deleted first) with the backups on it; copy them out first`,
            );
        shrink("backupStorageSize", bb.storageSize, ab.storageSize);
    }
    return [...problems, ...stale()];
}

/**
 * Changes that are allowed but delete or risk data on purpose, to print at preview (index.ts): fewer
 * backups kept, and a MySQL upgrade, which cannot be undone.
 */
export function dataChangeNotices(before: unknown, after: DataIdentity, keyPrefix = "tinode"): string[] {
    if (!isIdentity(before) || before.target?.kind === "render" || after.target?.kind === "render") return [];
    const notices: string[] = [];
    const [br, ar] = [before.backupRetention, after.backupRetention];
    if (br !== undefined && ar !== undefined && ar < br) {
        notices.push(
            `${keyPrefix}:backupRetention went from ${br} to ${ar}: the next backup deletes all but the newest ${ar} (up to ${br - ar} more than now); copy out the ones you want to keep first`,
        );
    }
    const upgrade = mysqlUpgrade(before, after);
    if (upgrade) {
        notices.push(
            `${keyPrefix}:mysqlImage goes from ${upgrade.from} to ${upgrade.to}: MySQL upgrades its data directory when the new pod starts and no older release can start on it again; a Job dumps the database with ${upgrade.from} into the schema-dumps claim first, the way back (README, "Operations that touch data")`,
        );
    }
    return notices;
}

/**
 * The deployed MySQL moving to a newer release (major.minor) of the same image, deployed to a
 * cluster both times: the component dumps the database with the running release first
 * (builders/mysqlUpgradeDump.ts). Undefined for anything else, including a first deployment.
 */
export function mysqlUpgrade(before: unknown, after: DataIdentity): MysqlUpgrade | undefined {
    if (!isIdentity(before) || before.target?.kind === "render" || after.target?.kind === "render") return undefined;
    const [from, to] = [before.deployedMysql?.image, after.mysql.kind === "internal" ? after.deployedMysql?.image : undefined];
    if (!from || !to || from === to) return undefined;
    const [was, now] = [mysqlImageVersion(from), mysqlImageVersion(to)];
    if (was.repository !== now.repository || !was.version || !now.version) return undefined;
    return compareReleases(now.version, was.version) > 0 ? { from, to } : undefined;
}

/** Throws a ConfigError listing every data-losing change, or returns. */
export function checkDataChanges(...args: Parameters<typeof dataChangeProblems>): void {
    const problems = dataChangeProblems(...args);
    if (problems.length > 0) throw new ConfigError(problems);
}

/** `tinode:acceptDataChange`: a comma-separated list of keys from ACCEPTABLE_DATA_CHANGES. */
export function checkAcceptDataChange(v: string): string | undefined {
    const unknown = v
        .split(",")
        .map((k) => k.trim())
        .filter((k) => !(ACCEPTABLE_DATA_CHANGES as readonly string[]).includes(k));
    return unknown.length === 0 ? undefined : `must list keys from: ${ACCEPTABLE_DATA_CHANGES.join(", ")} (separated by commas)`;
}
