// Defaults of the stack settings: the config keys' own from the registry (config/keys.ts), and the
// defaults inside structured keys. Facts about Tinode itself are in tinode/facts.ts.
import { CONFIG_KEYS, ConfigKey } from "./keys";

/** Each key's default, from the registry (config/keys.ts), where each is documented. */
export const DEFAULTS = Object.fromEntries(Object.entries(CONFIG_KEYS).map(([k, spec]) => [k, spec.default])) as {
    readonly [K in ConfigKey]: (typeof CONFIG_KEYS)[K]["default"];
};

/** Defaults inside the structured feature keys (tinode:email, tinode:push, tinode:webrtc). */
export const FEATURE_DEFAULTS = {
    // The submission port: providers take authenticated mail with STARTTLS there (Tinode's own default is 25).
    smtpPort: 587,
    authMechanism: "plain",
    // The languages the image's own config offers (docker/tinode/config.template); templates in /opt/tinode/templ.
    emailLanguages: ["en", "es", "fr", "ru", "vi", "zh"],
    emailMaxRetries: 3,
    emailCodeLength: 6,
    fcmTimeToLive: 3600,
    callTimeoutSeconds: 30,
    iceServersSecretKey: "ice-servers.json",
    // Unverified-account GC: how often and how many per pass (docker/tinode/config.template uses 3600 s / 10).
    accountGcPeriodSeconds: 3600,
    accountGcBlockSize: 100,
} as const;
