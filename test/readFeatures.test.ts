import { expect } from "chai";
import { checkFcmCredentials } from "../config/readFeatures";
import { configErrorFor, SERVICE_ACCOUNT, settingsWith, SMTP } from "./helpers";

/** Stack config as Pulumi hands it over: structured values as JSON text. */
const json = (v: unknown) => JSON.stringify(v);

describe("feature settings: defaults", () => {
    it("turns every feature off", () => {
        const f = settingsWith().features;
        expect(f).to.deep.equal({
            email: undefined,
            push: {},
            webrtc: undefined,
            mediaCorsOrigins: [],
            accounts: { permanent: false, defaultCountryCode: undefined, unverifiedGcHours: 0 },
            maxMessageBytes: 4 * 1024 * 1024,
            grpcIngressHost: undefined,
        });
    });
});

describe("tinode:email", () => {
    it("refuses a host URL with a #fragment, which the links in the mails would cut off", () => {
        expect(configErrorFor({ email: json({ ...SMTP, hostUrl: "https://chat.example.com/#/app" }) })).to.contain(
            "tinode:email.hostUrl must be an absolute http(s) URL without a #fragment",
        );
        expect(configErrorFor({ email: json({ ...SMTP, hostUrl: "https://chat.example.com/app/" }) })).to.equal("");
    });

    it("takes an http host URL too, but no other scheme", () => {
        expect(settingsWith({ email: json({ ...SMTP, hostUrl: "http://chat.example.com/" }) }).features.email!.hostUrl).to.equal(
            "http://chat.example.com/",
        );
        expect(configErrorFor({ email: json({ ...SMTP, hostUrl: "ftp://chat.example.com/" }) })).to.contain(
            "tinode:email.hostUrl must be an absolute http(s) URL without a #fragment",
        );
    });

    it("refuses a domain without a dot, and names the image's languages", () => {
        expect(configErrorFor({ email: json({ ...SMTP, domains: ["localhost"] }) })).to.contain(
            'tinode:email.domains[0] must be a lower-case domain such as example.com (got "localhost")',
        );
        expect(configErrorFor({ email: json({ ...SMTP, languages: ["de"] }) })).to.contain(
            'tinode:email.languages[0] has no template in the image: use en, es, fr, pt, ru, uk, vi, zh, zh-TW (got "de")',
        );
    });

    it("reads the SMTP settings with defaults for the rest", () => {
        const e = settingsWith({ email: json({ ...SMTP, login: "mailer", password: "pw" }) }).features.email!;
        expect(e).to.deep.equal({
            smtpHost: "smtp.example.com",
            smtpPort: 587,
            sender: "Tinode <noreply@example.com>",
            login: "mailer",
            password: "pw",
            authMechanism: "plain",
            insecureSkipVerify: false,
            heloHost: undefined,
            hostUrl: "https://chat.example.com/",
            domains: [],
            languages: ["en", "es", "fr", "ru", "vi", "zh"],
            maxRetries: 3,
            codeLength: 6,
            debugResponse: undefined,
        });
    });

    it("accepts numbers and booleans as --path stores them, and as quoted text", () => {
        const a = settingsWith({ email: json({ ...SMTP, smtpPort: 2525, insecureSkipVerify: true }) }).features.email!;
        const b = settingsWith({ email: json({ ...SMTP, smtpPort: "2525", insecureSkipVerify: "true" }) }).features.email!;
        expect([a.smtpPort, a.insecureSkipVerify]).to.deep.equal([2525, true]);
        expect(b).to.deep.equal(a);
    });

    it("refuses verification without an SMTP server, sender or host URL", () => {
        const msg = configErrorFor({ email: json({ domains: ["example.com"] }) });
        expect(msg).to.include("tinode:email.smtpHost is required with tinode:email");
        expect(msg).to.include("tinode:email.sender is required");
        expect(msg).to.include("tinode:email.hostUrl is required");
    });

    it("refuses port 465, a login without password and a password without login", () => {
        expect(configErrorFor({ email: json({ ...SMTP, smtpPort: 465 }) })).to.include("tinode:email.smtpPort is 465 (implicit TLS)");
        expect(configErrorFor({ email: json({ ...SMTP, login: "u" }) })).to.include(
            "tinode:email.password is required with tinode:email.login",
        );
        const msg = configErrorFor({ email: json({ ...SMTP, password: "hunter2" }) });
        expect(msg).to.include("tinode:email.login is required with tinode:email.password");
        expect(msg).to.not.include("hunter2");
    });

    it("refuses a debug response outside development, without showing it", () => {
        const msg = configErrorFor({ email: json({ ...SMTP, debugResponse: "123456" }) });
        expect(msg).to.include("tinode:email.debugResponse confirms any address");
        expect(msg).to.include("tinode:sampleData");
        expect(msg).to.not.include("123456");
        expect(
            settingsWith({ sampleData: "true", email: json({ ...SMTP, debugResponse: "123456" }) }).features.email!.debugResponse,
        ).to.equal("123456");
    });

    it("refuses malformed values, unknown fields and languages without a template, naming each path", () => {
        const msg = configErrorFor({
            email: json({
                ...SMTP,
                sender: "not an address",
                hostUrl: "chat.example.com",
                authMechanism: "xoauth2",
                domains: ["Example.COM", "example.org"],
                languages: ["en", "de"],
                codeLength: 40,
                smtpHots: "typo",
            }),
        });
        for (const key of [
            "tinode:email.sender must be an address",
            "tinode:email.hostUrl must be an absolute http(s) URL",
            "tinode:email.authMechanism must be one of plain, login, cram-md5",
            "tinode:email.domains[0] must be a lower-case domain",
            "tinode:email.languages[1] has no template in the image",
            "tinode:email.codeLength must be a whole number from 4 to 12",
            "tinode:email.smtpHots is not a known field",
        ]) {
            expect(msg).to.include(key);
        }
        expect(msg).to.not.include("email.domains[1]");
        expect(configErrorFor({ email: json({ ...SMTP, languages: [] }) })).to.include(
            "tinode:email.languages must name at least one language",
        );
        expect(configErrorFor({ email: '"smtp.example.com"' })).to.include("tinode:email must be an object");
    });
});

describe("tinode:push", () => {
    it("reads TNPG and FCM", () => {
        const p = settingsWith({
            push: json({
                tnpg: { enabled: true, org: "acme", token: "jwt" },
                fcm: { enabled: true, credentials: SERVICE_ACCOUNT, dryRun: true },
            }),
        }).features.push;
        expect(p).to.deep.equal({
            tnpg: { org: "acme", token: "jwt" },
            fcm: { credentials: SERVICE_ACCOUNT, timeToLive: 3600, dryRun: true, apnsBundleId: undefined },
        });
    });

    it("passes FCM's platform blocks on in Tinode's field names, checking names and types", () => {
        const android = {
            enabled: true,
            icon: "ic_logo_push",
            color: "#3949AB",
            msg: { title_loc_key: "new_message" },
            sub: { body_loc_args: ["a"] },
        };
        const p = settingsWith({
            push: json({
                fcm: {
                    enabled: true,
                    credentials: SERVICE_ACCOUNT,
                    apnsBundleId: "co.tinode.tinodios",
                    android,
                    webpush: { enabled: "false" },
                },
            }),
        }).features.push;
        expect(p.fcm).to.deep.include({ apnsBundleId: "co.tinode.tinodios", android, webpush: { enabled: false } });
        const msg = configErrorFor({
            push: json({
                fcm: { enabled: true, credentials: SERVICE_ACCOUNT, android: { icon_color: "#fff", msg: { loc_args: "x", title: 5 } } },
            }),
        });
        expect(msg).to.include("tinode:push.fcm.android.icon_color is not a known field");
        expect(msg).to.include("tinode:push.fcm.android.msg.loc_args must be a list");
        expect(msg).to.not.include("android.msg.title");
    });

    it("passes FCM's summary_arg_count on as a number", () => {
        const p = settingsWith({
            push: json({ fcm: { enabled: true, credentials: SERVICE_ACCOUNT, android: { msg: { summary_arg_count: "3" } } } }),
        }).features.push;
        expect(p.fcm!.android).to.deep.equal({ msg: { summary_arg_count: 3 } });
    });

    it("refuses a platform block or payload that is not an object, and reports an unknown field only as unknown", () => {
        expect(configErrorFor({ push: json({ fcm: { enabled: true, credentials: SERVICE_ACCOUNT, android: "on" } }) })).to.contain(
            'tinode:push.fcm.android must be an object (got "on")',
        );
        expect(
            configErrorFor({ push: json({ fcm: { enabled: true, credentials: SERVICE_ACCOUNT, android: { msg: "hello" } } }) }),
        ).to.contain('tinode:push.fcm.android.msg must be an object (got "hello")');
        const msg = configErrorFor({
            push: json({ fcm: { enabled: true, credentials: SERVICE_ACCOUNT, webpush: { icon_color: true } } }),
        });
        expect(msg).to.contain("tinode:push.fcm.webpush.icon_color is not a known field");
        expect(msg).to.not.contain("must be text");
    });

    it("reports a field a payload does not know once, also a block's own field inside msg", () => {
        const msg = configErrorFor({
            push: json({ fcm: { enabled: true, credentials: SERVICE_ACCOUNT, webpush: { msg: { enabled: "x", sub: { title: "t" } } } } }),
        });
        expect(msg.split("\n").slice(1)).to.deep.equal([
            "  - tinode:push.fcm.webpush.msg.enabled is not a known field: use body, title, title_loc_key, body_loc_key, icon, color, click_action, sound, image, action, action_loc_key, launch_image, loc_key, subtitle, summary_arg, title_loc_args, body_loc_args, loc_args, summary_arg_count",
            "  - tinode:push.fcm.webpush.msg.sub is not a known field: use body, title, title_loc_key, body_loc_key, icon, color, click_action, sound, image, action, action_loc_key, launch_image, loc_key, subtitle, summary_arg, title_loc_args, body_loc_args, loc_args, summary_arg_count",
        ]);
    });

    it("accepts a handler turned off explicitly, with nothing else set", () => {
        expect(settingsWith({ push: json({ tnpg: { enabled: false }, fcm: { enabled: "false" } }) }).features.push).to.deep.equal({});
    });

    it("refuses a TNPG organisation and an APNs bundle id of other characters", () => {
        const tnpg = (org: string) => configErrorFor({ push: json({ tnpg: { enabled: true, org, token: "jwt" } }) });
        expect(tnpg("acme corp")).to.contain(
            'tinode:push.tnpg.org must be the organisation\'s short name from console.tinode.co (got "acme corp")',
        );
        const bundle = (apnsBundleId: string) =>
            configErrorFor({ push: json({ fcm: { enabled: true, credentials: SERVICE_ACCOUNT, apnsBundleId } }) });
        for (const id of ["co.tinode app", "!co.tinode", "co.tinode!"]) {
            expect(bundle(id), id).to.contain(
                `tinode:push.fcm.apnsBundleId must be an iOS bundle id such as co.tinode.tinodios (got "${id}")`,
            );
        }
        expect(bundle("co.tinode.tinodios")).to.equal("");
    });

    it("refuses push credentials without an enabled handler", () => {
        const msg = configErrorFor({
            push: json({ tnpg: { token: "jwt-secret" }, fcm: { enabled: false, credentials: SERVICE_ACCOUNT } }),
        });
        expect(msg).to.include("tinode:push.tnpg.token is set but tinode:push.tnpg.enabled is not true");
        expect(msg).to.include("tinode:push.fcm.credentials is set but tinode:push.fcm.enabled is not true");
        expect(msg).to.not.include("jwt-secret");
    });

    it("refuses an enabled handler without its credentials", () => {
        const msg = configErrorFor({ push: json({ tnpg: { enabled: true }, fcm: { enabled: true } }) });
        expect(msg).to.include("tinode:push.tnpg.org is required with the tnpg handler");
        expect(msg).to.include("tinode:push.tnpg.token is required with the tnpg handler (set it with --secret)");
        expect(msg).to.include("tinode:push.fcm.credentials is required with the fcm handler");
    });

    it("refuses FCM credentials Tinode could not use, without showing them", () => {
        const notJson = configErrorFor({ push: json({ fcm: { enabled: true, credentials: "private-key-text" } }) });
        expect(notJson).to.include("tinode:push.fcm.credentials must be the service-account JSON file's content");
        expect(notJson).to.not.include("private-key-text");
        expect(checkFcmCredentials(JSON.stringify({ type: "authorized_user" }))).to.include("service_account");
        const noProject = JSON.stringify({ ...JSON.parse(SERVICE_ACCOUNT), project_id: "" });
        expect(checkFcmCredentials(noProject)).to.include('"project_id"');
        expect(checkFcmCredentials(SERVICE_ACCOUNT)).to.equal(undefined);
        expect(configErrorFor({ push: json({ apns: {} }) })).to.include("tinode:push.apns is not a known field");
    });
});

describe("tinode:webrtc", () => {
    const turn = {
        urls: ["turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349?transport=tcp"],
        username: "u",
        credential: "c",
    };

    it("reads inline ICE servers and a timeout", () => {
        const w = settingsWith({
            webrtc: json({ enabled: true, callTimeoutSeconds: 45, iceServers: [{ urls: ["stun:stun.example.com:3478"] }, turn] }),
        }).features.webrtc;
        expect(w).to.deep.equal({
            callTimeoutSeconds: 45,
            iceServers: {
                kind: "inline",
                servers: [{ urls: ["stun:stun.example.com:3478"], username: undefined, credential: undefined }, turn],
            },
        });
    });

    it("reads an ICE servers Secret", () => {
        const w = settingsWith({ webrtc: json({ enabled: true, iceServersSecret: "turn-credentials" }) }).features.webrtc;
        expect(w).to.deep.equal({
            callTimeoutSeconds: 30,
            iceServers: { kind: "secret", secretName: "turn-credentials", key: "ice-servers.json" },
        });
    });

    it("refuses a TURN URL without credentials, and a username without credential", () => {
        const msg = configErrorFor({
            webrtc: json({
                enabled: true,
                iceServers: [{ urls: ["turn:turn.example.com:3478"] }, { urls: ["stun:stun.example.com"], username: "u" }],
            }),
        });
        expect(msg).to.include("tinode:webrtc.iceServers[0].username is required for a TURN URL");
        expect(msg).to.include("tinode:webrtc.iceServers[1].credential must be set together with tinode:webrtc.iceServers[1].username");
        expect(
            configErrorFor({ webrtc: json({ enabled: true, iceServers: [{ urls: ["turn:t.example.com"], username: "u" }] }) }),
        ).to.include("tinode:webrtc.iceServers[0].credential is required for a TURN URL");
    });

    it("refuses calls without ICE servers, both forms at once, and settings while disabled", () => {
        expect(configErrorFor({ webrtc: json({ enabled: true }) })).to.include(
            "tinode:webrtc.iceServers is required when video calls are enabled",
        );
        expect(
            configErrorFor({ webrtc: json({ enabled: true, iceServers: [{ urls: ["stun:s.example.com"] }], iceServersSecret: "ice" }) }),
        ).to.include("tinode:webrtc.iceServersSecret and tinode:webrtc.iceServers are both set");
        expect(configErrorFor({ webrtc: json({ iceServers: [{ urls: ["stun:s.example.com"] }] }) })).to.include(
            "tinode:webrtc.iceServers does nothing unless tinode:webrtc.enabled is true",
        );
    });

    it("names the missing TURN credential's key exactly, and a credential without username", () => {
        expect(configErrorFor({ webrtc: json({ enabled: true, iceServers: [{ urls: ["turn:turn.example.com"] }] }) })).to.contain(
            "tinode:webrtc.iceServers[0].username is required for a TURN URL (tinode:webrtc.iceServers[0].credential, set it with --secret)",
        );
        expect(
            configErrorFor({ webrtc: json({ enabled: true, iceServers: [{ urls: ["stun:stun.example.com"], credential: "c" }] }) }),
        ).to.contain("tinode:webrtc.iceServers[0].username must be set together with tinode:webrtc.iceServers[0].credential");
    });

    it("accepts calls turned off explicitly, with nothing else set", () => {
        expect(configErrorFor({ webrtc: json({ enabled: false }) })).to.equal("");
    });

    it("refuses URLs that are not STUN/TURN and servers without URLs", () => {
        const msg = configErrorFor({
            webrtc: json({ enabled: true, iceServers: [{ urls: ["https://turn.example.com"] }, { username: "u", credential: "c" }] }),
        });
        expect(msg).to.include("tinode:webrtc.iceServers[0].urls[0] must be a STUN/TURN URL");
        expect(msg).to.include("tinode:webrtc.iceServers[1].urls is required");
    });
});

describe("tinode:mediaCorsOrigins", () => {
    it("reads origins for a media handler", () => {
        const s = settingsWith({
            mediaHandler: "fs",
            mediaAccessMode: "ReadWriteMany",
            mediaCorsOrigins: json(["https://web.example.com", "https://*.example.org:8443"]),
        });
        expect(s.features.mediaCorsOrigins).to.deep.equal(["https://web.example.com", "https://*.example.org:8443"]);
    });

    it("refuses origins with a path, * next to others, and origins without uploads", () => {
        const msg = configErrorFor({
            mediaHandler: "fs",
            mediaCorsOrigins: json(["https://web.example.com/app", "*", "https://a.example.com"]),
        });
        expect(msg).to.include("tinode:mediaCorsOrigins[0] must be an origin");
        expect(msg).to.include('tinode:mediaCorsOrigins has "*" next to other origins');
        expect(configErrorFor({ mediaCorsOrigins: json(["*"]) })).to.include(
            "tinode:mediaCorsOrigins does nothing unless tinode:mediaHandler is fs or s3",
        );
    });
});

describe("housekeeping keys", () => {
    it("reads them", () => {
        const s = settingsWith({
            email: json(SMTP),
            unverifiedAccountGcHours: "48",
            permanentAccounts: "true",
            defaultCountryCode: "DE",
            maxMessageKb: "256",
        });
        expect(s.features.accounts).to.deep.equal({ permanent: true, defaultCountryCode: "DE", unverifiedGcHours: 48 });
        expect(s.features.maxMessageBytes).to.equal(256 * 1024);
    });

    it("refuses account GC without email verification, and bad values", () => {
        expect(configErrorFor({ unverifiedAccountGcHours: "48" })).to.include(
            "tinode:unverifiedAccountGcHours deletes accounts that never logged in and confirmed no credential; without tinode:email none can confirm one",
        );
        for (const code of ["de", "DEU", "XDE"]) {
            expect(configErrorFor({ defaultCountryCode: code }), code).to.include(
                "tinode:defaultCountryCode must be a two-letter ISO 3166-1 country code",
            );
        }
        expect(configErrorFor({ maxMessageKb: "8" })).to.include("tinode:maxMessageKb must be a whole number from 16 to 65536");
    });
});

describe("tinode:ingressGrpcHost", () => {
    const tls = { ingressHost: "chat.example.com", ingressClusterIssuer: "letsencrypt" };

    it("reads the host next to a TLS Ingress", () => {
        expect(settingsWith({ ...tls, ingressGrpcHost: "grpc.chat.example.com" }).features.grpcIngressHost).to.equal(
            "grpc.chat.example.com",
        );
    });

    it("refuses it without the HTTP Ingress, without TLS, or on the same host", () => {
        expect(configErrorFor({ ingressGrpcHost: "grpc.example.com" })).to.include("tinode:ingressGrpcHost needs tinode:ingressHost");
        expect(configErrorFor({ ingressHost: "chat.example.com", ingressGrpcHost: "grpc.example.com" })).to.include(
            "tinode:ingressGrpcHost needs TLS: set tinode:ingressClusterIssuer or tinode:ingressTlsSecret",
        );
        expect(configErrorFor({ ...tls, ingressGrpcHost: "chat.example.com" })).to.include(
            "tinode:ingressGrpcHost must differ from tinode:ingressHost",
        );
    });
});

describe("feature problems", () => {
    it("are reported together with every other problem in one error", () => {
        const msg = configErrorFor({ replicas: "0", email: json({ sender: "x@y.z" }), webrtc: json({ enabled: true }), maxMessageKb: "1" });
        expect(msg).to.include("tinode:replicas");
        expect(msg).to.include("tinode:email.smtpHost");
        expect(msg).to.include("tinode:webrtc.iceServers");
        expect(msg).to.include("tinode:maxMessageKb");
    });
});
