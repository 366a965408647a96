import { expect } from "chai";
import { objectNames } from "../builders/names";
import type { ClusterCore as ClusterCoreType } from "../components/clusterCore";
import { childrenOf, deployWith, installMocks, one, valueOf } from "./mocks";

let ClusterCore: typeof ClusterCoreType;

const deploy = (name: string, values: Record<string, string> = {}) => deployWith(ClusterCore, name, values);
const CRONJOB = "kubernetes:batch/v1:CronJob";
const S3 = {
    backupDestination: "s3",
    backupS3Bucket: "chat-backups",
    backupS3Prefix: "tinode/test",
    backupS3Region: "eu-central-1",
    backupS3AccessKeyId: "id",
    backupS3SecretAccessKey: "s3cret-key",
};

describe("ClusterCore backups (mocks)", function () {
    before(async () => {
        await installMocks();
        ({ ClusterCore } = await import("../components/clusterCore"));
    });

    it("gives the backup no NetworkPolicy of its own when the stack has none", async () => {
        await deploy("b-nonp", { backupDestination: "volume", networkPolicies: "false", replicas: "1" });
        expect(childrenOf("b-nonp").filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")).to.deep.equal([]);
        expect(childrenOf("b-nonp").filter((r) => r.type === "kubernetes:batch/v1:CronJob")).to.have.length(1);
    });

    it("deploys no backup objects when backups are off", async () => {
        const c = await deploy("b-off");
        expect(c.backupCronJob).to.equal(undefined);
        expect(childrenOf("b-off").filter((r) => r.name.includes("backup"))).to.deep.equal([]);
    });

    it("volume: a CronJob with its script, its own claim and NetworkPolicy, recording this stack", async () => {
        const c = await deploy("b-vol", { backupDestination: "volume", backupStorageSize: "7Gi" });
        await valueOf(c.backupCronJob!.id);
        const cj = one("b-vol", CRONJOB).inputs;
        expect(cj.metadata.namespace).to.equal("tinode");
        const pod = cj.spec.jobTemplate.spec.template.spec;
        const script = one("b-vol", "kubernetes:core/v1:ConfigMap", "b-vol-backup-script").inputs;
        expect(pod.volumes.find((v: any) => v.name === "scripts").configMap.name).to.equal(script.metadata.name);
        const pvc = one("b-vol", "kubernetes:core/v1:PersistentVolumeClaim", "b-vol-backups").inputs;
        expect(pod.volumes.find((v: any) => v.name === "backups").persistentVolumeClaim.claimName).to.equal(pvc.metadata.name);
        expect(pvc.spec.resources.requests.storage).to.equal("7Gi");
        const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
        // The deployed MySQL's own credentials Secret, and the stack the UID key lives in.
        const creds = one("b-vol", "kubernetes:core/v1:Secret", "b-vol-mysql-credentials").inputs;
        expect(env.DB_PASSWORD.secretKeyRef.name).to.equal(creds.metadata.name);
        expect(Object.keys(creds.stringData)).to.include(env.DB_PASSWORD.secretKeyRef.key);
        expect(env.DB_HOST).to.equal("b-vol-mysql.tinode.svc.cluster.local");
        expect(env.BACKUP_STACK).to.equal("tinode/test");
        expect(env.UIDKEY_NOTE).to.contain("b-vol-uid-key");
        one("b-vol", "random:index/randomBytes:RandomBytes", "b-vol-uid-key");
        const policy = one("b-vol", "kubernetes:networking.k8s.io/v1:NetworkPolicy", objectNames("b-vol").backupPolicy).inputs;
        // The policy selects exactly the job's pods.
        const podLabels = cj.spec.jobTemplate.spec.template.metadata.labels;
        for (const [k, v] of Object.entries(policy.spec.podSelector.matchLabels)) expect(podLabels[k], k).to.equal(v);
        expect(policy.spec.podSelector.matchLabels["app.kubernetes.io/component"]).to.equal("backup");
    });

    it("protectData keeps the backup volume; the CronJob itself holds no data", async () => {
        const safe = await deploy("b-keep", { backupDestination: "volume", protectData: "true" });
        expect((safe.backupVolumeClaim as any).__protect).to.equal(true);
        expect((safe.backupCronJob as any).__protect).to.not.equal(true);
        const plain = await deploy("b-nokeep", { backupDestination: "volume" });
        expect((plain.backupVolumeClaim as any).__protect).to.not.equal(true);
    });

    it("s3: the credentials in a Secret of their own, as a secret", async () => {
        const c = await deploy("b-s3", S3);
        await valueOf(c.backupCronJob!.id);
        const secret = one("b-s3", "kubernetes:core/v1:Secret", "b-s3-backup-s3").inputs;
        expect(secret.stringData).to.deep.equal({ AWS_ACCESS_KEY_ID: "id", AWS_SECRET_ACCESS_KEY: "s3cret-key" });
        const pod = one("b-s3", CRONJOB).inputs.spec.jobTemplate.spec.template.spec;
        expect(JSON.stringify(pod)).not.to.contain("s3cret-key");
        const upload = pod.containers[0];
        expect(upload.env.find((e: any) => e.name === "AWS_SECRET_ACCESS_KEY").valueFrom.secretKeyRef.name).to.equal(secret.metadata.name);
        // No backup volume (the schema Job's dump claim is there either way).
        expect(
            childrenOf("b-s3")
                .filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim")
                .map((r) => r.inputs.metadata.name),
        ).to.deep.equal(["b-s3-schema-dumps"]);
    });

    it("external MySQL: the DSN's user and password in the backup's own Secret, kept secret", async () => {
        const c = await deploy("b-ext", {
            mysqlExternalDsn: "chat:dbpw@tcp(db.example:3307)/chat?parseTime=true",
            backupDestination: "volume",
        });
        await valueOf(c.backupCronJob!.id);
        const secret = one("b-ext", "kubernetes:core/v1:Secret", "b-ext-backup-mysql").inputs;
        expect(secret.stringData).to.deep.equal({ DB_USER: "chat", DB_PASSWORD: "dbpw" });
        const env = one("b-ext", CRONJOB).inputs.spec.jobTemplate.spec.template.spec.containers[0].env;
        expect(env.find((e: any) => e.name === "DB_PASSWORD").valueFrom.secretKeyRef.name).to.equal(secret.metadata.name);
        expect(env.find((e: any) => e.name === "DB_HOST").value).to.equal("db.example");
        const policy = one("b-ext", "kubernetes:networking.k8s.io/v1:NetworkPolicy", objectNames("b-ext").backupPolicy).inputs;
        expect(policy.spec.egress[1]).to.deep.equal({ ports: [{ port: 3307, protocol: "TCP" }] });
    });

    it("external MySQL: users the driver allows (a '/' in the DSN's, an '@' in the host form's) reach the backup as the driver splits them", async () => {
        const cases: [string, Record<string, string>, Record<string, string>][] = [
            [
                "b-ext-slash",
                { mysqlExternalDsn: "u/x:p@ss@tcp(db.example:3306)/chat?parseTime=true" },
                { DB_USER: "u/x", DB_PASSWORD: "p@ss" },
            ],
            [
                "b-ext-at",
                { mysqlExternalHost: "db.example", mysqlExternalUser: "a@b", mysqlExternalPassword: "pw" },
                { DB_USER: "a@b", DB_PASSWORD: "pw" },
            ],
        ];
        for (const [name, values, credentials] of cases) {
            const c = await deploy(name, { ...values, backupDestination: "volume" });
            await valueOf(c.backupCronJob!.id);
            expect(one(name, "kubernetes:core/v1:Secret", `${name}-backup-mysql`).inputs.stringData, name).to.deep.equal(credentials);
        }
    });
});
