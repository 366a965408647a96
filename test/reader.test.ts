// config/reader.ts: how a problem names its key and shows (or hides) the value, the error that lists
// them, and where the program learns which keys were set with --secret.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ConfigError, ConfigReader, isPulumiConfigSecret } from "../config/reader";
import { source } from "./helpers";

type Runtime = { isConfigSecret?: (k: string) => boolean };

/** Runs `f` with the SDK's isConfigSecret replaced (undefined: an SDK without it) and the CLI's list of secret keys. */
function withSdk<T>(isConfigSecret: Runtime["isConfigSecret"], secretKeys: string | undefined, f: () => T): T {
    const runtime = pulumi.runtime as unknown as Runtime;
    const [saved, savedKeys] = [runtime.isConfigSecret, process.env.PULUMI_CONFIG_SECRET_KEYS];
    runtime.isConfigSecret = isConfigSecret;
    if (secretKeys === undefined) delete process.env.PULUMI_CONFIG_SECRET_KEYS;
    else process.env.PULUMI_CONFIG_SECRET_KEYS = secretKeys;
    try {
        return f();
    } finally {
        runtime.isConfigSecret = saved;
        if (savedKeys === undefined) delete process.env.PULUMI_CONFIG_SECRET_KEYS;
        else process.env.PULUMI_CONFIG_SECRET_KEYS = savedKeys;
    }
}

describe("config reader (config/reader.ts)", () => {
    it("lists every problem in one ConfigError", () => {
        const e = new ConfigError(["tinode:a is wrong", "tinode:b is wrong"]);
        expect(e).to.be.instanceOf(pulumi.RunError);
        expect(e.name).to.equal("ConfigError");
        expect(e.message).to.equal("Invalid stack configuration:\n  - tinode:a is wrong\n  - tinode:b is wrong");
    });

    it("names the key, echoes a value, and never a secret's", () => {
        const r = new ConfigReader(source(), "tinode");
        r.problem("replicas", "is required");
        r.problem("replicas", "must be a number", "five");
        r.problem("apiKeySalt", "is too short", "abc", true);
        expect(r.problems).to.deep.equal([
            "tinode:replicas is required",
            'tinode:replicas must be a number (got "five")',
            "tinode:apiKeySalt is too short (got a value that does not fit; not shown: it is a secret)",
        ]);
    });

    it("requires a key, saying when it must be a secret", () => {
        const r = new ConfigReader(source({ mediaS3Bucket: "b" }), "tinode");
        expect(r.required("mediaS3Bucket", "tinode:mediaHandler s3")).to.equal("b");
        expect(r.required("mediaS3Region", "tinode:mediaHandler s3")).to.equal("");
        expect(r.required("mediaS3SecretAccessKey", "tinode:mediaHandler s3")).to.equal("");
        expect(r.required("email.login", "tinode:email.password")).to.equal("");
        expect(r.problems).to.deep.equal([
            "tinode:mediaS3Region is required with tinode:mediaHandler s3",
            "tinode:mediaS3SecretAccessKey is required with tinode:mediaHandler s3 (set it with --secret)",
            "tinode:email.login is required with tinode:email.password",
        ]);
    });

    it("refuses a list key that is not a list, saying how to set its items", () => {
        const r = new ConfigReader(source({ tolerations: '{"key":"gpu"}' }), "tinode");
        expect(r.array("tolerations")).to.equal(undefined);
        expect(r.problems).to.deep.equal([
            'tinode:tolerations must be a list (set its items with `pulumi config set --path \'tolerations[0]\'`) (got "{\\"key\\":\\"gpu\\"}")',
        ]);
    });

    it("asks the SDK which keys were set with --secret", () => {
        const asked: string[] = [];
        const secret = withSdk(
            (k) => (asked.push(k), k === "tinode:apiKeySalt"),
            undefined,
            () => [isPulumiConfigSecret("tinode:apiKeySalt"), isPulumiConfigSecret("tinode:replicas")],
        );
        expect(secret).to.deep.equal([true, false]);
        expect(asked).to.deep.equal(["tinode:apiKeySalt", "tinode:replicas"]);
    });

    it("reads the CLI's list of secret keys when the SDK has no isConfigSecret", () => {
        const list = JSON.stringify(["tinode:apiKeySalt"]);
        expect(withSdk(undefined, list, () => isPulumiConfigSecret("tinode:apiKeySalt"))).to.equal(true);
        expect(withSdk(undefined, list, () => isPulumiConfigSecret("tinode:replicas"))).to.equal(false);
        expect(withSdk(undefined, undefined, () => isPulumiConfigSecret("tinode:apiKeySalt"))).to.equal(false);
        expect(withSdk(undefined, JSON.stringify("tinode:apiKeySalt"), () => isPulumiConfigSecret("tinode:apiKeySalt"))).to.equal(false);
    });
});
