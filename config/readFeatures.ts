// Stack config for the Tinode features an operator turns on: email verification, push, video calls,
// CORS for media, a gRPC Ingress and account housekeeping. Each is off by default, and every
// contradiction is refused here, before anything is created. Field names of tinode.conf are in
// builders/tinodeFeatures.ts; what Tinode accepts is read from github.com/tinode/chat v0.25.3.
import { checkDnsSubdomain, checkHostname } from "./checks";
import { DEFAULTS, FEATURE_DEFAULTS } from "./defaults";
import { Fields } from "./fields";
import { readGrpcIngressHost } from "./readIngress";
import { readMediaCorsOrigins } from "./readMedia";
import { ConfigReader } from "./reader";
import {
    AccountSettings,
    EmailSettings,
    FeatureSettings,
    FcmPush,
    IceServer,
    IngressSettings,
    MediaSettings,
    PushSettings,
    TnpgPush,
    WebrtcSettings,
} from "./settings";

/** Email templates in the 0.25.3 image (server/templ): a language without its file is fatal at start. */
export const EMAIL_TEMPLATE_LANGUAGES = ["en", "es", "fr", "pt", "ru", "uk", "vi", "zh", "zh-TW"];

const EMAIL_FIELDS = [
    "smtpHost",
    "smtpPort",
    "sender",
    "login",
    "password",
    "authMechanism",
    "insecureSkipVerify",
    "heloHost",
    "hostUrl",
    "domains",
    "languages",
    "maxRetries",
    "codeLength",
    "debugResponse",
] as const;

/** "Name <user@host>" or "user@host" (Tinode parses it with net/mail.ParseAddress). */
const MAIL_ADDRESS = /^(?:[^<>@]*<\s*[^\s@<>]+@[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+)$/;

/** The web app's address in verification emails: a path is fine, a #fragment is not (Tinode appends to it). */
function checkWebAppUrl(v: string): string | undefined {
    try {
        const u = new URL(v);
        if ((u.protocol === "https:" || u.protocol === "http:") && u.hostname !== "" && u.hash === "") return undefined;
    } catch {
        // reported below
    }
    return "must be an absolute http(s) URL without a #fragment, e.g. https://chat.example.com/";
}

export function readEmail(r: ConfigReader, sampleData: boolean): EmailSettings | undefined {
    const f = Fields.of(r, "email", EMAIL_FIELDS);
    if (f.setFields().length === 0) return undefined;
    const required = (field: string, why: string) => {
        if (!f.has(field)) f.problem(field, `is required with ${r.fullKey("email")}: ${why}`);
    };
    // Tinode 0.25.3 has no optional email validation: a validator without required auth levels is
    // skipped at start (server/main.go), so configuring email means requiring it for new accounts.
    required("smtpHost", "verification is required for new accounts and needs an SMTP server to send the codes");
    required("sender", 'the From address, e.g. "Tinode <noreply@example.com>"');
    required("hostUrl", "the web client's URL, used in the links of the mails");

    const smtpPort = f.integer("smtpPort", FEATURE_DEFAULTS.smtpPort, 1, 65535);
    if (smtpPort === 465) {
        // server/validate/email/validate.go sendMail: smtp.Dial, then STARTTLS if offered; no implicit TLS.
        f.problem(
            "smtpPort",
            "is 465 (implicit TLS), which Tinode cannot speak: it connects in plain text and upgrades with STARTTLS; use 587",
        );
    }
    const login = f.string("login");
    const password = f.string("password");
    if (login !== undefined && password === undefined)
        f.problem("password", `is required with ${r.fullKey("email.login")} ${r.naming.secretHint}`);
    if (password !== undefined && login === undefined)
        f.problem("login", `is required with ${r.fullKey("email.password")}: the SMTP user name`);
    const debugResponse = f.string("debugResponse");
    if (debugResponse !== undefined && !sampleData) {
        f.problem(
            "debugResponse",
            `confirms any address with a fixed code: development only, so it needs ${r.fullKey("sampleData")} true (the development marker); remove it`,
        );
    }
    return {
        smtpHost: f.string("smtpHost", checkHostname) ?? "",
        smtpPort,
        sender:
            f.string("sender", (v) => (MAIL_ADDRESS.test(v) ? undefined : 'must be an address such as "Tinode <noreply@example.com>"')) ??
            "",
        login,
        password,
        authMechanism: f.oneOf("authMechanism", FEATURE_DEFAULTS.authMechanism, ["plain", "login", "cram-md5"] as const),
        insecureSkipVerify: f.boolean("insecureSkipVerify", false),
        heloHost: f.string("heloHost", checkHostname),
        hostUrl: f.string("hostUrl", checkWebAppUrl) ?? "",
        // Tinode compares the lower-cased address's domain with each entry as written.
        domains: f.stringList("domains", (v) =>
            checkDnsSubdomain(v) === undefined && v.includes(".") ? undefined : "must be a lower-case domain such as example.com",
        ),
        languages: readLanguages(f),
        maxRetries: f.integer("maxRetries", FEATURE_DEFAULTS.emailMaxRetries, 1, 100),
        // The code is a random number below 10^codeLength held in an int64.
        codeLength: f.integer("codeLength", FEATURE_DEFAULTS.emailCodeLength, 4, 12),
        debugResponse,
    };
}

function readLanguages(f: Fields): string[] {
    if (!f.has("languages")) return [...FEATURE_DEFAULTS.emailLanguages];
    const languages = f.stringList("languages", (v) =>
        EMAIL_TEMPLATE_LANGUAGES.includes(v) ? undefined : `has no template in the image: use ${EMAIL_TEMPLATE_LANGUAGES.join(", ")}`,
    );
    if (languages.length === 0) f.problem("languages", "must name at least one language, or be removed (defaults to the image's list)");
    return languages;
}

/** The platform blocks of Tinode's FCM config, each a common.Config (server/push/common/typedef.go). */
const FCM_PLATFORMS = ["android", "apns", "webpush"] as const;
/** common.Payload's fields, as Tinode names them; the ones holding lists or a number are marked. */
const PAYLOAD_LISTS = ["title_loc_args", "body_loc_args", "loc_args"];
const PAYLOAD_NUMBERS = ["summary_arg_count"];
const PAYLOAD_FIELDS = [
    "body",
    "title",
    "title_loc_key",
    "body_loc_key",
    "icon",
    "color",
    "click_action",
    "sound",
    "image",
    "action",
    "action_loc_key",
    "launch_image",
    "loc_key",
    "subtitle",
    "summary_arg",
    ...PAYLOAD_LISTS,
    ...PAYLOAD_NUMBERS,
];
const PAYLOAD_CONFIG_FIELDS = ["enabled", "msg", "sub", ...PAYLOAD_FIELDS];

/**
 * A platform block passed to Tinode as written, after checking names and types: an unknown name
 * (docker/tinode/config.template's own "icon_color" is one; the field is "color") would be ignored.
 */
function readPayloadConfig(f: Fields | undefined): Record<string, unknown> {
    if (f === undefined) return {};
    // `known` as the block was opened with: a field it does not know is reported once, by the block, and not read.
    const payload = (p: Fields, known: readonly string[]): Record<string, unknown> => {
        const out: Record<string, unknown> = {};
        for (const field of p.setFields()) {
            if (!known.includes(field)) continue;
            if (field === "enabled") out.enabled = p.boolean("enabled", false);
            else if (field === "msg" || field === "sub") {
                const nested = p.object(field, PAYLOAD_FIELDS);
                if (nested) out[field] = payload(nested, PAYLOAD_FIELDS);
            } else if (PAYLOAD_LISTS.includes(field)) out[field] = p.stringList(field);
            else if (PAYLOAD_NUMBERS.includes(field)) out[field] = p.integer(field, 0, 0, 1_000_000);
            else {
                const v = p.string(field);
                if (v !== undefined) out[field] = v;
            }
        }
        return out;
    };
    return payload(f, PAYLOAD_CONFIG_FIELDS);
}

/** Why a service-account JSON would not start Tinode's FCM handler (server/push/fcm/push_fcm.go), or undefined. */
export function checkFcmCredentials(v: string): string | undefined {
    let parsed: unknown;
    try {
        parsed = JSON.parse(v);
    } catch {
        return "must be the service-account JSON file's content (it is not JSON)";
    }
    const o = parsed as Record<string, unknown>;
    if (o === null || typeof o !== "object" || o.type !== "service_account")
        return 'must be a service-account JSON ("type": "service_account")';
    // Tinode takes the project from the credentials and refuses to start without one.
    for (const field of ["project_id", "private_key", "client_email"]) {
        if (typeof o[field] !== "string" || o[field] === "") return `must be a service-account JSON with "${field}"`;
    }
    return undefined;
}

export function readPush(r: ConfigReader): PushSettings {
    const f = Fields.of(r, "push", ["tnpg", "fcm"]);
    const tnpg = f.object("tnpg", ["enabled", "org", "token"]);
    const fcm = f.object("fcm", ["enabled", "credentials", "timeToLive", "dryRun", "apnsBundleId", ...FCM_PLATFORMS]);
    const push: PushSettings = {};
    // Settings of a handler that is not enabled would sit in the config doing nothing: refused, so
    // credentials never lie around unused and a forgotten `enabled` does not silently mean "no push".
    const handler = (h: Fields, name: string): boolean => {
        const enabled = h.boolean("enabled", false);
        if (!enabled) {
            for (const field of h.setFields().filter((x) => x !== "enabled")) {
                h.problem(field, `is set but ${r.fullKey(`push.${name}.enabled`)} is not true: enable the handler, or remove its settings`);
            }
        }
        return enabled;
    };
    if (tnpg && handler(tnpg, "tnpg")) {
        const org = tnpg.string("org", (v) =>
            /^[A-Za-z0-9_.-]+$/.test(v) ? undefined : "must be the organisation's short name from console.tinode.co",
        );
        const token = tnpg.string("token");
        if (!tnpg.has("org")) tnpg.problem("org", "is required with the tnpg handler: your organisation's short name at console.tinode.co");
        if (!tnpg.has("token")) tnpg.problem("token", `is required with the tnpg handler ${r.naming.secretHint}`);
        push.tnpg = { org: org ?? "", token: token ?? "" } satisfies TnpgPush;
    }
    if (fcm && handler(fcm, "fcm")) {
        const credentials = fcm.string("credentials", checkFcmCredentials, true);
        if (!fcm.has("credentials"))
            fcm.problem("credentials", `is required with the fcm handler: the service-account JSON ${r.naming.secretHint}`);
        push.fcm = {
            credentials: credentials ?? "",
            // FCM keeps a message for at most 28 days.
            timeToLive: fcm.integer("timeToLive", FEATURE_DEFAULTS.fcmTimeToLive, 0, 2_419_200),
            dryRun: fcm.boolean("dryRun", false),
            apnsBundleId: fcm.string("apnsBundleId", (v) =>
                /^[A-Za-z0-9.-]+$/.test(v) ? undefined : "must be an iOS bundle id such as co.tinode.tinodios",
            ),
            ...Object.fromEntries(
                FCM_PLATFORMS.filter((p) => fcm.has(p)).map((p) => [p, readPayloadConfig(fcm.object(p, [...PAYLOAD_CONFIG_FIELDS]))]),
            ),
        } satisfies FcmPush;
    }
    return push;
}

/** stun:, stuns:, turn:, turns: host[:port] with an optional ?transport= (RFC 7064, RFC 7065). */
const ICE_URL = /^(stuns?|turns?):(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\?transport=(udp|tcp))?$/;

export function readWebrtc(r: ConfigReader): WebrtcSettings | undefined {
    const f = Fields.of(r, "webrtc", ["enabled", "callTimeoutSeconds", "iceServers", "iceServersSecret"]);
    const enabled = f.boolean("enabled", false);
    if (!enabled) {
        for (const field of f.setFields().filter((x) => x !== "enabled")) {
            f.problem(field, `does nothing unless ${r.fullKey("webrtc.enabled")} is true: set that, or remove this field`);
        }
        return undefined;
    }
    const callTimeoutSeconds = f.integer("callTimeoutSeconds", FEATURE_DEFAULTS.callTimeoutSeconds, 1, 3600);
    const secretName = f.string("iceServersSecret", checkDnsSubdomain);
    const servers: IceServer[] = f.objects("iceServers", ["urls", "username", "credential"]).map((s) => {
        const urls = s.stringList("urls", (v) =>
            ICE_URL.test(v)
                ? undefined
                : "must be a STUN/TURN URL such as stun:stun.example.com:3478 or turn:turn.example.com:3478?transport=udp",
        );
        if (!s.has("urls")) s.problem("urls", "is required: at least one stun:, stuns:, turn: or turns: URL");
        const username = s.string("username");
        const credential = s.string("credential");
        // A TURN server relays traffic only for clients that authenticate (RFC 8656).
        if (urls.some((u) => u.startsWith("turn")) && (username === undefined || credential === undefined)) {
            s.problem(
                username === undefined ? "username" : "credential",
                `is required for a TURN URL (${r.fullKey(s.at("credential"))}, ${r.naming.secretHint.slice(1, -1)})`,
            );
        } else if ((username === undefined) !== (credential === undefined)) {
            s.problem(
                username === undefined ? "username" : "credential",
                `must be set together with ${r.fullKey(s.at(username === undefined ? "credential" : "username"))}`,
            );
        }
        return { urls, username, credential };
    });
    if (f.has("iceServers") && secretName !== undefined) {
        // server/calls.go reads ice_servers_file only when ice_servers is empty: one would be ignored.
        f.problem("iceServersSecret", `and ${r.fullKey("webrtc.iceServers")} are both set: Tinode would ignore the file; use one`);
    } else if (!f.has("iceServers") && !f.has("iceServersSecret")) {
        // server/calls.go: "no valid ICE servers found" stops the server.
        f.problem(
            "iceServers",
            "is required when video calls are enabled (or tinode:webrtc.iceServersSecret): Tinode does not start without ICE servers",
        );
    }
    return {
        callTimeoutSeconds,
        iceServers:
            secretName !== undefined && !f.has("iceServers")
                ? { kind: "secret", secretName, key: FEATURE_DEFAULTS.iceServersSecretKey }
                : { kind: "inline", servers },
    };
}

export function readAccounts(r: ConfigReader, email: EmailSettings | undefined): AccountSettings {
    const unverifiedGcHours = r.integer("unverifiedAccountGcHours", DEFAULTS.unverifiedAccountGcHours, 0, 87_600);
    if (unverifiedGcHours > 0 && email === undefined) {
        // server/db/mysql/adapter.go UserGetUnvalidated: never logged in and no confirmed credential.
        r.problem(
            "unverifiedAccountGcHours",
            `deletes accounts that never logged in and confirmed no credential; without ${r.fullKey("email")} none can confirm one, so it would delete accounts that only wait for their first login: configure email verification, or set it to 0`,
        );
    }
    return {
        permanent: r.boolean("permanentAccounts", DEFAULTS.permanentAccounts),
        defaultCountryCode: r.optionalString("defaultCountryCode", (v) =>
            /^[A-Z]{2}$/.test(v) ? undefined : "must be a two-letter ISO 3166-1 country code in capitals, e.g. DE",
        ),
        unverifiedGcHours,
    };
}

export function readFeatures(
    r: ConfigReader,
    s: { sampleData: boolean; media: MediaSettings; ingress?: IngressSettings },
): FeatureSettings {
    const email = readEmail(r, s.sampleData);
    return {
        email,
        push: readPush(r),
        webrtc: readWebrtc(r),
        mediaCorsOrigins: readMediaCorsOrigins(r, s.media),
        accounts: readAccounts(r, email),
        maxMessageBytes: r.integer("maxMessageKb", DEFAULTS.maxMessageKb, 16, 65_536) * 1024,
        grpcIngressHost: readGrpcIngressHost(r, s.ingress),
    };
}
