// The tinode.conf document. Built from plain values: the component resolves secrets first.
import { EXPVAR_PATH, PORTS } from "../tinode/facts";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MediaSettings, TinodeSettings } from "../config/settings";
import { ClusterConfig } from "./clusterNodes";
import { opaqueSecretArgs } from "./objects";
import { mediaConfig } from "./media";
import { featureSections, NO_FEATURES, pushSection, ResolvedFeatures } from "./tinodeFeatures";
import { sha256 } from "./hash";

export interface TinodeSecrets {
    /** base64 of >= 32 random bytes: signs login tokens. */
    tokenKey: string;
    /** base64 of exactly 16 bytes: XTEA key for user ids; init-db must use the same. */
    uidKey: string;
    apiKeySalt: string;
    /** go-sql-driver DSN naming the database. */
    dsn: string;
    /** Only with the s3 media handler. */
    s3SecretAccessKey?: string;
}

export interface TinodeConfigInput {
    database: string;
    media: MediaSettings;
    cluster: ClusterConfig | undefined;
    secrets: TinodeSecrets;
    /** Email, push, calls, CORS, housekeeping; all off when absent. */
    features?: ResolvedFeatures;
    /**
     * Clients arrive through a proxy that sets X-Forwarded-For (builders/services.ts
     * clientsBehindProxy); only then may Tinode take the client's address from that header.
     */
    clientsBehindProxy: boolean;
}

/**
 * Keys follow docker/tinode/config.template of the Tinode release. Left out on purpose: TLS (done at
 * the ingress), SMS validation and plugins. Email validation, push, webrtc and housekeeping come from
 * the feature settings (builders/tinodeFeatures.ts) and are absent while off. Push is not optional
 * in the same way: see below.
 */
export function tinodeConfig(input: TinodeConfigInput): Record<string, unknown> {
    const features = input.features ?? NO_FEATURES;
    const doc: Record<string, unknown> = {
        listen: `:${PORTS.http}`,
        api_path: "/",
        cache_control: 39600,
        static_mount: "/",
        grpc_listen: `:${PORTS.grpc}`,
        grpc_keepalive_enabled: true,
        api_key_salt: input.secrets.apiKeySalt,
        max_message_size: features.maxMessageBytes,
        max_subscriber_count: 128,
        max_tag_count: 16,
        expvar: EXPVAR_PATH,
        // Behind a proxy the client's address is in the header; without one any client could forge it.
        use_x_forwarded_for: input.clientsBehindProxy,
        auth_config: {
            logical_names: [],
            basic: { add_to_tags: true, min_login_length: 3, min_password_length: 6 },
            token: { expire_in: 1209600, serial_num: 1, key: input.secrets.tokenKey },
        },
        // Tinode 0.25 parses `push` unconditionally and exits ("failed to parse config: unexpected end
        // of JSON input") when it is missing; an empty list means no push handlers.
        push: pushSection(features.push),
        store_config: {
            uid_key: input.secrets.uidKey,
            max_results: 1024,
            use_adapter: "mysql",
            adapters: {
                mysql: { dsn: input.secrets.dsn, database: input.database },
            },
        },
    };
    const media = mediaConfig(input.media, input.secrets.s3SecretAccessKey ?? "", features.mediaCorsOrigins);
    if (media !== undefined) doc.media = media;
    if (input.cluster !== undefined) doc.cluster_config = input.cluster;
    return { ...doc, ...featureSections(features) };
}

/** The file's text: stable key order, so equal settings give byte-equal files and checksums. */
export function renderTinodeConfig(doc: Record<string, unknown>): string {
    return JSON.stringify(doc, null, 2) + "\n";
}

/**
 * The config checksum in the pod template: Tinode reads its files only at start, so any change must
 * roll the pods. Only tinode.conf when it is the only file (the checksum existing stacks have).
 */
export function configChecksum(text: string, files: Record<string, string> = {}): string {
    return Object.keys(files).length === 0 ? sha256(text) : sha256(JSON.stringify({ "tinode.conf": text, ...files }));
}

/**
 * A config Secret: the servers' (names.serverConfig) or the schema Job's (names.config); the config
 * holds every secret of the cluster. `files` are further files next to tinode.conf (an FCM service account).
 */
export function configSecretArgs(
    instance: string,
    s: Pick<TinodeSettings, "image" | "namespace">,
    name: string,
    text: pulumi.Input<string>,
    files: Record<string, pulumi.Input<string>> = {},
): k8s.core.v1.SecretArgs {
    return opaqueSecretArgs(instance, s, name, "server", s.image, { "tinode.conf": text, ...files });
}
