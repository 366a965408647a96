import { expect } from "chai";
import { formerResourceNames, objectNames, resourceNames } from "../builders/names";
import type { ClusterCore as ClusterCoreType } from "../components/clusterCore";
import { KEPT, settingsWith } from "./helpers";
import { childrenOf, dependencyNames, deployWith, installMocks, isSecret, one, recorded, registrationsDone, valueOf } from "./mocks";

const T = {
    namespace: "kubernetes:core/v1:Namespace",
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
    service: "kubernetes:core/v1:Service",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    job: "kubernetes:batch/v1:Job",
    deployment: "kubernetes:apps/v1:Deployment",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
    pvcPatch: "kubernetes:core/v1:PersistentVolumeClaimPatch",
    provider: "pulumi:providers:kubernetes",
    randomBytes: "random:index/randomBytes:RandomBytes",
    randomPassword: "random:index/randomPassword:RandomPassword",
};

let ClusterCore: typeof ClusterCoreType;

const deploy = (name: string, values: Record<string, string> = {}) => deployWith(ClusterCore, name, values);

const tinodeSts = (name: string) => one(name, T.statefulSet, objectNames(name).tinode).inputs;
const configText = (name: string): string => one(name, T.secret, `${name}-config`).inputs.stringData["tinode.conf"];
const job = (name: string) => one(name, T.job).inputs;

describe("ClusterCore (mocks)", function () {
    before(async () => {
        await installMocks();
        ({ ClusterCore } = await import("../components/clusterCore"));
    });

    it("creates every resource of a default stack, once", async () => {
        await deploy("t-default");
        const types = childrenOf("t-default")
            .map((r) => r.type)
            .sort();
        expect(types).to.deep.equal(
            [
                T.namespace,
                T.randomBytes,
                T.randomBytes,
                T.randomPassword,
                T.randomPassword,
                // The servers' MySQL user: its password and the init file that makes it.
                T.randomPassword,
                T.secret,
                T.secret,
                T.secret,
                T.secret,
                // The servers' copy of tinode.conf (their DSN names the runtime user).
                T.secret,
                T.pvc,
                T.pvcPatch,
                T.configMap,
                T.configMap,
                T.service,
                T.service,
                T.service,
                T.service,
                T.statefulSet,
                T.statefulSet,
                T.job,
                T.pdb,
                T.netpol,
                T.netpol,
                T.netpol,
                // The self-healer (builders/healer.ts), on by default with more than one replica.
                T.configMap,
                T.serviceAccount,
                T.role,
                T.roleBinding,
                T.netpol,
                T.deployment,
            ].sort(),
        );
    });

    it("wires the StatefulSet to the headless Service, the config Secret and its own pod names", async () => {
        await deploy("t-wire", { namespace: "chat" });
        const sts = tinodeSts("t-wire");
        const headless = one("t-wire", T.service, objectNames("t-wire").headlessService).inputs;
        const secret = one("t-wire", T.secret, "t-wire-server-config").inputs;
        expect(sts.metadata.namespace).to.equal("chat");
        expect(sts.spec.serviceName).to.equal(headless.metadata.name);
        expect(headless.spec.clusterIP).to.equal("None");
        expect(headless.spec.publishNotReadyAddresses).to.equal(true);
        expect(headless.spec.selector).to.deep.equal(sts.spec.selector.matchLabels);
        const pod = sts.spec.template.spec;
        expect(pod.volumes.find((v: any) => v.name === "config").secret.secretName).to.equal(secret.metadata.name);
        const container = pod.containers[0];
        expect(container.command).to.deep.equal(["/opt/tinode/tinode"]);
        expect(container.args).to.include("--cluster_self=$(POD_NAME)");
        expect(container.env).to.deep.include({ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
        expect(container.ports.map((p: any) => p.name)).to.deep.equal(["http", "grpc", "cluster"]);

        // The servers log in as the runtime user (data rights only); the schema Job's copy as mysqlUser.
        const dsnUser = (secretName: string) =>
            JSON.parse(one("t-wire", T.secret, secretName).inputs.stringData["tinode.conf"]).store_config.adapters.mysql.dsn.split(":")[0];
        expect(dsnUser("t-wire-server-config")).to.equal("tinode_runtime");
        expect(dsnUser("t-wire-config")).to.equal("tinode");
        expect(JSON.parse(secret.stringData["tinode.conf"]).cluster_config).to.deep.equal(JSON.parse(configText("t-wire")).cluster_config);

        const nodes = JSON.parse(configText("t-wire")).cluster_config.nodes;
        expect(nodes).to.deep.equal(
            [0, 1, 2].map((i) => ({
                name: `${sts.metadata.name}-${i}`,
                addr: `${sts.metadata.name}-${i}.${headless.metadata.name}.chat.svc.cluster.local:12000`,
            })),
        );
    });

    it("runs init-db --upgrade on the same config, never --reset, after MySQL", async () => {
        await deploy("t-job");
        const j = job("t-job");
        const main = j.spec.template.spec.containers[0];
        expect(main.command).to.deep.equal(["/opt/tinode/init-db"]);
        expect(main.args).to.deep.equal(["--config=/etc/tinode/tinode.conf", "--upgrade"]);
        expect(JSON.stringify(j)).not.to.contain("--reset");
        expect(j.spec.template.spec.volumes[0].secret.secretName).to.equal(one("t-job", T.secret, "t-job-config").inputs.metadata.name);
        const wait = j.spec.template.spec.initContainers[0];
        expect(wait.env).to.deep.include({ name: "DB_HOST", value: "t-job-mysql.tinode.svc.cluster.local" });
        expect(j).not.to.have.nested.property("spec.ttlSecondsAfterFinished");
        // Rendered manifests carry no provider annotation (without a cluster the provider would warn).
        await deploy("t-job-render", { renderYamlTo: "out" });
        expect(job("t-job-render").metadata).not.to.have.property("annotations");
    });

    it("dumps an existing database of another schema version before init-db upgrades it, and retries a failed Job", async () => {
        await deploy("t-dump", { schemaDumpStorageSize: "30Gi" });
        const j = job("t-dump");
        const pod = j.spec.template.spec;
        expect(pod.initContainers.map((c: any) => c.name)).to.deep.equal(["wait-for-mysql", "schema-probe", "schema-dump"]);
        const [, probe, dump] = pod.initContainers;
        // The probe is the image's own init-db, read-only (--no_init, no --upgrade).
        expect(probe.image).to.equal("tinode/tinode-mysql:0.25.3");
        expect(probe.command.join(" "))
            .to.contain("/opt/tinode/init-db --config=/etc/tinode/tinode.conf --no_init;")
            .and.not.contain("--upgrade");
        expect(dump.image).to.equal("mysql:8.4.6");
        expect(dump.command[2]).to.contain("mysqldump --defaults-extra-file=/etc/tinode-db/client.cnf --single-transaction");
        expect(dump.env).to.deep.include({ name: "DB_NAME", value: "tinode" });
        const claim = one("t-dump", T.pvc, "t-dump-schema-dumps").inputs;
        expect(claim.spec.resources.requests.storage).to.equal("30Gi");
        expect(pod.volumes.find((v: any) => v.name === "dumps").persistentVolumeClaim.claimName).to.equal(claim.metadata.name);
        // The client options carry the same credentials as Tinode's DSN.
        const creds = one("t-dump", T.secret, "t-dump-mysql-credentials").inputs.stringData;
        const options = one("t-dump", T.secret, "t-dump-db-client").inputs.stringData["client.cnf"];
        expect(options).to.equal(
            `[client]\nhost=t-dump-mysql.tinode.svc.cluster.local\nport=3306\nuser="tinode"\npassword="${creds.MYSQL_PASSWORD}"\n`,
        );
        expect(pod.volumes.find((v: any) => v.name === "db-client").secret.secretName).to.equal("t-dump-db-client");
        // A failed Job is replaced on the next update; Pulumi waits past the Job's own deadline.
        expect(j.metadata.annotations).to.deep.equal({ "pulumi.com/replaceUnready": "true" });
        expect(j.spec.activeDeadlineSeconds).to.equal(1800);
    });

    it("loads sample data only when asked", async () => {
        await deploy("t-sample", { sampleData: "true" });
        expect(job("t-sample").spec.template.spec.containers[0].args).to.include("--data=/opt/tinode/data.json");
    });

    it("gives MySQL a volume, generated passwords and a user limited to Tinode's database", async () => {
        await deploy("t-db", { mysqlStorageSize: "20Gi", mysqlStorageClass: "fast" });
        const sts = one("t-db", T.statefulSet, "t-db-mysql").inputs;
        expect(sts.spec.volumeClaimTemplates[0].spec).to.deep.include({ storageClassName: "fast", accessModes: ["ReadWriteOnce"] });
        expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).to.equal("20Gi");
        expect(sts.spec.persistentVolumeClaimRetentionPolicy).to.deep.equal({ whenDeleted: "Retain", whenScaled: "Retain" });
        const env = sts.spec.template.spec.containers[0].env.map((e: any) => e.name);
        expect(env).to.deep.equal(["MYSQL_ROOT_PASSWORD", "MYSQL_ROOT_HOST", "MYSQL_USER", "MYSQL_PASSWORD"]);
        expect(env).not.to.include("MYSQL_DATABASE");
        // root logs in only from inside the MySQL pod.
        expect(sts.spec.template.spec.containers[0].env.find((e: any) => e.name === "MYSQL_ROOT_HOST").value).to.equal("localhost");
        const creds = one("t-db", T.secret, "t-db-mysql-credentials").inputs.stringData;
        const dsn = JSON.parse(configText("t-db")).store_config.adapters.mysql.dsn;
        expect(dsn).to.equal(
            `tinode:${creds.MYSQL_PASSWORD}@tcp(t-db-mysql.tinode.svc.cluster.local:3306)/tinode?parseTime=true&collation=utf8mb4_0900_ai_ci`,
        );
        expect(creds.MYSQL_ROOT_PASSWORD).to.not.equal(creds.MYSQL_PASSWORD);
        expect(one("t-db", T.configMap, "t-db-mysql-init").inputs.data["01-grant-tinode.sql"]).to.equal(
            "GRANT ALL PRIVILEGES ON `tinode`.* TO 'tinode'@'%';\n",
        );
    });

    it("resizes the MySQL claim in place: the StatefulSet ignores its claim template, a patch sets the claim's size", async () => {
        await deploy("t-grow", { mysqlStorageSize: "25Gi" });
        expect(
            await dependencyNames("t-grow", T.pvcPatch, resourceNames("t-grow").mysqlDataSize),
            "after MySQL's StatefulSet, which makes the claim",
        ).to.include("t-grow-mysql");
        const patch = one("t-grow", T.pvcPatch).inputs;
        const sts = one("t-grow", T.statefulSet, "t-grow-mysql").inputs;
        expect(patch.metadata).to.deep.include({ name: `data-${sts.metadata.name}-0`, namespace: "tinode" });
        expect(patch.metadata.annotations).to.deep.equal({ "pulumi.com/patchForce": "true", "pulumi.com/skipAwait": "true" });
        expect(patch.spec).to.deep.equal({ resources: { requests: { storage: "25Gi" } } });
        expect(sts.spec.volumeClaimTemplates[0].metadata.name).to.equal("data");
        // Resource options do not reach the mocks: a transformation on the component sees its children's.
        const seen: Record<string, unknown> = {};
        const c = new ClusterCore("t-grow-opts", settingsWith(), {
            transformations: [
                (a) => {
                    seen[`${a.type}::${a.name}`] = a.opts.ignoreChanges;
                    seen[`${a.type}::${a.name}:retainOnDelete`] = a.opts.retainOnDelete;
                    return undefined;
                },
            ],
        });
        await valueOf(c.mysqlStatefulSet!.id);
        const n = objectNames("t-grow-opts");
        expect(seen[`${T.statefulSet}::${n.mysql}`]).to.deep.equal(["spec.volumeClaimTemplates"]);
        expect(seen[`${T.statefulSet}::${n.tinode}`]).to.equal(undefined);
        // Deleting the patch (a switch to an external MySQL) must not try to take the claim's size away.
        expect(seen[`${T.pvcPatch}::${resourceNames("t-grow-opts").mysqlDataSize}:retainOnDelete`]).to.equal(true);
        await deploy("t-grow-render", { renderYamlTo: "out" });
        expect(childrenOf("t-grow-render").filter((r) => r.type === T.pvcPatch)).to.deep.equal([]);
    });

    it("names each resource after its object and keeps a renamed one's former name as an alias", async () => {
        const aliases: Record<string, unknown> = {};
        const c = new ClusterCore(
            "t-alias",
            settingsWith({ networkPolicies: "true", ingressHost: "chat.example.com", ingressTlsSecret: "t" }),
            {
                transformations: [
                    (a) => {
                        aliases[`${a.type}::${a.name}`] = a.opts.aliases;
                        return undefined;
                    },
                ],
            },
        );
        await valueOf(c.statefulSet.id);
        await registrationsDone();
        const n = objectNames("t-alias");
        const former = formerResourceNames("t-alias");
        expect(aliases[`${T.statefulSet}::${n.tinode}`]).to.deep.include({ name: "t-alias-tinode" });
        expect(aliases[`${T.service}::${n.headlessService}`]).to.deep.include({ name: "t-alias-headless" });
        expect(aliases[`${T.service}::${n.clientService}`]).to.deep.include({ name: former.clientService });
        expect(aliases[`${T.netpol}::${n.mysqlPolicy}`]).to.deep.include({ name: "t-alias-netpol-mysql" });
        expect(aliases[`${T.ingress}::${n.ingress}`]).to.deep.include({ name: "t-alias-ingress" });
        // Unchanged names need none (the SDK's own aliases are of types, not names).
        const names = (a: unknown) => ((a as { name?: string }[] | undefined) ?? []).filter((x) => x.name !== undefined);
        expect(names(aliases[`${T.statefulSet}::${n.mysql}`])).to.deep.equal([]);
    });

    it("uses an external MySQL without deploying one", async () => {
        const dsn = "chat:pw@tcp(db.example:3307)/chat?parseTime=true";
        const c = await deploy("t-ext", { mysqlExternalDsn: dsn });
        // Only the deployed MySQL's passwords, kept for a switch back to it.
        expect(
            childrenOf("t-ext")
                .filter((r) => r.name.includes("mysql"))
                .map((r) => r.type),
        ).to.deep.equal([T.randomPassword, T.randomPassword]);
        expect(JSON.parse(configText("t-ext")).store_config.adapters.mysql).to.deep.equal({ dsn, database: "chat" });
        expect(c.mysqlHost).to.equal("db.example");
        expect(job("t-ext").spec.template.spec.initContainers[0].env).to.deep.include({ name: "DB_PORT", value: "3307" });
    });

    it("runs one replica standalone and two without failover", async () => {
        await deploy("t-one", { replicas: "1" });
        expect(JSON.parse(configText("t-one"))).not.to.have.property("cluster_config");
        expect(tinodeSts("t-one").spec.template.spec.containers[0].args.join(" ")).not.to.contain("--cluster_self");
        await deploy("t-two", { replicas: "2" });
        expect(JSON.parse(configText("t-two")).cluster_config.failover.enabled).to.equal(false);
    });

    it("on a replica change rolls the pods with a new node list but does not re-run the schema Job", async () => {
        await deploy("t-scale", { replicas: "3" });
        const before = { sts: tinodeSts("t-scale"), job: job("t-scale").metadata.name };
        recorded.splice(0, recorded.length, ...recorded.filter((r) => !r.name.startsWith("t-scale")));
        await deploy("t-scale", { replicas: "5" });
        const after = tinodeSts("t-scale");
        expect(after.spec.replicas).to.equal(5);
        expect(JSON.parse(configText("t-scale")).cluster_config.nodes).to.have.length(5);
        expect(after.spec.template.metadata.annotations["checksum/config"]).to.not.equal(
            before.sts.spec.template.metadata.annotations["checksum/config"],
        );
        expect(job("t-scale").metadata.name).to.equal(before.job);
    });

    it("re-runs the schema Job when the Tinode image changes", async () => {
        await deploy("t-up", { image: "tinode/tinode-mysql:0.25.3" });
        const first = job("t-up").metadata.name;
        recorded.splice(0, recorded.length, ...recorded.filter((r) => !r.name.startsWith("t-up")));
        await deploy("t-up", { image: "tinode/tinode-mysql:0.25.4" });
        expect(job("t-up").metadata.name)
            .to.match(/^t-up-db-init-[0-9a-f]{10}$/)
            .and.not.equal(first);
    });

    it("is deterministic for the same config", async () => {
        await deploy("t-same");
        const a = JSON.stringify(childrenOf("t-same").map((r) => r.inputs));
        recorded.splice(0, recorded.length, ...recorded.filter((r) => !r.name.startsWith("t-same")));
        await deploy("t-same");
        expect(JSON.stringify(childrenOf("t-same").map((r) => r.inputs))).to.equal(a);
    });

    it("keeps secrets secret and exports the API key for the salt in use", async () => {
        const c = await deploy("t-secret");
        expect(await isSecret(c.apiKey)).to.equal(true);
        expect(await valueOf(c.apiKey)).to.equal("AQEAAAABAAD_rAp4DJh05a1HAwFT3A6K");
        expect(await isSecret(c.configSecret.stringData)).to.equal(true);
        const salt = Buffer.alloc(32, 9).toString("base64");
        const other = await deploy("t-salt", { apiKeySalt: salt });
        expect(JSON.parse(configText("t-salt")).api_key_salt).to.equal(salt);
        expect(await valueOf(other.apiKey)).to.not.equal("AQEAAAABAAD_rAp4DJh05a1HAwFT3A6K");
    });

    it("labels everything, sets resources and probes, and passes the restricted profile's rules", async () => {
        await deploy("t-conv");
        // A patch changes one field of an object another resource made: it brings no labels.
        for (const r of childrenOf("t-conv").filter(
            (r) => r.type.startsWith("kubernetes:") && r.type !== T.namespace && !r.type.endsWith("Patch"),
        )) {
            expect(r.inputs.metadata.labels, r.name).to.include({
                "app.kubernetes.io/instance": "t-conv",
                "app.kubernetes.io/managed-by": "pulumi",
            });
        }
        const ns = one("t-conv", T.namespace).inputs;
        expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
        const pods = [
            tinodeSts("t-conv").spec.template.spec,
            one("t-conv", T.statefulSet, "t-conv-mysql").inputs.spec.template.spec,
            job("t-conv").spec.template.spec,
        ];
        for (const pod of pods) {
            expect(pod.securityContext).to.include({ runAsNonRoot: true });
            expect(pod.securityContext.seccompProfile).to.deep.equal({ type: "RuntimeDefault" });
            for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
                expect(c.securityContext, c.name).to.deep.include({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
                expect(c.resources.requests, c.name).to.have.keys("cpu", "memory", "ephemeral-storage");
                expect(c.resources.limits, c.name).to.include.keys("memory", "ephemeral-storage");
            }
        }
        const tinode = tinodeSts("t-conv").spec.template.spec.containers[0];
        expect(tinode.readinessProbe.httpGet).to.deep.equal({ path: "/stats/expvar/", port: "http" });
        expect(tinode.livenessProbe.tcpSocket).to.deep.equal({ port: "http" });
        expect(one("t-conv", T.pdb).inputs.spec.maxUnavailable).to.equal(1);
    });

    it("renders to a folder through its own provider when asked", async () => {
        await deploy("t-render", { renderYamlTo: "out/manifests" });
        const provider = one("t-render", T.provider).inputs;
        expect(provider).to.deep.include({ renderYamlToDirectory: "out/manifests", kubeconfig: "" });
        expect(String(provider.enableSecretMutable)).to.equal("true"); // provider inputs travel as text
        expect(String(provider.enableConfigMapMutable)).to.equal("true");
    });

    // A replica count out of range is refused once, by readSettings (test/readSettings.test.ts); what the
    // component refuses itself is a node list Tinode would reject.
    it("fails before creating anything when the generated cluster config is invalid", () => {
        const before = recorded.length;
        const s = settingsWith();
        expect(() => new ClusterCore("t-bad", { ...s, failover: { ...s.failover, heartbeatMs: 0 } })).to.throw(/heartbeat must be above 0/);
        expect(recorded.length).to.equal(before);
    });

    it("takes over kept secrets instead of generating them: the UID and token keys and MySQL's passwords", async () => {
        await deploy("t-kept", { keptSecrets: JSON.stringify(KEPT) });
        const conf = JSON.parse(configText("t-kept"));
        expect(conf.store_config.uid_key).to.equal(KEPT.uidKey);
        expect(conf.auth_config.token.key).to.equal(KEPT.tokenKey);
        const creds = one("t-kept", T.secret, "t-kept-mysql-credentials").inputs.stringData;
        expect([creds.MYSQL_ROOT_PASSWORD, creds.MYSQL_PASSWORD]).to.deep.equal([KEPT.mysqlRootPassword, KEPT.mysqlPassword]);
        // Only the servers' MySQL password is generated: MySQL sets it anew at each start.
        expect(
            childrenOf("t-kept")
                .filter((r) => r.type.startsWith("random:"))
                .map((r) => r.name),
        ).to.deep.equal(["t-kept-mysql-runtime-password"]);
    });
});
