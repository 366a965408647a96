// What identifies a stack's data, and which config changes would destroy or strand it. The program
// exports the identity as the stack output `dataIdentity`; the next run reads it back (index.ts) and
// refuses, before anything is created, a change that would lose data, naming the key and the safe
// procedure (README "Operations that touch data").
import { quantityAtMost } from "./checks";
import { ConfigError, ConfigSource } from "./reader";
import { TinodeSettings } from "./settings";

export interface DeployedMysqlVolume {
    database: string;
    user: string;
    storageClass: string;
    storageSize: string;
}

export interface DataIdentity {
    namespace: string;
    createNamespace: boolean;
    mysql:
        | { kind: "internal" }
        | { kind: "external"; via: "mysqlExternalDsn" | "mysqlExternalHost"; host: string; port: number; database: string };
    /**
     * The deployed MySQL's volume as it was made. Carried over while an external MySQL is used: its
     * claim and passwords are kept, so a switch back must fit them.
     */
    deployedMysql?: DeployedMysqlVolume;
    media:
        | { handler: "none" }
        | { handler: "s3"; bucket: string; endpoint: string }
        | { handler: "fs"; storageClass: string; accessMode: string; storageSize: string };
    schemaDumpStorageSize: string;
    /** The backup volume, when backups go to one (absent in identities exported before backups existed). */
    backupVolume?: { storageClass: string; storageSize: string };
}

/** Config keys whose change `tinode:acceptDataChange` can accept, once the data is taken care of. */
export const ACCEPTABLE_DATA_CHANGES = [
    "namespace",
    "createNamespace",
    "mysqlExternalDsn",
    "mysqlExternalHost",
    "mysqlDatabase",
    "mysqlUser",
    "mysqlStorageClass",
    "mediaHandler",
    "mediaStorageClass",
    "mediaAccessMode",
    "mediaS3Bucket",
    "backupDestination",
    "backupStorageClass",
] as const;

/**
 * The identity of what these settings deploy; `source` tells which key configured an external
 * MySQL, `previous` (the last deployment's identity) supplies the kept volume of a deployed MySQL.
 */
export function dataIdentity(s: TinodeSettings, source: ConfigSource = () => undefined, previous?: unknown): DataIdentity {
    const externalVia = source("mysqlExternalHost") ? "mysqlExternalHost" : "mysqlExternalDsn";
    const m = s.mysql;
    const media = s.media;
    const deployedMysql: DeployedMysqlVolume | undefined =
        m.kind === "internal"
            ? { database: m.database, user: m.user, storageClass: m.storageClass ?? "", storageSize: m.storageSize }
            : isIdentity(previous)
              ? previous.deployedMysql
              : undefined;
    return {
        namespace: s.namespace,
        createNamespace: s.createNamespace,
        mysql:
            m.kind === "internal"
                ? { kind: "internal" }
                : { kind: "external", via: externalVia, host: m.host, port: m.port, database: m.database },
        ...(deployedMysql ? { deployedMysql } : {}),
        media:
            media.handler === "none"
                ? { handler: "none" }
                : media.handler === "s3"
                  ? { handler: "s3", bucket: media.bucket, endpoint: media.endpoint ?? "" }
                  : { handler: "fs", storageClass: media.storageClass ?? "", accessMode: media.accessMode, storageSize: media.storageSize },
        schemaDumpStorageSize: s.schemaDumpStorageSize,
        ...(s.backup?.destination.kind === "volume"
            ? { backupVolume: { storageClass: s.backup.destination.storageClass ?? "", storageSize: s.backup.destination.storageSize } }
            : {}),
    };
}

const PROCEDURE = 'see README, "Operations that touch data"';

/**
 * The problems of going from `before` (the previous deployment's identity, or anything else it
 * exported) to `after`. `accepted` lists keys whose change the operator has made safe by hand.
 */
export function dataChangeProblems(before: unknown, after: DataIdentity, accepted: readonly string[], keyPrefix = "tinode"): string[] {
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
    if (!isIdentity(before)) return stale();
    const refuse = (k: string, what: string, acceptable = true) => {
        if (acceptable && accepted.includes(k)) {
            used.add(k);
            return;
        }
        const way = acceptable ? `; once the data is safe, accept it with: pulumi config set ${key("acceptDataChange")} ${k}` : "";
        problems.push(`${key(k)} ${what} (${PROCEDURE}${way})`);
    };
    const shrink = (k: string, from: string, to: string) => {
        if (!quantityAtMost(from, to))
            refuse(k, `went from ${from} to ${to}: Kubernetes cannot shrink a volume; keep ${from} or more`, false);
    };

    if (before.namespace !== after.namespace) {
        refuse(
            "namespace",
            `changed from "${before.namespace}" to "${after.namespace}": everything would be created anew there with an empty database` +
                (before.createNamespace ? `, and namespace "${before.namespace}" deleted with the MySQL and upload volumes in it` : ""),
        );
    } else if (before.createNamespace && !after.createNamespace) {
        refuse(
            "createNamespace",
            `went from true to false: Pulumi would delete namespace "${before.namespace}", which this stack created, with the volumes in it; first make Pulumi forget it without deleting it (pulumi state delete <URN of the Namespace>)`,
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
        refuse(
            "mediaS3Bucket",
            `moves uploads from bucket "${bf.bucket}" to "${af.bucket}": the old uploads would no longer be served; copy them first`,
        );
    }
    shrink("schemaDumpStorageSize", before.schemaDumpStorageSize, after.schemaDumpStorageSize);
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

/** Throws a ConfigError listing every data-losing change, or returns. */
export function checkDataChanges(before: unknown, after: DataIdentity, accepted: readonly string[], keyPrefix = "tinode"): void {
    const problems = dataChangeProblems(before, after, accepted, keyPrefix);
    if (problems.length > 0) throw new ConfigError(problems);
}

function isIdentity(v: unknown): v is DataIdentity {
    const o = v as DataIdentity | undefined;
    return (
        typeof o === "object" && o !== null && typeof o.namespace === "string" && typeof o.mysql === "object" && typeof o.media === "object"
    );
}

/** `tinode:acceptDataChange`: a comma-separated list of keys from ACCEPTABLE_DATA_CHANGES. */
export function checkAcceptDataChange(v: string): string | undefined {
    const unknown = v
        .split(",")
        .map((k) => k.trim())
        .filter((k) => !(ACCEPTABLE_DATA_CHANGES as readonly string[]).includes(k));
    return unknown.length === 0 ? undefined : `must list keys from: ${ACCEPTABLE_DATA_CHANGES.join(", ")} (separated by commas)`;
}
