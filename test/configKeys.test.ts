import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { AREAS, CONFIG_KEYS, isSecretField, KEY_PARTS, KeySpec, secretKeys } from "../config/keys";
import { DEFAULT_RESOURCES } from "../config/resources";
import { readSettings } from "../config/readSettings";
import { argsInterface, withPulumiYamlKeys, withReadmeReference } from "../scripts/configDocs";

const file = (name: string) => readFileSync(join(__dirname, "..", name), "utf8");
const errorOf = (f: () => unknown): string => {
    try {
        f();
        return "";
    } catch (e) {
        return (e as Error).message;
    }
};

describe("config key registry (config/keys.ts)", () => {
    it("is what Pulumi.yaml declares (npm run config:docs writes it)", () => {
        expect(file("Pulumi.yaml")).to.equal(withPulumiYamlKeys(file("Pulumi.yaml")));
    });

    it("is what the README's configuration reference shows (npm run config:docs writes it)", () => {
        expect(file("README.md")).to.equal(withReadmeReference(file("README.md")));
    });

    it("is what the component's TinodeClusterArgs declares (npm run config:docs writes config/args.ts)", () => {
        expect(file("config/args.ts")).to.equal(argsInterface());
    });

    it("holds each key in one part only, and each part's areas in no other part (config/registry/)", () => {
        const names = KEY_PARTS.flatMap((part) => Object.keys(part));
        expect(names, "a key in two parts: the later silently wins").to.have.length(new Set(names).size);
        const areasOf = KEY_PARTS.map((part) => new Set(Object.values(part as Record<string, KeySpec>).map((k) => k.area)));
        for (const area of Object.keys(AREAS)) {
            expect(
                areasOf.filter((areas) => areas.has(area as KeySpec["area"])),
                `area ${area}`,
            ).to.have.length(1);
        }
    });

    it("marks exactly the keys that hold credentials or keys as secret", () => {
        expect(secretKeys().sort()).to.deep.equal(
            [
                "apiKeySalt",
                "backupS3SecretAccessKey",
                "keptSecrets",
                "mediaS3SecretAccessKey",
                "mysqlExternalDsn",
                "mysqlExternalPassword",
                "mysqlExternalRuntimePassword",
            ].sort(),
        );
    });

    /** What makes a secret key count (it is read only then). */
    const context: Record<string, Record<string, string>> = {
        mysqlExternalPassword: { mysqlExternalHost: "db", mysqlExternalUser: "u" },
        mysqlExternalRuntimePassword: { mysqlExternalHost: "db", mysqlExternalUser: "u", mysqlExternalRuntimeUser: "rt" },
        mediaS3SecretAccessKey: {
            mediaHandler: "s3",
            mediaS3Bucket: "chat-uploads",
            mediaS3Region: "eu-central-1",
            mediaS3AccessKeyId: "i",
        },
        backupS3SecretAccessKey: {
            backupDestination: "s3",
            backupS3Bucket: "b",
            backupS3Prefix: "p",
            backupS3Region: "eu-central-1",
            backupS3AccessKeyId: "i",
        },
    };
    for (const key of secretKeys()) {
        it(`refuses ${key} in plain text with the command that fixes it, without showing the value`, () => {
            const value = "plain-Value-123";
            const values: Record<string, string> = { ...context[key], [key]: value };
            const msg = errorOf(() => readSettings(Object.assign((k: string) => values[k], { isSecret: () => false })));
            expect(msg).to.contain(`tinode:${key} must be set with --secret: pulumi config set --secret tinode:${key} <value>`);
            expect(msg).to.not.contain(value);
        });
    }

    const fieldCases: [string, unknown, string][] = [
        ["email", { password: "plain-Value-123" }, "email.password"],
        ["email", { debugResponse: "plain-Value-123" }, "email.debugResponse"],
        ["push", { tnpg: { enabled: true, token: "plain-Value-123" } }, "push.tnpg.token"],
        ["push", { fcm: { enabled: true, credentials: "plain-Value-123" } }, "push.fcm.credentials"],
        [
            "webrtc",
            { enabled: true, iceServers: [{ urls: ["turn:turn.example.com:3478"], username: "u", credential: "plain-Value-123" }] },
            "webrtc.iceServers[0].credential",
        ],
    ];
    for (const [key, value, path] of fieldCases) {
        it(`refuses ${path} in plain text with the command that fixes it; accepts it as a secret`, () => {
            const read = (secret: boolean) =>
                errorOf(() =>
                    readSettings(Object.assign((k: string) => (k === key ? JSON.stringify(value) : undefined), { isSecret: () => secret })),
                );
            const plain = read(false);
            expect(plain).to.contain(`tinode:${path} must be set with --secret: pulumi config set --path --secret tinode:${path} <value>`);
            expect(plain).to.not.contain("plain-Value-123");
            expect(read(true)).to.not.contain("must be set with --secret");
        });
    }
    it("lists every secret field of every structured key in those cases", () => {
        const listed = Object.entries(CONFIG_KEYS as Record<string, KeySpec>).flatMap(([k, s]) =>
            (s.secretFields ?? []).map((f) => `${k}.${f}`),
        );
        expect(listed.sort()).to.deep.equal(fieldCases.map(([, , p]) => p.replace(/\[\d+\]/g, "[]")).sort());
    });

    it("marks no field secret of a key without secret fields, or of a name that is no key", () => {
        expect(isSecretField("webrtc", "iceServers[3].credential")).to.equal(true);
        expect(isSecretField("webrtc", "iceServers[3].username")).to.equal(false);
        expect(isSecretField("resources", "tinode.limits.memory")).to.equal(false);
        expect(isSecretField("emails", "password")).to.equal(false);
    });

    it("accepts a key that is not secret in plain text", () => {
        const plain = Object.assign((k: string) => ({ replicas: "5", mysqlExternalHost: "db", mysqlExternalUser: "u" })[k], {
            isSecret: (k: string) => k === "mysqlExternalPassword",
        });
        const withPassword = Object.assign((k: string) => (k === "mysqlExternalPassword" ? "pw" : plain(k)), { isSecret: plain.isSecret });
        expect(readSettings(withPassword).replicas).to.equal(5);
    });

    it("describes tinode:resources with every container config/resources.ts has", () => {
        const spec: KeySpec = CONFIG_KEYS.resources;
        for (const container of Object.keys(DEFAULT_RESOURCES)) expect(spec.description, container).to.contain(container);
    });
});
