// What identifies a stack's data: where its objects are and what holds the data. The program
// exports it as the stack output `dataIdentity`; config/dataGuard.ts compares the next run with it.
import { createHash } from "crypto";
import { splitImageRef } from "./checks";
import { ConfigSource } from "./reader";
import { TinodeSettings } from "./settings";

/**
 * The Kubernetes provider's settings (stack config `kubernetes:<key>`) that pick the cluster. When
 * they select another cluster (another clusterIdentifier, or an active context whose cluster entry
 * differs) pulumi-kubernetes replaces its default provider, and with it every resource: created anew
 * where the new settings point, deleted where the old ones did (provider/pkg/provider/provider.go
 * DiffConfig in pulumi-kubernetes 4.25). The program cannot read the kubeconfig's entries, so any
 * change is refused: a context merely renamed is kept under its old name instead.
 */
export const CLUSTER_KEYS = ["context", "cluster", "kubeconfig", "clusterIdentifier"] as const;
export type ClusterKey = (typeof CLUSTER_KEYS)[number];

/** Where the stack's objects are: a cluster (by the provider settings as set), or rendered files. */
export type DataTarget = { kind: "render" } | { kind: "cluster"; provider: Partial<Record<ClusterKey, string>> };

/** The target of these settings; a kubeconfig (a path or the file's contents) is kept as a hash only. */
export function dataTarget(s: Pick<TinodeSettings, "renderYamlTo">, kubernetes: (key: ClusterKey) => string | undefined): DataTarget {
    if (s.renderYamlTo) return { kind: "render" };
    const provider: Partial<Record<ClusterKey, string>> = {};
    for (const k of CLUSTER_KEYS) {
        const v = kubernetes(k);
        if (v) provider[k] = k === "kubeconfig" ? `sha256:${createHash("sha256").update(v).digest("hex").slice(0, 16)}` : v;
    }
    return { kind: "cluster", provider };
}

export interface DeployedMysqlVolume {
    database: string;
    user: string;
    storageClass: string;
    storageSize: string;
    /** The image its data directory was last run with (absent in identities exported before). */
    image?: string;
}

/** An image's repository and its tag's version (major, minor), when the tag starts with one. */
export function mysqlImageVersion(image: string): { repository: string; version?: [number, number] } {
    const { name, tag } = splitImageRef(image);
    const repository = name.replace(/^(docker\.io\/)?(library\/)?/, "");
    const m = /^(\d+)\.(\d+)/.exec(tag ?? "");
    return { repository, version: m ? [Number(m[1]), Number(m[2])] : undefined };
}

/** Release order of two major.minor versions: negative when `a` is older, 0 when the same, positive when newer. */
export function compareReleases(a: readonly [number, number], b: readonly [number, number]): number {
    return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
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
    /**
     * Where the objects are. Absent in identities exported before it existed, which only deployments
     * to a cluster exported (a rendering run exported none): absent means a cluster, settings unknown.
     */
    target?: DataTarget;
    /**
     * Whether the namespace, claims and data Secrets were deployed to stay in the cluster when
     * Pulumi deletes them (builders/retention.ts). Pulumi deletes a resource the program no longer
     * declares with the options its last deployment recorded, so only a previous deployment that kept
     * data makes dropping the namespace safe.
     */
    keepsData?: boolean;
    /** The stack uses secrets taken over with kept data (tinode:keptSecrets) instead of generated ones. */
    keptSecrets?: boolean;
    /** How many backups the job keeps, with backups on. */
    backupRetention?: number;
}

/**
 * The identity of what these settings deploy; `source` tells which key configured an external
 * MySQL, `previous` (the last deployment's identity) supplies the kept volume of a deployed MySQL.
 */
export function dataIdentity(
    s: TinodeSettings,
    source: ConfigSource = () => undefined,
    previous?: unknown,
    target: DataTarget = dataTarget(s, () => undefined),
): DataIdentity {
    const externalVia = source("mysqlExternalHost") ? "mysqlExternalHost" : "mysqlExternalDsn";
    const m = s.mysql;
    const media = s.media;
    const deployedMysql: DeployedMysqlVolume | undefined =
        m.kind === "internal"
            ? { database: m.database, user: m.user, storageClass: m.storageClass ?? "", storageSize: m.storageSize, image: m.image }
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
        target,
        keepsData: s.protectData || (!s.deleteDataOnDestroy && !s.renderYamlTo),
        keptSecrets: s.keptSecrets !== undefined,
        ...(s.backup ? { backupRetention: s.backup.retention } : {}),
    };
}

/** Whether a previous deployment's output is an identity (older releases exported none). */
export function isIdentity(v: unknown): v is DataIdentity {
    const o = v as DataIdentity | undefined;
    return (
        typeof o === "object" && o !== null && typeof o.namespace === "string" && typeof o.mysql === "object" && typeof o.media === "object"
    );
}
