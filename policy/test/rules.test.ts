import { expect } from "chai";
import {
    CONFIG_MAP,
    containerResources,
    containersOf,
    hasCredentials,
    imageProblem,
    isTinodeServerStatefulSet,
    looksSecret,
    noCredentialsInConfigMaps,
    noReset,
    noSampleData,
    noSecretEnvValues,
    pinnedImages,
    RuleContext,
    STATEFUL_SET,
    tinodeReplicas,
    UNKNOWN,
} from "../rules";
import { find, JOB, N, plain, programResources, settingsFrom } from "./program";

const DEV: RuleContext = { dev: true };
const PROD: RuleContext = { dev: false };
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const CRON_JOB = "kubernetes:batch/v1:CronJob";

const RESOURCES = { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } };

function container(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name: "app", image: "example/app:1.2.3", resources: RESOURCES, ...extra };
}

/** A workload of `type` with these pod spec fields. */
function workload(type: string, podSpec: Record<string, unknown>, templateLabels: Record<string, string> = {}): Record<string, unknown> {
    const template = { metadata: { labels: templateLabels }, spec: podSpec };
    if (type === CRON_JOB) return { spec: { jobTemplate: { spec: { template } } } };
    return { spec: { template } };
}

const TINODE_LABELS = { "app.kubernetes.io/name": "tinode", "app.kubernetes.io/component": "server" };

function tinodeStatefulSet(replicas: unknown): Record<string, unknown> {
    const props = workload(STATEFUL_SET, { containers: [container({ name: "tinode" })] }, TINODE_LABELS);
    if (replicas !== undefined) (props.spec as Record<string, unknown>).replicas = replicas;
    return props;
}

// The program's own resources with default settings (a production-like stack) and with sample data.
const program = programResources(settingsFrom());
const programWithSampleData = programResources(settingsFrom({ sampleData: "true", replicas: 1 }));
const programExternalDb = programResources(
    settingsFrom({ mysqlExternalHost: "db.example.com", mysqlExternalUser: "tinode", mysqlExternalPassword: "pw" }),
);

describe("rules", () => {
    describe("containersOf", () => {
        it("finds containers, initContainers and ephemeralContainers of every workload kind", () => {
            const spec = {
                initContainers: [container({ name: "init" })],
                containers: [container()],
                ephemeralContainers: [container({ name: "debug" })],
            };
            for (const type of [STATEFUL_SET, DEPLOYMENT, JOB, CRON_JOB, "kubernetes:apps/v1:DaemonSet", "kubernetes:apps/v1:ReplicaSet"]) {
                expect(
                    containersOf(type, workload(type, spec)).map((c) => c.where),
                    type,
                ).to.deep.equal(["initContainers[init]", "containers[app]", "ephemeralContainers[debug]"]);
            }
            expect(containersOf("kubernetes:core/v1:Pod", { spec }).length).to.equal(3);
        });

        it("ignores resources that are not workloads", () => {
            expect(containersOf(CONFIG_MAP, { data: {} })).to.deep.equal([]);
            expect(containersOf("random:index/randomPassword:RandomPassword", { length: 32 })).to.deep.equal([]);
        });
    });

    describe("tinode-replicas-odd-min-3", () => {
        it("recognises the Tinode StatefulSet by its pod template labels", () => {
            expect(isTinodeServerStatefulSet(STATEFUL_SET, find(program, N.tinode).props)).to.equal(true);
            expect(isTinodeServerStatefulSet(STATEFUL_SET, find(program, N.mysql).props)).to.equal(false);
            expect(isTinodeServerStatefulSet(DEPLOYMENT, tinodeStatefulSet(1))).to.equal(false);
        });

        it("passes the program's default 3 replicas, and 5", () => {
            const sts = find(program, N.tinode);
            expect(sts.props.spec).to.have.property("replicas", 3);
            expect(tinodeReplicas(sts.type, sts.props, PROD)).to.deep.equal([]);
            const five = find(programResources(settingsFrom({ replicas: 5 })), N.tinode);
            expect(tinodeReplicas(five.type, five.props, PROD)).to.deep.equal([]);
        });

        it("fails 1, 2, 4 and a missing replicas (Kubernetes' default 1) outside dev", () => {
            for (const n of [1, 2, 4]) {
                const sts = find(programResources(settingsFrom({ replicas: n })), N.tinode);
                const v = tinodeReplicas(sts.type, sts.props, PROD);
                expect(v, `replicas ${n}`).to.have.length(1);
                expect(v[0]).to.contain(`runs ${n} replicas`);
            }
            expect(tinodeReplicas(STATEFUL_SET, tinodeStatefulSet(undefined), PROD)).to.have.length(1);
        });

        it("allows any count on a dev stack, and leaves other StatefulSets and unknown counts alone", () => {
            expect(tinodeReplicas(STATEFUL_SET, tinodeStatefulSet(1), DEV)).to.deep.equal([]);
            expect(tinodeReplicas(STATEFUL_SET, tinodeStatefulSet(UNKNOWN), PROD)).to.deep.equal([]);
            const mysql = find(program, N.mysql);
            expect(mysql.props.spec).to.have.property("replicas", 1);
            expect(tinodeReplicas(mysql.type, mysql.props, PROD)).to.deep.equal([]);
        });
    });

    describe("images-pinned", () => {
        it("accepts tags and digests, with registries and ports", () => {
            for (const image of [
                "tinode/tinode-mysql:0.25.3",
                "mysql:8.4.6",
                "registry.example.com:5000/team/app:v1",
                `app@sha256:${"a".repeat(64)}`,
                `app:1.0@sha256:${"b".repeat(64)}`,
            ]) {
                expect(imageProblem(image), image).to.equal(undefined);
            }
        });

        it("refuses latest, no tag, an empty tag, a registry port without a tag, and no image", () => {
            for (const image of [
                "app:latest",
                "app:LATEST",
                "app",
                "app:",
                "registry.example.com:5000/team/app",
                "app@sha256:short",
                "",
                undefined,
            ]) {
                expect(imageProblem(image), String(image)).to.be.a("string");
            }
        });

        it("passes every container of the program (the Job's wait-for-mysql initContainer too)", () => {
            for (const r of [...program, ...programExternalDb]) expect(pinnedImages(r.type, r.props, PROD), r.name).to.deep.equal([]);
            expect(containersOf(JOB, find(program, N.dbInitJob).props).map((c) => c.where)).to.include("initContainers[wait-for-mysql]");
        });

        it("fails a latest initContainer and an untagged container", () => {
            const job = plain(find(program, N.dbInitJob).props) as any;
            job.spec.template.spec.initContainers[0].image = "mysql:latest";
            job.spec.template.spec.containers[0].image = "tinode/tinode-mysql";
            const v = pinnedImages(JOB, job, DEV);
            expect(v).to.have.length(2);
            expect(v[0]).to.match(/^initContainers\[wait-for-mysql\] uses the latest tag/);
            expect(v[1]).to.match(/^containers\[init-db\] uses an untagged image/);
            expect(pinnedImages(CRON_JOB, workload(CRON_JOB, { containers: [container({ image: "busybox" })] }), DEV)).to.have.length(1);
        });

        it("leaves an image that is not known yet alone", () => {
            expect(pinnedImages(DEPLOYMENT, workload(DEPLOYMENT, { containers: [container({ image: UNKNOWN })] }), PROD)).to.deep.equal([]);
        });
    });

    describe("secrets-only-in-secrets", () => {
        it("knows which variable names look secret", () => {
            for (const name of [
                "MYSQL_ROOT_PASSWORD",
                "DB_PASSWD",
                "SECRET",
                "AWS_SECRET_ACCESS_KEY",
                "GITHUB_TOKEN",
                "API_KEY",
                "APIKEY",
                "TOKEN_KEY",
                "STORE_DSN",
                "dsn",
                "db-credentials",
            ]) {
                expect(looksSecret(name), name).to.equal(true);
            }
            for (const name of ["POD_NAME", "DB_HOST", "DB_PORT", "KEYCLOAK_URL", "MONKEYS_ALLOWED", "TZ"]) {
                expect(looksSecret(name), name).to.equal(false);
            }
        });

        it("passes the program: MySQL's passwords come from a Secret, the Job's env holds only host and port", () => {
            for (const r of [...program, ...programExternalDb]) expect(noSecretEnvValues(r.type, r.props, PROD), r.name).to.deep.equal([]);
            const mysql = containersOf(STATEFUL_SET, find(program, N.mysql).props)[0].container as any;
            expect(mysql.env.find((e: any) => e.name === "MYSQL_PASSWORD").valueFrom.secretKeyRef).to.have.property(
                "key",
                "MYSQL_PASSWORD",
            );
        });

        it("fails a literal password, also in an initContainer, even an empty one", () => {
            const sts = plain(find(program, N.mysql).props) as any;
            sts.spec.template.spec.containers[0].env[0] = { name: "MYSQL_ROOT_PASSWORD", value: "hunter2" };
            const job = workload(JOB, {
                initContainers: [container({ name: "init", env: [{ name: "API_KEY", value: "" }] })],
                containers: [container()],
            });
            expect(noSecretEnvValues(STATEFUL_SET, sts, PROD)).to.deep.equal([
                "containers[mysql] sets MYSQL_ROOT_PASSWORD as a plain env value: take it from a Secret (valueFrom.secretKeyRef)",
            ]);
            expect(noSecretEnvValues(JOB, job, PROD)).to.have.length(1);
        });

        it("knows a DSN or URL with credentials", () => {
            expect(hasCredentials("tinode:s3cret@tcp(mysql:3306)/tinode?parseTime=true")).to.equal(true);
            expect(hasCredentials('{"dsn": "root:pw@unix(/run/mysqld.sock)/db"}')).to.equal(true);
            expect(hasCredentials("postgres://app:pw@db:5432/app")).to.equal(true);
            expect(hasCredentials("tinode@tcp(mysql:3306)/tinode")).to.equal(false);
            expect(hasCredentials("GRANT ALL PRIVILEGES ON `tinode`.* TO 'tinode'@'%';")).to.equal(false);
            expect(hasCredentials("https://example.com:8443/path")).to.equal(false);
        });

        it("passes the program's ConfigMap (the MySQL grant script)", () => {
            const cm = find(program, N.mysqlInitScripts);
            expect(noCredentialsInConfigMaps(cm.type, cm.props, PROD)).to.deep.equal([]);
        });

        it("fails a ConfigMap holding a DSN with credentials, in data or binaryData", () => {
            const conf = JSON.stringify({
                store_config: { adapters: { mysql: { dsn: "tinode:pw@tcp(tinode-mysql:3306)/tinode?parseTime=true" } } },
            });
            expect(noCredentialsInConfigMaps(CONFIG_MAP, { data: { "tinode.conf": conf } }, DEV)).to.deep.equal([
                "ConfigMap key tinode.conf holds a DSN or URL with credentials: put it in a Secret",
            ]);
            expect(
                noCredentialsInConfigMaps(CONFIG_MAP, { binaryData: { "tinode.conf": Buffer.from(conf).toString("base64") } }, DEV),
            ).to.have.length(1);
            // A Secret may hold it: that is where it belongs.
            expect(noCredentialsInConfigMaps("kubernetes:core/v1:Secret", { stringData: { "tinode.conf": conf } }, DEV)).to.deep.equal([]);
        });
    });

    describe("container-resources", () => {
        it("passes every container of the program, initContainers too", () => {
            for (const r of [...program, ...programExternalDb]) expect(containerResources(r.type, r.props, PROD), r.name).to.deep.equal([]);
        });

        it("fails a container without requests and an initContainer without a memory limit", () => {
            const job = plain(find(program, N.dbInitJob).props) as any;
            delete job.spec.template.spec.initContainers[0].resources.limits;
            delete job.spec.template.spec.containers[0].resources;
            expect(containerResources(JOB, job, PROD)).to.deep.equal([
                "initContainers[wait-for-mysql] does not set resources.limits.memory",
                "containers[init-db] does not set resources.requests.cpu, resources.requests.memory, resources.limits.memory",
            ]);
        });

        it("fails an empty cpu request, and does not ask ephemeral containers for resources", () => {
            const spec = {
                containers: [container({ resources: { requests: { cpu: "", memory: "1Mi" }, limits: { memory: "2Mi" } } })],
                ephemeralContainers: [{ name: "debug", image: "busybox:1.36" }],
            };
            expect(containerResources(DEPLOYMENT, workload(DEPLOYMENT, spec), PROD)).to.deep.equal([
                "containers[app] does not set resources.requests.cpu",
            ]);
        });
    });

    describe("tinode-sample-data-dev-only", () => {
        it("passes the program without sample data, and with it on a dev stack", () => {
            const job = find(program, N.dbInitJob);
            expect(noSampleData(job.type, job.props, PROD)).to.deep.equal([]);
            const withData = find(programWithSampleData, N.dbInitJob);
            expect(noSampleData(withData.type, withData.props, DEV)).to.deep.equal([]);
        });

        it("fails the program's Job with sample data outside dev", () => {
            const withData = find(programWithSampleData, N.dbInitJob);
            expect(noSampleData(withData.type, withData.props, PROD)).to.deep.equal([
                "containers[init-db] loads sample data (init-db --data=...): allowed only on a dev stack (tinode:sampleData)",
            ]);
        });

        it("finds -data in any spelling, also in a shell command, but only for init-db", () => {
            const viaShell = workload(JOB, {
                containers: [container({ name: "setup", command: ["sh", "-c", "/opt/tinode/init-db --config=c.conf -data /data.json"] })],
            });
            expect(noSampleData(JOB, viaShell, PROD)).to.have.length(1);
            const otherTool = workload(JOB, { containers: [container({ name: "loader", args: ["--data=/x.json"] })] });
            expect(noSampleData(JOB, otherTool, PROD)).to.deep.equal([]);
        });
    });

    describe("tinode-never-reset", () => {
        it("passes the program, with and without sample data", () => {
            for (const r of [...program, ...programWithSampleData, ...programExternalDb])
                expect(noReset(r.type, r.props, PROD), r.name).to.deep.equal([]);
        });

        it("fails --reset on every stack, dev included, in args, command or a shell line", () => {
            const job = plain(find(program, N.dbInitJob).props) as any;
            job.spec.template.spec.containers[0].args.push("--reset");
            expect(noReset(JOB, job, DEV)).to.deep.equal([
                "containers[init-db] runs with --reset, which drops the database: never allowed",
            ]);
            for (const cmd of [
                ["init-db", "-reset"],
                ["init-db", "--reset=true"],
                ["sh", "-c", "init-db --reset && sleep 1"],
            ]) {
                const w = workload(DEPLOYMENT, { initContainers: [container({ name: "x", command: cmd })], containers: [container()] });
                expect(noReset(DEPLOYMENT, w, DEV), cmd.join(" ")).to.have.length(1);
            }
        });

        it("does not mistake other flags for --reset", () => {
            const w = workload(DEPLOYMENT, {
                containers: [container({ args: ["--reset-password-url=https://x", "--no-reset", "preset"] })],
            });
            expect(noReset(DEPLOYMENT, w, PROD)).to.deep.equal([]);
        });
    });
});
