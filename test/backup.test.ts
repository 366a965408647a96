import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import {
    BACKUP_PATHS,
    backupCronJobArgs,
    backupEnv,
    backupMysqlSecretArgs,
    backupS3SecretArgs,
    backupScript,
    backupScriptConfigMapArgs,
    backupVolumeClaimArgs,
} from "../builders/backup";
import { DatabaseTarget } from "../builders/database";
import { dsnCredentials } from "../tinode/dsn";
import { objectNames } from "../builders/names";
import { backupNetworkPolicyArgs, mysqlNetworkPolicyArgs } from "../builders/networkPolicies";
import { BackupSettings, InternalMysql, S3BackupDestination, TinodeSettings } from "../config/settings";
import { settingsWith } from "./helpers";

const names = objectNames("tinode");
const target: DatabaseTarget = { host: "tinode-mysql.tinode.svc.cluster.local", port: 3306, database: "tinode" };
const volume = (): TinodeSettings => settingsWith({ backupDestination: "volume", backupRetention: "5" });
const s3Settings = (): TinodeSettings =>
    settingsWith({
        backupDestination: "s3",
        backupS3Bucket: "chat-backups",
        backupS3Prefix: "tinode/prod",
        backupS3Region: "eu-central-1",
        backupS3Endpoint: "http://minio.storage:9000",
        backupS3AccessKeyId: "id",
        backupS3SecretAccessKey: "key",
    });

const cronJob = (s: TinodeSettings): any => backupCronJobArgs("tinode", names, s, s.backup!, target, "tinode/prod", "tinode-uid-key");

const envOf = (c: any): Record<string, any> => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe("backup CronJob", () => {
    it("runs one at a time, with deadlines, history limits and the app.kubernetes.io labels", () => {
        const cj = cronJob(volume());
        expect(cj.metadata.name).to.equal("tinode-backup");
        expect(cj.metadata.labels).to.include({
            "app.kubernetes.io/name": "tinode",
            "app.kubernetes.io/component": "backup",
            "app.kubernetes.io/instance": "tinode",
            "app.kubernetes.io/version": "0.25.3",
        });
        expect(cj.spec).to.include({
            schedule: "0 3 * * *",
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: 3600,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            suspend: false,
        });
        expect(cj.spec.jobTemplate.spec.activeDeadlineSeconds).to.equal(4 * 3600);
        expect(cj.spec.jobTemplate.spec.template.metadata.labels["app.kubernetes.io/component"]).to.equal("backup");
    });

    it("passes the restricted Pod Security Standard and sets resources on every container", () => {
        for (const s of [volume(), s3Settings()]) {
            const pod = cronJob(s).spec.jobTemplate.spec.template.spec;
            expect(pod.securityContext).to.deep.include({
                runAsNonRoot: true,
                runAsUser: 65534,
                seccompProfile: { type: "RuntimeDefault" },
            });
            expect(pod.automountServiceAccountToken).to.equal(false);
            expect(pod.restartPolicy).to.equal("Never");
            for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
                expect(c.securityContext, c.name).to.deep.equal({
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                });
                expect(c.resources, c.name).to.deep.equal(s.resources.backup);
                expect(c.resources.limits.memory, c.name).to.be.a("string");
            }
        }
    });

    it("volume: dumps with the MySQL image into its own claim and prunes there", () => {
        const pod = cronJob(volume()).spec.jobTemplate.spec.template.spec;
        expect(pod.initContainers).to.equal(undefined);
        expect(pod.containers).to.have.length(1);
        const c = pod.containers[0];
        expect(c.image).to.equal("mysql:8.4.6");
        expect([...c.command, ...c.args]).to.deep.equal(["sh", "/scripts/backup.sh", "backup", "/backups"]);
        expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).to.deep.equal(["/scripts", "/tmp", "/backups"]);
        expect(pod.volumes).to.deep.include({ name: "backups", persistentVolumeClaim: { claimName: "tinode-backups" } });
        expect(pod.volumes).to.deep.include({ name: "scripts", configMap: { name: "tinode-backup-script", defaultMode: 0o555 } });
        expect(envOf(c).BACKUP_RETENTION).to.equal("5");
    });

    it("s3: dumps into an emptyDir, then the pinned AWS CLI uploads it from there", () => {
        const pod = cronJob(s3Settings()).spec.jobTemplate.spec.template.spec;
        const [dump] = pod.initContainers;
        const [upload] = pod.containers;
        expect(dump.image).to.equal("mysql:8.4.6");
        expect(dump.args).to.deep.equal(["dump", "/staging"]);
        expect(upload.image).to.equal("amazon/aws-cli:2.22.35");
        expect(upload.command).to.deep.equal(["sh", "/scripts/backup.sh"]);
        expect(upload.args).to.deep.equal(["upload", "/staging"]);
        expect(pod.volumes).to.deep.include({ name: "work", emptyDir: {} });
        const env = envOf(upload);
        expect(env).to.include({
            S3_BUCKET: "chat-backups",
            S3_PREFIX: "tinode/prod",
            S3_ENDPOINT: "http://minio.storage:9000",
            AWS_DEFAULT_REGION: "eu-central-1",
            AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
        });
        expect(env.AWS_ACCESS_KEY_ID).to.deep.equal({ secretKeyRef: { name: "tinode-backup-s3", key: "AWS_ACCESS_KEY_ID" } });
        expect(env.AWS_SECRET_ACCESS_KEY).to.deep.equal({ secretKeyRef: { name: "tinode-backup-s3", key: "AWS_SECRET_ACCESS_KEY" } });
    });

    it("logs in as the Tinode user from the deployed MySQL's credentials Secret", () => {
        const env = envOf(cronJob(volume()).spec.jobTemplate.spec.template.spec.containers[0]);
        expect(env).to.include({ DB_HOST: target.host, DB_PORT: "3306", DB_NAME: "tinode" });
        expect(env.DB_USER).to.deep.equal({ secretKeyRef: { name: "tinode-mysql-credentials", key: "MYSQL_USER" } });
        expect(env.DB_PASSWORD).to.deep.equal({ secretKeyRef: { name: "tinode-mysql-credentials", key: "MYSQL_PASSWORD" } });
    });

    it("with an external MySQL: the DSN's user from a Secret of its own, and the default MySQL client image", () => {
        const s = settingsWith({ mysqlExternalDsn: "chat:pw@tcp(db.example:3307)/chat?parseTime=true", backupDestination: "volume" });
        const c = backupCronJobArgs("tinode", names, s, s.backup!, { host: "db.example", port: 3307, database: "chat" }, "p/s", "k") as any;
        const container = c.spec.jobTemplate.spec.template.spec.containers[0];
        expect(container.image).to.equal("mysql:8.4.6");
        const env = envOf(container);
        expect(env.DB_PASSWORD).to.deep.equal({ secretKeyRef: { name: "tinode-backup-mysql", key: "DB_PASSWORD" } });
        expect(env).to.include({ DB_HOST: "db.example", DB_PORT: "3307", DB_NAME: "chat" });
        const secret = backupMysqlSecretArgs("tinode", names, s, { user: "chat", password: "pw" }) as any;
        expect(secret.metadata.name).to.equal("tinode-backup-mysql");
        expect(secret.stringData).to.deep.equal({ DB_USER: "chat", DB_PASSWORD: "pw" });
        expect(dsnCredentials("chat:p@ss:w@tcp(db:3306)/chat?parseTime=true")).to.deep.equal({ user: "chat", password: "p@ss:w" });
        expect(dsnCredentials("tcp(db:3306)/chat")).to.equal(undefined);
    });

    it("records the Tinode version and a reminder of the stack's UID key, never a key", () => {
        const env = envOf(cronJob(volume()).spec.jobTemplate.spec.template.spec.containers[0]);
        expect(env).to.include({ TINODE_IMAGE: "tinode/tinode-mysql:0.25.3", TINODE_VERSION: "0.25.3", BACKUP_STACK: "tinode/prod" });
        expect(env.UIDKEY_NOTE).to.contain("not in this backup").and.contain("tinode/prod").and.contain("tinode-uid-key");
    });

    it("keeps the S3 credentials in a Secret, and the script in a ConfigMap", () => {
        const s = s3Settings();
        const secret = backupS3SecretArgs("tinode", names, s, s.backup!.destination as S3BackupDestination, "key") as any;
        expect(secret.stringData).to.deep.equal({ AWS_ACCESS_KEY_ID: "id", AWS_SECRET_ACCESS_KEY: "key" });
        const cm = backupScriptConfigMapArgs("tinode", names, s) as any;
        expect(cm.data["backup.sh"]).to.equal(backupScript());
        expect(JSON.stringify(cm)).not.to.contain('key"');
    });

    it("claims its own volume of the configured size", () => {
        const s = volume();
        const pvc = backupVolumeClaimArgs("tinode", names, s, { kind: "volume", storageSize: "3Gi", storageClass: "fast" }) as any;
        expect(pvc.metadata.name).to.equal("tinode-backups");
        expect(pvc.spec).to.deep.equal({
            accessModes: ["ReadWriteOnce"],
            storageClassName: "fast",
            resources: { requests: { storage: "3Gi" } },
        });
    });

    it("has its own NetworkPolicy: no ingress; egress to DNS, the database and the S3 endpoint", () => {
        const ports = (rule: any) => rule.ports.map((p: any) => `${p.port}/${p.protocol}`).join(",");
        const s = s3Settings();
        const p = backupNetworkPolicyArgs("tinode", names, s, s.backup!, target).spec as any;
        expect(p.podSelector.matchLabels["app.kubernetes.io/component"]).to.equal("backup");
        expect(p.ingress).to.deep.equal([]);
        expect(p.egress.map(ports)).to.deep.equal(["53/UDP,53/TCP", "3306/TCP", "9000/TCP"]);
        expect(p.egress[1].to[0].podSelector.matchLabels["app.kubernetes.io/component"]).to.equal("database");
        const v = volume();
        const pv = backupNetworkPolicyArgs("tinode", names, v, v.backup!, target).spec as any;
        expect(pv.egress.map(ports)).to.deep.equal(["53/UDP,53/TCP", "3306/TCP"]);
        const aws = { ...s.backup!, destination: { ...(s.backup!.destination as S3BackupDestination), endpoint: undefined } };
        expect((backupNetworkPolicyArgs("tinode", names, s, aws, target).spec as any).egress.map(ports)[2]).to.equal("443/TCP");
        // MySQL admits the backup pods only when there are backups.
        const from = (x: TinodeSettings) =>
            (mysqlNetworkPolicyArgs("tinode", names, x, x.mysql as InternalMysql).spec as any).ingress[0].from.map(
                (f: any) => f.podSelector.matchLabels["app.kubernetes.io/component"],
            );
        expect(from(v)).to.deep.equal(["server", "db-init", "backup"]);
        expect(from(settingsWith())).to.deep.equal(["server", "db-init"]);
    });
});

describe("backup script", () => {
    // Built before each test, not when the file loads: Stryker counts what a test runs as covered by it.
    let script = "";
    beforeEach(() => (script = backupScript()));

    it("takes one consistent snapshot with routines and triggers, compressed, and reads the schema version from kvmeta", () => {
        expect(script).to.contain(
            'mysqldump --defaults-extra-file="$CNF" --single-transaction --routines --triggers --no-tablespaces --hex-blob',
        );
        expect(script).to.contain('--databases "$DB_NAME"');
        expect(script).to.contain("| gzip -6");
        expect(script).to.contain("SELECT \\`value\\` FROM \\`$DB_NAME\\`.kvmeta WHERE \\`key\\`='version'");
        // The password never appears on a command line.
        expect(script).not.to.match(/-p"?\$DB_PASSWORD/);
    });

    it("is valid sh", () => {
        const r = spawnSync("sh", ["-n"], { input: script });
        expect(r.status, r.stderr.toString()).to.equal(0);
    });

    describe("run with stand-ins for mysql and mysqldump", () => {
        let dir: string;
        let run: (args: string[], env?: Record<string, string>) => { status: number | null; out: string };

        beforeEach(() => {
            dir = mkdtempSync(join(tmpdir(), "backup-test-"));
            const bin = join(dir, "bin");
            const backups = join(dir, "backups");
            execFileSync("mkdir", ["-p", bin, backups, join(dir, "tmp")]);
            writeFileSync(join(dir, "backup.sh"), script);
            // mysql answers the script's queries; mysqldump writes a small dump (or fails on demand).
            writeFileSync(
                join(bin, "mysql"),
                '#!/bin/sh\ncp "${1#--defaults-extra-file=}" "$FAKE_CNF"\ncase "$*" in *kvmeta*) echo 116 ;; *VERSION*) echo 8.4.6 ;; *SCHEMATA*) echo "${FAKE_DB_EXISTS:-0}" ;; *) cat >"$FAKE_LOADED" ;; esac\n',
            );
            writeFileSync(
                join(bin, "mysqldump"),
                '#!/bin/sh\n[ -z "${FAKE_DUMP_FAILS:-}" ] || exit 2\necho "CREATE DATABASE tinode;"\necho "-- Dump completed on 2026-11-26"\n',
            );
            chmodSync(join(bin, "mysql"), 0o755);
            chmodSync(join(bin, "mysqldump"), 0o755);
            const env = (extra: Record<string, string>) => ({
                PATH: `${bin}:${process.env.PATH}`,
                DB_HOST: "db",
                DB_PORT: "3306",
                DB_NAME: "tinode",
                DB_USER: "tinode",
                DB_PASSWORD: 'p"w\\d',
                BACKUP_RETENTION: "2",
                BACKUP_STACK: "tinode/test",
                TINODE_IMAGE: "tinode/tinode-mysql:0.25.3",
                TINODE_VERSION: "0.25.3",
                UIDKEY_NOTE: "not in this backup",
                TMPDIR: join(dir, "tmp"),
                FAKE_LOADED: join(dir, "loaded.sql"),
                FAKE_CNF: join(dir, "client.cnf"),
                ...extra,
            });
            run = (args, extra = {}) => {
                const r = spawnSync("sh", [join(dir, "backup.sh"), ...args.map((a) => a.replace("DIR", backups))], { env: env(extra) });
                return { status: r.status, out: r.stderr.toString() };
            };
        });
        afterEach(() => rmSync(dir, { recursive: true, force: true }));

        const files = () => readdirSync(join(dir, "backups")).sort();
        const fake = (stamp: string) => {
            writeFileSync(join(dir, "backups", `tinode-${stamp}.sql.gz`), "old");
            writeFileSync(join(dir, "backups", `tinode-${stamp}.json`), "{}");
        };

        it("writes the dump and its metadata, then keeps the newest N complete backups", () => {
            fake("20200101T030000Z");
            fake("20200102T030000Z");
            // A dump whose metadata never came is not a backup: deleted.
            writeFileSync(join(dir, "backups", "tinode-20200103T030000Z.sql.gz"), "half");
            writeFileSync(join(dir, "backups", "unrelated.txt"), "kept");
            const r = run(["backup", "DIR"]);
            expect(r.status, r.out).to.equal(0);
            const left = files();
            expect(left).to.have.length(5);
            expect(left.slice(0, 2)).to.deep.equal(["tinode-20200102T030000Z.json", "tinode-20200102T030000Z.sql.gz"]);
            expect(left[4]).to.equal("unrelated.txt");
            expect(r.out).to.contain("deleted tinode-20200101T030000Z (keeping the newest 2)");
            expect(r.out).to.contain("deleted tinode-20200103T030000Z.sql.gz (incomplete: no metadata)");
            const meta = JSON.parse(readFileSync(join(dir, "backups", left[2]), "utf8"));
            expect(meta).to.include({
                database: "tinode",
                schemaVersion: 116,
                server: "8.4.6",
                tinodeImage: "tinode/tinode-mysql:0.25.3",
                tinodeVersion: "0.25.3",
                stack: "tinode/test",
                uidKey: "not in this backup",
                file: left[3],
            });
            // createdAt is the snapshot's time, the one in the name.
            const t = /^tinode-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z\.json$/.exec(left[2])!;
            expect(meta.createdAt).to.equal(`${t[1]}-${t[2]}-${t[3]}T${t[4]}:${t[5]}:${t[6]}Z`);
            const gz = readFileSync(join(dir, "backups", left[3]));
            expect(meta.bytes).to.equal(gz.length);
            expect(execFileSync("gzip", ["-dc"], { input: gz }).toString()).to.contain("-- Dump completed");
            // The client read its credentials from an option file (quote and backslash escaped), now gone.
            expect(readFileSync(join(dir, "client.cnf"), "utf8")).to.equal(
                '[client]\nhost=db\nport=3306\nuser=tinode\npassword="p\\"w\\\\d"\n',
            );
            expect(readdirSync(join(dir, "tmp"))).to.deep.equal([]);
            // umask 077: a backup holds every message; only its owner may read it.
            for (const f of left.slice(2, 4)) expect(statSync(join(dir, "backups", f)).mode & 0o077, f).to.equal(0);
        });

        it("lists the complete backups, oldest first", () => {
            fake("20200102T030000Z");
            writeFileSync(join(dir, "backups", "tinode-20200103T030000Z.sql.gz"), "half");
            expect(run(["backup", "DIR"]).status).to.equal(0);
            const r = spawnSync("sh", [join(dir, "backup.sh"), "list", join(dir, "backups")], {
                env: { DB_NAME: "tinode", PATH: process.env.PATH },
            });
            const lines = r.stdout.toString().trim().split("\n");
            expect(lines).to.have.length(2);
            expect(lines[0]).to.equal("tinode-20200102T030000Z");
            expect(lines[1]).to.match(/^tinode-\d{8}T\d{6}Z createdAt=\S+Z schemaVersion=116 tinodeVersion=0.25.3 bytes=\d+$/);
        });

        it("keeps everything when a dump fails, and leaves no partial file", () => {
            fake("20200101T030000Z");
            fake("20200102T030000Z");
            fake("20200103T030000Z");
            const r = run(["backup", "DIR"], { FAKE_DUMP_FAILS: "1" });
            expect(r.status).to.equal(1);
            expect(r.out).to.contain("FAILED: mysqldump failed with status 2");
            expect(files()).to.have.length(6);
        });

        it("refuses a retention below 1", () => {
            const r = run(["backup", "DIR"], { BACKUP_RETENTION: "0" });
            expect(r.status).to.equal(1);
            expect(r.out).to.contain("BACKUP_RETENTION must be a whole number of at least 1");
        });

        it("restores only a backup whose checksum matches, into a server without the database", () => {
            expect(run(["backup", "DIR"]).status).to.equal(0);
            const dump = files().find((f) => f.endsWith(".sql.gz"))!;
            const path = join(BACKUP_PATHS.volume, dump).replace(BACKUP_PATHS.volume, "DIR");
            const exists = run(["restore", path], { FAKE_DB_EXISTS: "1" });
            expect(exists.status).to.equal(1);
            expect(exists.out).to.contain("database tinode exists");
            const ok = run(["restore", path]);
            expect(ok.status, ok.out).to.equal(0);
            expect(ok.out).not.to.contain("note: the backup is from Tinode");
            rmSync(join(dir, "loaded.sql"));
            const newer = run(["restore", path], { TINODE_VERSION: "0.26.0" });
            expect(newer.status, newer.out).to.equal(0);
            expect(newer.out).to.contain("note: the backup is from Tinode 0.25.3, this stack runs 0.26.0");
            expect(readFileSync(join(dir, "loaded.sql"), "utf8")).to.contain("CREATE DATABASE tinode;");
            writeFileSync(join(dir, "backups", dump), "tampered");
            const bad = run(["restore", path]);
            expect(bad.status).to.equal(1);
            expect(bad.out).to.contain("does not match the checksum");
        });
    });
});

describe("backup env", () => {
    it("gives each container only the credentials it uses", () => {
        const s = s3Settings();
        const pod = cronJob(s).spec.jobTemplate.spec.template.spec;
        const b: BackupSettings = s.backup!;
        const dump = envOf(pod.initContainers[0]);
        const upload = envOf(pod.containers[0]);
        expect(pod.initContainers[0].env).to.deep.equal(backupEnv(names, s, b, target, "tinode/prod", "tinode-uid-key", "database"));
        expect(pod.containers[0].env).to.deep.equal(backupEnv(names, s, b, target, "tinode/prod", "tinode-uid-key", "s3"));
        expect(Object.keys(dump)).to.include.members(["DB_HOST", "DB_USER", "DB_PASSWORD", "DB_NAME"]);
        expect(Object.keys(dump)).not.to.include.members(["AWS_SECRET_ACCESS_KEY"]);
        expect(Object.keys(dump).filter((k) => k.startsWith("AWS_") || k.startsWith("S3_"))).to.deep.equal([]);
        expect(Object.keys(upload)).to.include.members(["AWS_SECRET_ACCESS_KEY", "S3_BUCKET", "DB_NAME", "BACKUP_RETENTION"]);
        expect(Object.keys(upload).filter((k) => ["DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD"].includes(k))).to.deep.equal([]);
    });
});
