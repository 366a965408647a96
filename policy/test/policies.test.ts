import { expect } from "chai";
import { dirname } from "path";
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { ENFORCEMENT_LEVEL, policies, RULES, withoutUnknownProxy } from "../policies";
import { UNKNOWN } from "../rules";
import { currentStack, DEV_STACK, isDevStack, resetStackFromEngine } from "../stack";
import { find, N, programResources, settingsFrom } from "./program";

/** Runs one policy on a resource the way the analyzer does, collecting what it reports. */
function run(policy: ResourceValidationPolicy, type: string, props: Record<string, unknown>): string[] {
    const reported: string[] = [];
    const args = { type, props, urn: `urn:pulumi:test::tinode::${type}::x`, name: "x" } as unknown as ResourceValidationArgs;
    const validate = policy.validateResource;
    for (const v of Array.isArray(validate) ? validate : validate ? [validate] : []) v(args, (message) => reported.push(message));
    return reported;
}

function policy(name: string): ResourceValidationPolicy {
    const p = policies.find((x) => x.name === name);
    if (p === undefined) throw new Error(`no policy ${name}`);
    return p;
}

/** Runs body with PULUMI_STACK set to stack (unset when undefined) and PULUMI_NODEJS_STACK unset. */
function withStack<T>(stack: string | undefined, body: () => T, nodejsStack?: string): T {
    const saved = { PULUMI_STACK: process.env.PULUMI_STACK, PULUMI_NODEJS_STACK: process.env.PULUMI_NODEJS_STACK };
    const set = (k: keyof typeof saved, v: string | undefined) => (v === undefined ? delete process.env[k] : (process.env[k] = v));
    set("PULUMI_STACK", stack);
    set("PULUMI_NODEJS_STACK", nodejsStack);
    try {
        return body();
    } finally {
        set("PULUMI_STACK", saved.PULUMI_STACK);
        set("PULUMI_NODEJS_STACK", saved.PULUMI_NODEJS_STACK);
    }
}

describe("policies", () => {
    beforeEach(resetStackFromEngine);

    it("are the six rules, each mandatory, with a valid unique name and a description", () => {
        expect(ENFORCEMENT_LEVEL).to.equal("mandatory");
        expect(policies.map((p) => p.name)).to.deep.equal([
            "tinode-replicas-odd-min-3",
            "images-pinned",
            "secrets-only-in-secrets",
            "container-resources",
            "tinode-sample-data-dev-only",
            "tinode-never-reset",
        ]);
        for (const p of policies) {
            expect(p.name).to.match(/^[a-zA-Z0-9-_.]{1,100}$/);
            expect(p.enforcementLevel, p.name).to.equal("mandatory");
            expect(p.description, p.name).to.be.a("string").and.not.be.empty;
        }
        expect(RULES).to.have.length(policies.length);
    });

    describe("dev detection", () => {
        it("takes dev and dev-* as development stacks, nothing else", () => {
            for (const s of ["dev", "dev-alice", "dev-e2e"]) expect(isDevStack(s), s).to.equal(true);
            for (const s of ["prod", "staging", "devel", "dev-", "mydev", "Dev", "", undefined])
                expect(isDevStack(s), String(s)).to.equal(false);
            expect(DEV_STACK.source).to.equal("^dev(-.+)?$");
        });

        it("listens on the very gRPC service definition @pulumi/policy serves (one @pulumi/pulumi)", () => {
            const fromPolicy = require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb", {
                paths: [dirname(require.resolve("@pulumi/policy"))],
            });
            expect(fromPolicy).to.equal(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb"));
        });

        it("reads PULUMI_NODEJS_STACK, then PULUMI_STACK, when the engine has not named the stack", () => {
            expect(withStack("staging", currentStack, "prod")).to.equal("prod");
            expect(withStack("staging", currentStack)).to.equal("staging");
            expect(withStack(undefined, currentStack)).to.equal("");
        });
    });

    it("report the program's sample data on prod and on an unknown stack, not on dev", () => {
        const job = find(programResources(settingsFrom({ sampleData: "true" })), N.dbInitJob);
        const p = policy("tinode-sample-data-dev-only");
        expect(withStack("dev", () => run(p, job.type, job.props))).to.deep.equal([]);
        expect(withStack("prod", () => run(p, job.type, job.props))).to.deep.equal([
            'containers[init-db] loads sample data (init-db --data=...): allowed only on a dev stack (tinode:sampleData) [stack "prod" is not a dev stack]',
        ]);
        expect(withStack(undefined, () => run(p, job.type, job.props))[0]).to.contain('[stack "(unknown)" is not a dev stack]');
    });

    it("report a single Tinode replica on prod only", () => {
        const sts = find(programResources(settingsFrom({ replicas: 1 })), N.tinode);
        const p = policy("tinode-replicas-odd-min-3");
        expect(withStack("dev-alice", () => run(p, sts.type, sts.props))).to.deep.equal([]);
        expect(withStack("prod", () => run(p, sts.type, sts.props))).to.have.length(1);
    });

    it("report both halves of secrets-only-in-secrets", () => {
        const p = policy("secrets-only-in-secrets");
        const cm = { data: { dsn: "u:p@tcp(h:3306)/d" } };
        const pod = { spec: { containers: [{ name: "c", image: "a:1", env: [{ name: "TOKEN", value: "t" }] }] } };
        expect(withStack("dev", () => run(p, "kubernetes:core/v1:ConfigMap", cm))).to.have.length(1);
        expect(withStack("dev", () => run(p, "kubernetes:core/v1:Pod", pod))).to.have.length(1);
    });

    it("check what is known of a resource during a preview, instead of skipping the whole policy", () => {
        // The inputs arrive wrapped in @pulumi/policy's proxy, which throws on unknown values.
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { unknownCheckingProxy } = require("@pulumi/policy/proxy");
        const pod = {
            metadata: { annotations: { "checksum/config": UNKNOWN } },
            spec: {
                containers: [
                    {
                        name: "c",
                        image: UNKNOWN,
                        args: ["--reset"],
                        resources: { requests: { cpu: "1", memory: "1Mi" }, limits: { memory: "1Mi" } },
                    },
                ],
            },
        };
        const proxied = unknownCheckingProxy(pod);
        expect(() => proxied.metadata.annotations["checksum/config"]).to.throw("can't be known during preview");
        expect(withoutUnknownProxy(proxied)).to.equal(pod);
        expect(withStack("dev", () => run(policy("tinode-never-reset"), "kubernetes:core/v1:Pod", proxied))).to.have.length(1);
        expect(withStack("dev", () => run(policy("images-pinned"), "kubernetes:core/v1:Pod", proxied))).to.deep.equal([]);
    });

    it("pass every resource of the program on prod", () => {
        for (const r of programResources(settingsFrom())) {
            for (const p of policies)
                expect(
                    withStack("prod", () => run(p, r.type, r.props)),
                    `${p.name} on ${r.name}`,
                ).to.deep.equal([]);
        }
    });
});
