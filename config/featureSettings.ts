// Part of the stack's typed settings (config/settings.ts): media uploads and the optional Tinode features (email verification, push, calls, accounts).
import * as pulumi from "@pulumi/pulumi";

/** No uploads beyond what fits in a message (media section left out of tinode.conf). */
export interface NoMedia {
    handler: "none";
}

/** Tinode's fs handler: one volume shared by every node. */
export interface FsMedia {
    handler: "fs";
    maxUploadBytes: number;
    storageSize: string;
    storageClass?: string;
    accessMode: "ReadWriteMany" | "ReadWriteOnce";
}

export interface S3Media {
    handler: "s3";
    maxUploadBytes: number;
    bucket: string;
    region: string;
    endpoint?: string;
    accessKeyId: string;
    /** A secret. */
    secretAccessKey: pulumi.Input<string>;
}

export type MediaSettings = NoMedia | FsMedia | S3Media;

/** Tinode's email validator (acc_validation.email): verification required for new accounts. */
export interface EmailSettings {
    smtpHost: string;
    smtpPort: number;
    /** RFC 5322 address, e.g. "Tinode <noreply@example.com>". */
    sender: string;
    login?: string;
    /** A secret; set together with login. */
    password?: pulumi.Input<string>;
    authMechanism: "plain" | "login" | "cram-md5";
    /** STARTTLS without checking the server's certificate. */
    insecureSkipVerify: boolean;
    heloHost?: string;
    /** Base URL of the web client, used in the links of the mails. */
    hostUrl: string;
    /** Only addresses in these domains may register; empty allows any. */
    domains: string[];
    languages: string[];
    maxRetries: number;
    codeLength: number;
    /** A code that confirms any address: development only. A secret. */
    debugResponse?: pulumi.Input<string>;
}

/** Tinode Push Gateway (console.tinode.co). */
export interface TnpgPush {
    org: string;
    /** A secret. */
    token: pulumi.Input<string>;
}

/** Firebase Cloud Messaging with a service account. */
export interface FcmPush {
    /** The service-account JSON: a secret, mounted as a file from the config Secret. */
    credentials: pulumi.Input<string>;
    timeToLive: number;
    dryRun: boolean;
    /** Notification payloads per platform, in Tinode's own field names (server/push/common/typedef.go Config). */
    android?: Record<string, unknown>;
    apns?: Record<string, unknown>;
    webpush?: Record<string, unknown>;
    apnsBundleId?: string;
}

export interface PushSettings {
    tnpg?: TnpgPush;
    fcm?: FcmPush;
}

export interface IceServer {
    urls: string[];
    username?: string;
    /** A secret. */
    credential?: pulumi.Input<string>;
}

/** ICE servers written into tinode.conf, or a file from a Secret the operator keeps up to date. */
export type IceServers = { kind: "inline"; servers: IceServer[] } | { kind: "secret"; secretName: string; key: string };

export interface WebrtcSettings {
    callTimeoutSeconds: number;
    iceServers: IceServers;
}

export interface AccountSettings {
    /** Users cannot delete their own accounts. */
    permanent: boolean;
    /** ISO 3166-1 alpha-2; Tinode assumes US when unset. */
    defaultCountryCode?: string;
    /** Delete accounts that never logged in and confirmed nothing after this many hours; 0 = never. */
    unverifiedGcHours: number;
}

/** The optional Tinode features; each is off (absent from tinode.conf) by default. */
export interface FeatureSettings {
    email?: EmailSettings;
    push: PushSettings;
    webrtc?: WebrtcSettings;
    /** cors_origins of the media handler. */
    mediaCorsOrigins: string[];
    accounts: AccountSettings;
    /** max_message_size: the largest message a client may send (websocket, long polling, gRPC). */
    maxMessageBytes: number;
    /** A second Ingress for gRPC clients at this host (ingress-nginx backend-protocol GRPC). */
    grpcIngressHost?: string;
}
