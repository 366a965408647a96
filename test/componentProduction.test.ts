import { expect } from "chai";
import { objectNames } from "../builders/names";
import type { ClusterCore as ClusterCoreType } from "../components/clusterCore";
import type { TinodeSettings } from "../config/settings";
import { childrenOf, dependencyNames, deployWith, installMocks, one, optionsOf, valueOf } from "./mocks";

let ClusterCore: typeof ClusterCoreType;

const deploy = (name: string, values: Record<string, string> = {}, extra: Partial<TinodeSettings> = {}) =>
    deployWith(ClusterCore, name, values, extra);

const config = (name: string) => JSON.parse(one(name, "kubernetes:core/v1:Secret", `${name}-config`).inputs.stringData["tinode.conf"]);
const podSpec = (name: string) => one(name, "kubernetes:apps/v1:StatefulSet", objectNames(name).tinode).inputs.spec.template.spec;
const policy = (name: string, object: "serverPolicy" | "mysqlPolicy" | "dbInitPolicy" | "backupPolicy") =>
    one(name, "kubernetes:networking.k8s.io/v1:NetworkPolicy", objectNames(name)[object]).inputs.spec;

describe("ClusterCore production options (mocks)", function () {
    before(async () => {
        await installMocks();
        ({ ClusterCore } = await import("../components/clusterCore"));
    });

    it("isolates the cluster port and MySQL with NetworkPolicies", async () => {
        await deploy("p-net");
        const server = policy("p-net", "serverPolicy");
        expect(server.podSelector.matchLabels["app.kubernetes.io/component"]).to.equal("server");
        const clusterRule = server.ingress.find((r: any) => r.ports.some((p: any) => p.port === 12000));
        expect(clusterRule.from).to.deep.equal([{ podSelector: { matchLabels: server.podSelector.matchLabels } }]);
        const clientRule = server.ingress.find((r: any) => r.from === undefined);
        expect(clientRule.ports.map((p: any) => p.port)).to.deep.equal(["http", "grpc"]);
        const mysql = policy("p-net", "mysqlPolicy");
        expect(mysql.ingress[0].from.map((f: any) => f.podSelector.matchLabels["app.kubernetes.io/component"])).to.deep.equal([
            "server",
            "db-init",
        ]);
        expect(mysql.ingress[0].ports).to.deep.equal([{ port: 3306, protocol: "TCP" }]);
        expect(policy("p-net", "dbInitPolicy").ingress).to.deep.equal([]);
    });

    it("limits egress to DNS, peers, the database and the S3 endpoint", async () => {
        await deploy("p-egress");
        const server = policy("p-egress", "serverPolicy");
        expect(server.policyTypes).to.deep.equal(["Ingress", "Egress"]);
        const ports = (rule: any) => rule.ports.map((p: any) => `${p.port}/${p.protocol}`).join(",");
        expect(server.egress.map(ports)).to.deep.equal(["53/UDP,53/TCP", "12000/TCP,6060/TCP", "3306/TCP"]);
        expect(server.egress[1].to).to.deep.equal([{ podSelector: { matchLabels: server.podSelector.matchLabels } }]);
        expect(server.egress[2].to[0].podSelector.matchLabels["app.kubernetes.io/component"]).to.equal("database");
        expect(policy("p-egress", "mysqlPolicy").egress.map(ports)).to.deep.equal(["53/UDP,53/TCP"]);
        expect(policy("p-egress", "dbInitPolicy").egress.map(ports)).to.deep.equal(["53/UDP,53/TCP", "3306/TCP"]);

        await deploy("p-egress-ext", {
            mysqlExternalDsn: "u:p@tcp(db.example:3307)/tinode?parseTime=true",
            mediaHandler: "s3",
            mediaS3Bucket: "chat-uploads",
            mediaS3Region: "eu-central-1",
            mediaS3AccessKeyId: "i",
            mediaS3SecretAccessKey: "k",
            mediaS3Endpoint: "http://minio.storage:9000",
        });
        const ext = policy("p-egress-ext", "serverPolicy");
        expect(ext.egress.map(ports)).to.deep.equal(["53/UDP,53/TCP", "12000/TCP,6060/TCP", "3307/TCP", "9000/TCP"]);
        expect(ext.egress[2]).to.not.have.property("to");
    });

    it("creates no NetworkPolicy when switched off", async () => {
        await deploy("p-open", { networkPolicies: "false", networkIsolatedElsewhere: "true" });
        expect(childrenOf("p-open").filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")).to.deep.equal([]);
    });

    it("adds an Ingress with TLS and websocket-friendly timeouts", async () => {
        await deploy("p-ing", {
            ingressHost: "chat.example.com",
            ingressClusterIssuer: "letsencrypt",
            ingressClassName: "nginx",
            serviceType: "LoadBalancer",
            serviceTlsTerminatedUpstream: "true",
        });
        const ing = one("p-ing", "kubernetes:networking.k8s.io/v1:Ingress").inputs;
        expect(ing.spec.ingressClassName).to.equal("nginx");
        expect(ing.spec.tls).to.deep.equal([{ hosts: ["chat.example.com"], secretName: objectNames("p-ing").tls }]);
        expect(ing.spec.rules[0].http.paths[0].backend.service).to.deep.equal({ name: "p-ing", port: { name: "http" } });
        expect(ing.metadata.annotations).to.include({
            "cert-manager.io/cluster-issuer": "letsencrypt",
            "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
        });
        expect(one("p-ing", "kubernetes:core/v1:Service", objectNames("p-ing").clientService).inputs.spec.type).to.equal("LoadBalancer");
    });

    it("fs media: one shared claim mounted at the upload dir of tinode.conf", async () => {
        await deploy("p-fs", { mediaHandler: "fs", mediaStorageClass: "nfs" });
        const pvc = one("p-fs", "kubernetes:core/v1:PersistentVolumeClaim", "p-fs-media").inputs;
        expect(pvc.spec).to.deep.include({ accessModes: ["ReadWriteMany"], storageClassName: "nfs" });
        const pod = podSpec("p-fs");
        expect(pod.volumes.find((v: any) => v.name === "media").persistentVolumeClaim.claimName).to.equal(pvc.metadata.name);
        const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === "media");
        expect(config("p-fs").media).to.deep.include({ use_handler: "fs", max_size: 32 * 1024 * 1024 });
        expect(config("p-fs").media.handlers.fs.upload_dir).to.equal(mount.mountPath);
    });

    it("s3 media: credentials only inside the config Secret", async () => {
        await deploy("p-s3", {
            mediaHandler: "s3",
            mediaS3Bucket: "chat",
            mediaS3Region: "eu-west-1",
            mediaS3AccessKeyId: "AKIA1",
            mediaS3SecretAccessKey: "s3cr3t",
        });
        expect(config("p-s3").media.handlers.s3).to.deep.include({
            bucket: "chat",
            region: "eu-west-1",
            access_key_id: "AKIA1",
            secret_access_key: "s3cr3t",
        });
        const outsideSecrets = childrenOf("p-s3").filter((r) => r.type !== "kubernetes:core/v1:Secret");
        expect(JSON.stringify(outsideSecrets.map((r) => r.inputs))).not.to.contain("s3cr3t");
        // Only the schema Job's dump claim: no upload volume.
        expect(
            childrenOf("p-s3")
                .filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim")
                .map((r) => r.name),
        ).to.deep.equal(["p-s3-schema-dumps"]);
    });

    it("protects MySQL, its credentials and the data keys only when asked", async () => {
        const safe = await deploy("p-keep", { protectData: "true" });
        expect((safe.mysqlStatefulSet as any).__protect).to.equal(true);
        // Deleting the namespace would delete the MySQL volume claim in it.
        expect((safe.namespaceResource as any).__protect).to.equal(true);
        expect((safe.statefulSet as any).__protect).to.not.equal(true);
        const plain = await deploy("p-nokeep");
        expect((plain.mysqlStatefulSet as any).__protect).to.not.equal(true);
    });

    it("leaves the data in the cluster on destroy by default, and only the data; deletes it when asked", async () => {
        await deploy("p-ret");
        const data = [
            ["kubernetes:core/v1:Namespace", "p-ret-namespace"],
            ["kubernetes:core/v1:PersistentVolumeClaim", "p-ret-schema-dumps"],
            ["kubernetes:core/v1:Secret", "p-ret-config"],
            ["kubernetes:core/v1:Secret", "p-ret-mysql-credentials"],
        ];
        for (const [type, name] of data) expect(optionsOf("p-ret", type, name).retainOnDelete, name).to.equal(true);
        for (const [type, name] of [
            ["kubernetes:apps/v1:StatefulSet", "p-ret"],
            ["kubernetes:apps/v1:StatefulSet", "p-ret-mysql"],
            ["kubernetes:core/v1:Secret", "p-ret-db-client"],
            ["kubernetes:core/v1:Service", "p-ret"],
        ]) {
            expect(optionsOf("p-ret", type, name).retainOnDelete, name).to.not.equal(true);
        }
        expect(optionsOf("p-ret", "kubernetes:core/v1:PersistentVolumeClaim", "p-ret-schema-dumps").protect).to.not.equal(true);
        await deploy("p-del", { deleteDataOnDestroy: "true" });
        for (const [type, name] of data) {
            const other = name.replace("p-ret", "p-del");
            expect(optionsOf("p-del", type, other).retainOnDelete, other).to.not.equal(true);
        }
    });

    it("rolls the servers only after the schema Job, and leaves a dump claim's class to the cluster", async () => {
        const c = await deploy("p-order");
        const deps = optionsOf("p-order", "kubernetes:apps/v1:StatefulSet", "p-order").dependsOn as unknown[];
        expect(deps, "the Tinode StatefulSet waits for the schema Job").to.include(c.dbInitJob);
        expect(optionsOf("p-order", "kubernetes:core/v1:PersistentVolumeClaim", "p-order-schema-dumps").ignoreChanges).to.deep.equal([
            "spec.storageClassName",
        ]);
    });

    it("gives a LoadBalancer the TLS proxy's config and cert-manager's certificate before the pods that mount them", async () => {
        const c = await deploy("p-lb", { serviceType: "LoadBalancer", serviceClusterIssuer: "le", serviceHost: "chat.example.org" });
        const configMap = one("p-lb", "kubernetes:core/v1:ConfigMap", "p-lb-tls-proxy");
        expect(Object.keys(configMap.inputs.data)).to.deep.equal(["dynamic.yaml"]);
        const cert = one("p-lb", "kubernetes:cert-manager.io/v1:Certificate", "p-lb-service-tls");
        expect(cert.inputs.spec.dnsNames).to.deep.equal(["chat.example.org"]);
        expect(await dependencyNames("p-lb", "kubernetes:apps/v1:StatefulSet", "p-lb")).to.include.members([
            "p-lb-tls-proxy",
            "p-lb-service-tls",
        ]);
        expect(await valueOf(c.clientUrl)).to.equal("https://p-lb.tinode.svc.cluster.local");
        expect(config("p-lb").use_x_forwarded_for).to.equal(true);
        // The operator's Secret: no Certificate; no proxy at all without one.
        await deploy("p-lb-own", { serviceType: "NodePort", serviceTlsSecret: "own-tls" });
        expect(childrenOf("p-lb-own").filter((r) => r.type === "kubernetes:cert-manager.io/v1:Certificate")).to.deep.equal([]);
        await deploy("p-lb-up", { serviceType: "LoadBalancer", serviceTlsTerminatedUpstream: "true" });
        expect(
            childrenOf("p-lb-up").filter((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name.endsWith("-tls-proxy")),
        ).to.deep.equal([]);
        expect(config("p-lb-up").use_x_forwarded_for).to.equal(false);
    });

    it("dumps the database with the running MySQL before a newer release starts, and only then", async () => {
        const upgrade = { from: "mysql:8.4.6", to: "mysql:9.1.0" };
        await deploy("p-upg", { mysqlImage: upgrade.to }, { mysqlUpgrade: upgrade });
        const job = one("p-upg", "kubernetes:batch/v1:Job", "p-upg-mysql-upgrade-dump");
        expect(job.inputs.spec.template.spec.containers[0].image).to.equal(upgrade.from);
        const dependsOn = (type: string, name: string) => dependencyNames("p-upg", type, name);
        expect(await dependsOn("kubernetes:apps/v1:StatefulSet", "p-upg-mysql"), "MySQL waits for the dump").to.include(
            "p-upg-mysql-upgrade-dump",
        );
        expect(await dependsOn("kubernetes:batch/v1:Job", "p-upg-mysql-upgrade-dump")).to.include.members([
            "p-upg-db-client",
            "p-upg-schema-dumps",
        ]);
        await deploy("p-same", { mysqlImage: upgrade.to });
        expect(childrenOf("p-same").filter((r) => r.name.endsWith("-mysql-upgrade-dump"))).to.deep.equal([]);
        // An external MySQL has no release of ours to upgrade.
        await deploy("p-ext", { mysqlExternalDsn: "u:p@tcp(db.example.com:3306)/tinode?parseTime=true" }, { mysqlUpgrade: upgrade });
        expect(childrenOf("p-ext").filter((r) => r.name.endsWith("-mysql-upgrade-dump"))).to.deep.equal([]);
    });

    it("attaches Gateway API routes after the client Service, only when a Gateway is named", async () => {
        await deploy("p-gw", { gatewayName: "public", gatewayHost: "chat.example.org", gatewayGrpcHost: "grpc.example.org" });
        const routes = childrenOf("p-gw").filter((r) => r.type.startsWith("kubernetes:gateway.networking.k8s.io/v1:"));
        expect(routes.map((r) => `${r.type.split(":").pop()}/${r.name}`).sort()).to.deep.equal(["GRPCRoute/p-gw-grpc", "HTTPRoute/p-gw"]);
        expect(await dependencyNames("p-gw", "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "p-gw")).to.include("p-gw");
        await deploy("p-nogw");
        expect(childrenOf("p-nogw").filter((r) => r.type.startsWith("kubernetes:gateway"))).to.deep.equal([]);
    });

    it("passes scheduling settings to every pod", async () => {
        await deploy("p-sched", {
            priorityClassName: "chat",
            nodeSelector: JSON.stringify({ pool: "chat" }),
            tolerations: JSON.stringify([{ key: "dedicated", operator: "Exists" }]),
        });
        const pods = [
            podSpec("p-sched"),
            one("p-sched", "kubernetes:apps/v1:StatefulSet", "p-sched-mysql").inputs.spec.template.spec,
            one("p-sched", "kubernetes:batch/v1:Job").inputs.spec.template.spec,
        ];
        for (const pod of pods) {
            expect(pod).to.deep.include({
                priorityClassName: "chat",
                nodeSelector: { pool: "chat" },
                tolerations: [{ key: "dedicated", operator: "Exists" }],
            });
        }
        expect(podSpec("p-sched").topologySpreadConstraints[0]).to.include({
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
        });
    });
});
