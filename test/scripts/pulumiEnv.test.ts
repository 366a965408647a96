import { expect } from "chai";
import { execFileSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";

const root = join(__dirname, "..", "..");
const versions = readFileSync(join(root, "e2e", "tools", "versions.env"), "utf8");
const version = (key: string): string => new RegExp(`^${key}=(.*)$`, "m").exec(versions)![1];
const want = version("PULUMI_VERSION");

/** Which CLI and backend scripts/pulumi-env.sh picks in a sandbox: HOME, tools cache and PATH of our own. */
describe("scripts/pulumi-env.sh (npm run up)", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "pulumi-env-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function exe(path: string, version: string): void {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `#!/bin/sh\necho v${version}\n`);
        chmodSync(path, 0o755);
    }
    /** A tools cache with stand-ins for the three binaries up.sh needs. */
    function fillCache(): void {
        const k = version("PULUMI_KUBERNETES_VERSION");
        const r = version("PULUMI_RANDOM_VERSION");
        exe(join(dir, "cache", `pulumi-${want}`, "bin", "pulumi"), want);
        exe(join(dir, "cache", `pulumi-${want}`, "bin", "pulumi-language-nodejs"), want);
        exe(join(dir, "cache", `pulumi-kubernetes-${k}`, "bin", "pulumi-resource-kubernetes"), k);
        exe(join(dir, "cache", `pulumi-random-${r}`, "bin", "pulumi-resource-random"), r);
    }
    function run(opts: { pathPulumi?: string; env?: Record<string, string> } = {}): {
        cli: string;
        backend: string;
        url: string;
        which: string;
        said: string;
    } {
        const fake = join(dir, "fakebin");
        mkdirSync(fake, { recursive: true });
        if (opts.pathPulumi) exe(join(fake, "pulumi"), opts.pathPulumi);
        const out = execFileSync(
            "bash",
            [
                "-c",
                'source scripts/pulumi-env.sh 2>"$SAID"; echo "$PULUMI_CLI|$PULUMI_BACKEND_SOURCE|${PULUMI_BACKEND_URL:-}|$(command -v pulumi || true)"',
            ],
            {
                cwd: root,
                encoding: "utf8",
                env: {
                    HOME: join(dir, "home"),
                    PATH: `${fake}:/usr/local/bin:/usr/bin:/bin`,
                    TINODE_TOOLS_CACHE: join(dir, "cache"),
                    TINODE_STATE_DIR: join(dir, "state"),
                    SAID: join(dir, "said"),
                    ...opts.env,
                },
            },
        ).trim();
        const [cli, backend, url, which] = out.split("|");
        return { cli, backend, url, which, said: readFileSync(join(dir, "said"), "utf8") };
    }

    it("uses the pulumi on PATH when it is new enough, with its usual plugin downloads", () => {
        fillCache();
        const r = run({ pathPulumi: want });
        expect(r.cli).to.equal("path");
        expect(r.which).to.equal(join(dir, "fakebin", "pulumi"));
        expect(r.said).to.include("fetches its plugins as usual");
    });

    it("uses the tools cache when the pulumi on PATH is older than the SDK needs, and says why", () => {
        fillCache();
        const r = run({ pathPulumi: "3.100.0" });
        expect(r.cli).to.equal("cache");
        expect(r.which).to.equal(join(dir, "cache", `pulumi-${want}`, "bin", "pulumi"));
        expect(r.said).to.match(/is v3\.100\.0, older than/);
    });

    it("uses the tools cache when there is no pulumi on PATH (the README's fresh machine)", () => {
        fillCache();
        const r = run();
        expect(r.cli).to.equal("cache");
        expect(r.said).to.include("no pulumi on PATH");
    });

    it("asks for the Go build only when neither is there", () => {
        const r = run({ pathPulumi: "2.0.0" });
        expect(r.cli).to.equal("build");
        expect(r.said).to.include("must be built");
    });

    it("keeps the user's pulumi login, else PULUMI_BACKEND_URL, else a local folder", () => {
        fillCache();
        expect(run({ pathPulumi: want })).to.include({ backend: "local", url: `file://${join(dir, "state")}` });
        expect(run({ env: { PULUMI_BACKEND_URL: "s3://bucket" } })).to.include({ backend: "env", url: "s3://bucket" });
        mkdirSync(join(dir, "home", ".pulumi"), { recursive: true });
        writeFileSync(join(dir, "home", ".pulumi", "credentials.json"), JSON.stringify({ current: "https://api.pulumi.com" }));
        const r = run({ pathPulumi: want });
        expect(r).to.include({ backend: "login", url: "" });
        expect(r.said).to.include("https://api.pulumi.com (your pulumi login)");
    });
});
