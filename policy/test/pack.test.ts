// The pack as the Pulumi engine sees it: index.ts started as its own process (the way the CLI starts
// it), then the engine's gRPC calls on 127.0.0.1 - GetAnalyzerInfo, ConfigureStack, Analyze.
import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import { join } from "path";
import { find, N, programResources, settingsFrom } from "./program";

// The engine's side of the protocol, from the packages the pack runs on (@pulumi/policy's own deps).
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

const PACK_DIR = join(__dirname, "..");
const MANDATORY = analyzerProto.EnforcementLevel.MANDATORY;

interface Diagnostic {
    policy: string;
    message: string;
    mandatory: boolean;
}

type Callback<T> = (err: grpc.ServiceError | null, res: T) => void;

/** A unary call as a promise. */
function call<Res>(invoke: (cb: Callback<Res>) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => invoke((err, res) => (err ? reject(err) : resolve(res))));
}

describe("the pack, served to an engine", function () {
    this.timeout(60_000);
    let pack: ChildProcess;
    let client: AnalyzerClient;
    let stderr = "";

    before(async () => {
        // The same loader as the tests; the CLI uses @pulumi/pulumi's run-policy-pack, which serves
        // the same PolicyPack the same way (it prints the port it listens on, then serves).
        const env = { ...process.env };
        delete env.PULUMI_STACK;
        delete env.PULUMI_NODEJS_STACK;
        pack = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], {
            cwd: PACK_DIR,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        pack.stderr!.on("data", (d) => (stderr += d));
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            pack.stdout!.on("data", (d) => {
                out += d;
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(m[1]);
            });
            pack.on("exit", (code) => reject(new Error(`the pack exited (${code}) before serving: ${stderr}`)));
        });
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        pack?.kill();
    });

    async function configureStack(stack: string): Promise<void> {
        const req = new analyzerProto.AnalyzerStackConfigureRequest();
        req.setStack(stack);
        req.setProject("tinode");
        await call<analyzerProto.AnalyzerStackConfigureResponse>((cb) => client.configureStack(req, cb));
    }

    async function analyze(type: string, name: string, props: Record<string, unknown>): Promise<Diagnostic[]> {
        const req = new analyzerProto.AnalyzeRequest();
        req.setType(type);
        req.setName(name);
        req.setUrn(`urn:pulumi:test::tinode::${type}::${name}`);
        req.setProperties(Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]));
        req.setOptions(new analyzerProto.AnalyzerResourceOptions());
        const res = await call<analyzerProto.AnalyzeResponse>((cb) => client.analyze(req, cb));
        return res
            .getDiagnosticsList()
            .map((d) => ({ policy: d.getPolicyname(), message: d.getMessage(), mandatory: d.getEnforcementlevel() === MANDATORY }));
    }

    it("names itself tinode-policies and serves the six policies, all mandatory", async () => {
        const info = await call<analyzerProto.AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
        expect(info.getName()).to.equal("tinode-policies");
        const policies = info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel() === MANDATORY]);
        expect(policies).to.deep.equal([
            ["tinode-replicas-odd-min-3", true],
            ["images-pinned", true],
            ["secrets-only-in-secrets", true],
            ["container-resources", true],
            ["tinode-sample-data-dev-only", true],
            ["tinode-never-reset", true],
        ]);
    });

    it("learns the stack from ConfigureStack: sample data fails on prod, passes on dev", async () => {
        const job = find(programResources(settingsFrom({ sampleData: "true" })), N.dbInitJob);
        await configureStack("prod");
        const onProd = await analyze(job.type, job.name, job.props);
        expect(onProd).to.have.length(1);
        expect(onProd[0]).to.include({ policy: "tinode-sample-data-dev-only", mandatory: true });
        expect(onProd[0].message).to.contain('[stack "prod" is not a dev stack]');
        await configureStack("dev");
        expect(await analyze(job.type, job.name, job.props)).to.deep.equal([]);
    });

    it("passes every resource of the program with default settings on prod", async () => {
        await configureStack("prod");
        for (const r of programResources(settingsFrom())) expect(await analyze(r.type, r.name, r.props), r.name).to.deep.equal([]);
    });

    it("reports --reset on dev too", async () => {
        await configureStack("dev");
        const job = find(programResources(settingsFrom()), N.dbInitJob);
        const props = JSON.parse(JSON.stringify(job.props));
        props.spec.template.spec.containers[0].args.push("--reset");
        const d = await analyze(job.type, job.name, props);
        expect(d.map((x) => x.policy)).to.deep.equal(["tinode-never-reset"]);
    });
});
