import { expect } from "chai";
import { PUBLISHED_API_KEY_SALT } from "../tinode/facts";
import { TinodeSettings } from "../config/settings";
import { configSecretFileKeys, configSecretFiles, featureEgressPorts, featureVolumes, ResolvedFeatures } from "../builders/tinodeFeatures";
import { configChecksum, tinodeConfig } from "../builders/tinodeConfig";
import { sha256 } from "../builders/hash";
import { SERVICE_ACCOUNT, settingsWith, SMTP } from "./helpers";

const json = (v: unknown) => JSON.stringify(v);
const secrets = {
    tokenKey: "a".repeat(44),
    uidKey: "b".repeat(24),
    apiKeySalt: PUBLISHED_API_KEY_SALT,
    dsn: "u:p@tcp(h:3306)/tinode?parseTime=true",
};

/** tinode.conf for stack config values (readSettings gives plain strings, as the component resolves them). */
function conf(values: Record<string, string>): Record<string, any> {
    const s: TinodeSettings = settingsWith(values);
    return tinodeConfig({
        database: "tinode",
        media: s.media,
        cluster: undefined,
        secrets,
        features: s.features as ResolvedFeatures,
        clientsBehindProxy: true,
    });
}

describe("tinode.conf features", () => {
    it("adds nothing while every feature is off: the same keys and values as before", () => {
        const doc = conf({});
        expect(Object.keys(doc)).to.deep.equal([
            "listen",
            "api_path",
            "cache_control",
            "static_mount",
            "grpc_listen",
            "grpc_keepalive_enabled",
            "api_key_salt",
            "max_message_size",
            "max_subscriber_count",
            "max_tag_count",
            "expvar",
            "use_x_forwarded_for",
            "auth_config",
            "push",
            "store_config",
        ]);
        expect(doc.max_message_size).to.equal(4194304);
        expect(doc.push).to.deep.equal([]);
        // Callers that pass no features get the same document.
        expect(
            tinodeConfig({ database: "tinode", media: { handler: "none" }, cluster: undefined, secrets, clientsBehindProxy: true }),
        ).to.deep.equal(doc);
    });

    it("email: the acc_validation section Tinode's email validator reads", () => {
        const doc = conf({
            email: json({
                ...SMTP,
                smtpPort: 2525,
                login: "mailer",
                password: "smtp-pw",
                authMechanism: "login",
                insecureSkipVerify: true,
                heloHost: "tinode.example.com",
                domains: ["example.com"],
                languages: ["en", "uk"],
                maxRetries: 5,
                codeLength: 8,
            }),
        });
        expect(doc.acc_validation).to.deep.equal({
            email: {
                add_to_tags: true,
                required: ["auth"],
                config: {
                    host_url: "https://chat.example.com/",
                    smtp_server: "smtp.example.com",
                    smtp_port: "2525",
                    sender: "Tinode <noreply@example.com>",
                    login: "mailer",
                    sender_password: "smtp-pw",
                    auth_mechanism: "login",
                    smtp_helo_host: "tinode.example.com",
                    insecure_skip_verify: true,
                    languages: ["en", "uk"],
                    validation_templ: "/opt/tinode/templ/email-validation-{{.Language}}.templ",
                    reset_secret_templ: "/opt/tinode/templ/email-password-reset-{{.Language}}.templ",
                    max_retries: 5,
                    code_length: 8,
                    domains: ["example.com"],
                },
            },
        });
    });

    it("email: without login no SMTP authentication, and the debug response only where allowed", () => {
        const plain = conf({ email: json(SMTP) }).acc_validation.email.config;
        expect(plain).to.not.have.any.keys(
            "login",
            "sender_password",
            "auth_mechanism",
            "insecure_skip_verify",
            "domains",
            "debug_response",
        );
        expect(plain.smtp_port).to.equal("587");
        const dev = conf({ sampleData: "true", email: json({ ...SMTP, debugResponse: "000000" }) });
        expect(dev.acc_validation.email.config.debug_response).to.equal("000000");
    });

    it("push: TNPG inline, FCM through its credentials file", () => {
        const doc = conf({
            push: json({
                tnpg: { enabled: true, org: "acme", token: "tnpg-token" },
                fcm: {
                    enabled: true,
                    credentials: SERVICE_ACCOUNT,
                    timeToLive: 600,
                    dryRun: true,
                    android: { enabled: true, icon: "ic_logo_push" },
                },
            }),
        });
        expect(doc.push).to.deep.equal([
            { name: "tnpg", config: { enabled: true, org: "acme", token: "tnpg-token" } },
            {
                name: "fcm",
                config: {
                    enabled: true,
                    credentials_file: "/etc/tinode/fcm-credentials.json",
                    time_to_live: 600,
                    dry_run: true,
                    android: { enabled: true, icon: "ic_logo_push" },
                },
            },
        ]);
        // The service account itself is not in tinode.conf.
        expect(JSON.stringify(doc)).to.not.include("PRIVATE KEY");
    });

    it("push: FCM's iOS bundle and its APNs and web push sections, passed on as given", () => {
        const doc = conf({
            push: json({
                fcm: {
                    enabled: true,
                    credentials: SERVICE_ACCOUNT,
                    apnsBundleId: "com.example.chat",
                    apns: { enabled: true, sound: "default" },
                    webpush: { enabled: true, icon: "/img/logo.png" },
                },
            }),
        });
        expect(doc.push[0].config).to.deep.include({
            apns_bundle_id: "com.example.chat",
            apns: { enabled: true, sound: "default" },
            webpush: { enabled: true, icon: "/img/logo.png" },
        });
        expect(doc.push[0].config).to.not.have.property("dry_run");
    });

    it("webrtc: inline ICE servers, or the file from the operator's Secret", () => {
        const inline = conf({
            webrtc: json({
                enabled: true,
                iceServers: [
                    { urls: ["stun:stun.example.com:3478"] },
                    { urls: ["turn:turn.example.com:3478?transport=udp"], username: "u", credential: "turn-pw" },
                ],
            }),
        });
        expect(inline.webrtc).to.deep.equal({
            enabled: true,
            call_establishment_timeout: 30,
            ice_servers: [
                { urls: ["stun:stun.example.com:3478"] },
                { urls: ["turn:turn.example.com:3478?transport=udp"], username: "u", credential: "turn-pw" },
            ],
        });
        const file = conf({ webrtc: json({ enabled: true, callTimeoutSeconds: 60, iceServersSecret: "ice" }) });
        expect(file.webrtc).to.deep.equal({
            enabled: true,
            call_establishment_timeout: 60,
            ice_servers_file: "/etc/tinode-ice/ice-servers.json",
        });
    });

    it("media: cors_origins in the fs and s3 handler", () => {
        const fs = conf({ mediaHandler: "fs", mediaCorsOrigins: json(["https://web.example.com"]) });
        expect(fs.media.handlers.fs.cors_origins).to.deep.equal(["https://web.example.com"]);
        const s3 = conf({
            mediaHandler: "s3",
            mediaS3Bucket: "chat-uploads",
            mediaS3Region: "eu-central-1",
            mediaS3AccessKeyId: "i",
            mediaS3SecretAccessKey: "k",
            mediaCorsOrigins: json(["*"]),
        });
        expect(s3.media.handlers.s3.cors_origins).to.deep.equal(["*"]);
        expect(conf({ mediaHandler: "fs" }).media.handlers.fs).to.not.have.property("cors_origins");
    });

    it("housekeeping: acc_gc_config, max_message_size, permanent_accounts, default_country_code", () => {
        const doc = conf({
            email: json(SMTP),
            unverifiedAccountGcHours: "72",
            maxMessageKb: "1024",
            permanentAccounts: "true",
            defaultCountryCode: "FR",
        });
        expect(doc.acc_gc_config).to.deep.equal({ enabled: true, gc_period: 3600, gc_block_size: 100, gc_min_account_age: 72 });
        expect(doc.max_message_size).to.equal(1048576);
        expect(doc.permanent_accounts).to.equal(true);
        expect(doc.default_country_code).to.equal("FR");
    });
});

describe("feature files, volumes and egress", () => {
    it("puts the FCM service account next to tinode.conf, and nothing else", () => {
        const fcm = settingsWith({ push: json({ fcm: { enabled: true, credentials: SERVICE_ACCOUNT } }) }).features as ResolvedFeatures;
        expect(configSecretFiles(fcm)).to.deep.equal({ "fcm-credentials.json": SERVICE_ACCOUNT });
        expect(configSecretFileKeys(fcm)).to.deep.equal(Object.keys(configSecretFiles(fcm)));
        expect(configSecretFileKeys(settingsWith().features)).to.deep.equal([]);
        expect(configSecretFiles(settingsWith().features as ResolvedFeatures)).to.deep.equal({});
    });

    it("changes the checksum with the files, and keeps the old checksum without them", () => {
        const a = configChecksum("conf", { "fcm-credentials.json": "1" });
        expect(configChecksum("conf", { "fcm-credentials.json": "2" })).to.not.equal(a);
        // Existing stacks keep their checksum, so upgrading this program does not roll their pods.
        expect(configChecksum("conf")).to.equal(sha256("conf"));
        expect(configChecksum("conf", {})).to.equal(sha256("conf"));
        expect(a).to.not.equal(sha256("conf"));
    });

    it("mounts an ICE servers Secret read-only where ice_servers_file points", () => {
        const v = featureVolumes(settingsWith({ webrtc: json({ enabled: true, iceServersSecret: "turn-rotator" }) }).features);
        expect(v.volumes).to.deep.equal([
            {
                name: "ice-servers",
                secret: { secretName: "turn-rotator", items: [{ key: "ice-servers.json", path: "ice-servers.json" }], defaultMode: 0o440 },
            },
        ]);
        expect(v.volumeMounts).to.deep.equal([{ name: "ice-servers", mountPath: "/etc/tinode-ice", readOnly: true }]);
        expect(featureVolumes(settingsWith().features)).to.deep.equal({ volumes: [], volumeMounts: [] });
    });

    it("opens egress to the SMTP port and to HTTPS for push, nothing when off", () => {
        expect(featureEgressPorts(settingsWith().features)).to.deep.equal([]);
        const s = settingsWith({ email: json({ ...SMTP, smtpPort: 2525 }), push: json({ tnpg: { enabled: true, org: "o", token: "t" } }) });
        expect(featureEgressPorts(s.features)).to.deep.equal([443, 2525]);
    });
});
