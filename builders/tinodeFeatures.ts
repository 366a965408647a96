// The tinode.conf sections of the optional features, and what the pods need for them (files, a
// volume, egress ports). Field names and behaviour from github.com/tinode/chat v0.25.3: server/main.go
// (configType, validatorConfig, accountGcConfig), server/validate/email/validate.go, server/push/tnpg,
// server/push/fcm/push_fcm.go, server/calls.go.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FEATURE_FILES, IMAGE_PATHS } from "../tinode/facts";
import { DEFAULTS, FEATURE_DEFAULTS } from "../config/defaults";
import { EmailSettings, FeatureSettings, PushSettings, WebrtcSettings } from "../config/settings";

/** The feature settings with their secrets resolved (the component resolves them, tests pass plain values). */
export type ResolvedFeatures = pulumi.Unwrap<FeatureSettings>;

/** Everything off: what a stack without feature keys gets; tinode.conf is then what it always was. */
export const NO_FEATURES: ResolvedFeatures = {
    push: {},
    mediaCorsOrigins: [],
    accounts: { permanent: false, unverifiedGcHours: 0 },
    maxMessageBytes: DEFAULTS.maxMessageKb * 1024,
};

/**
 * acc_validation: the email validator, required for accounts at the "auth" level (what a user who
 * signs up gets). Tinode skips a validator with no required level, so there is no optional form.
 */
export function accValidationSection(e: pulumi.Unwrap<EmailSettings>): Record<string, unknown> {
    const config: Record<string, unknown> = {
        host_url: e.hostUrl,
        smtp_server: e.smtpHost,
        // A string in Tinode's config (SMTPPort string).
        smtp_port: String(e.smtpPort),
        sender: e.sender,
        ...(e.login !== undefined ? { login: e.login, sender_password: e.password ?? "", auth_mechanism: e.authMechanism } : {}),
        ...(e.heloHost !== undefined ? { smtp_helo_host: e.heloHost } : {}),
        ...(e.insecureSkipVerify ? { insecure_skip_verify: true } : {}),
        languages: e.languages,
        // Absolute paths: Tinode resolves relative ones against its working directory.
        validation_templ: `${IMAGE_PATHS.templates}/email-validation-{{.Language}}.templ`,
        reset_secret_templ: `${IMAGE_PATHS.templates}/email-password-reset-{{.Language}}.templ`,
        max_retries: e.maxRetries,
        code_length: e.codeLength,
        ...(e.domains.length > 0 ? { domains: e.domains } : {}),
        ...(e.debugResponse !== undefined ? { debug_response: e.debugResponse } : {}),
    };
    // add_to_tags: confirmed addresses become the user's immutable "email:" tags (findable), as in
    // the image's own config.
    return { email: { add_to_tags: true, required: ["auth"], config } };
}

/** The push list: Tinode 0.25 needs the key even when empty (it exits at start without it). */
export function pushSection(p: pulumi.Unwrap<PushSettings>): Record<string, unknown>[] {
    const handlers: Record<string, unknown>[] = [];
    if (p.tnpg) handlers.push({ name: "tnpg", config: { enabled: true, org: p.tnpg.org, token: p.tnpg.token } });
    if (p.fcm) {
        handlers.push({
            name: "fcm",
            config: {
                enabled: true,
                // The service account stays out of tinode.conf: a file next to it in the same Secret.
                credentials_file: FEATURE_FILES.fcmCredentialsFile,
                time_to_live: p.fcm.timeToLive,
                ...(p.fcm.dryRun ? { dry_run: true } : {}),
                ...(p.fcm.apnsBundleId !== undefined ? { apns_bundle_id: p.fcm.apnsBundleId } : {}),
                ...(p.fcm.android ? { android: p.fcm.android } : {}),
                ...(p.fcm.apns ? { apns: p.fcm.apns } : {}),
                ...(p.fcm.webpush ? { webpush: p.fcm.webpush } : {}),
            },
        });
    }
    return handlers;
}

export function webrtcSection(w: pulumi.Unwrap<WebrtcSettings>): Record<string, unknown> {
    const common = { enabled: true, call_establishment_timeout: w.callTimeoutSeconds };
    if (w.iceServers.kind === "secret") return { ...common, ice_servers_file: FEATURE_FILES.iceServersFile };
    return {
        ...common,
        ice_servers: w.iceServers.servers.map((s) => ({
            urls: s.urls,
            ...(s.username !== undefined ? { username: s.username, credential: s.credential ?? "" } : {}),
        })),
    };
}

/** The top-level keys the features add to tinode.conf (nothing when every feature is off). */
export function featureSections(f: ResolvedFeatures): Record<string, unknown> {
    const doc: Record<string, unknown> = {};
    if (f.email) doc.acc_validation = accValidationSection(f.email);
    if (f.accounts.unverifiedGcHours > 0) {
        doc.acc_gc_config = {
            enabled: true,
            gc_period: FEATURE_DEFAULTS.accountGcPeriodSeconds,
            gc_block_size: FEATURE_DEFAULTS.accountGcBlockSize,
            gc_min_account_age: f.accounts.unverifiedGcHours,
        };
    }
    if (f.webrtc) doc.webrtc = webrtcSection(f.webrtc);
    if (f.accounts.permanent) doc.permanent_accounts = true;
    if (f.accounts.defaultCountryCode) doc.default_country_code = f.accounts.defaultCountryCode;
    return doc;
}

/** Names of the files next to tinode.conf: known from the settings alone, before secrets resolve. */
export function configSecretFileKeys(f: FeatureSettings | ResolvedFeatures): string[] {
    return f.push.fcm ? [FEATURE_FILES.fcmCredentialsKey] : [];
}

/** Files the config Secret holds next to tinode.conf (the pods mount the whole Secret at /etc/tinode). */
export function configSecretFiles(f: ResolvedFeatures): Record<string, string> {
    return f.push.fcm ? { [FEATURE_FILES.fcmCredentialsKey]: f.push.fcm.credentials } : {};
}

/** The operator's ICE servers Secret, mounted where webrtc.ice_servers_file points. */
export function featureVolumes(f: FeatureSettings): {
    volumes: k8s.types.input.core.v1.Volume[];
    volumeMounts: k8s.types.input.core.v1.VolumeMount[];
} {
    const ice = f.webrtc?.iceServers;
    if (ice?.kind !== "secret") return { volumes: [], volumeMounts: [] };
    return {
        volumes: [
            {
                name: "ice-servers",
                secret: {
                    secretName: ice.secretName,
                    items: [{ key: ice.key, path: FEATURE_FILES.iceServersFile.split("/").pop()! }],
                    defaultMode: 0o440,
                },
            },
        ],
        volumeMounts: [{ name: "ice-servers", mountPath: FEATURE_FILES.iceServersDir, readOnly: true }],
    };
}

/**
 * Ports Tinode connects to outside the cluster for the features: the SMTP server, and HTTPS for the
 * push services (TNPG and FCM are HTTPS APIs). STUN/TURN are used by the clients, not the server.
 */
export function featureEgressPorts(f: FeatureSettings): number[] {
    const ports = new Set<number>();
    if (f.email) ports.add(f.email.smtpPort);
    if (f.push.tnpg || f.push.fcm) ports.add(443);
    return [...ports].sort((a, b) => a - b);
}
