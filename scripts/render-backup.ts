// Renders what the backup CronJob runs, from the same builders and settings, for running it outside
// Kubernetes (e2e/tinode/restore-drill.sh). Like scripts/render-tinode.ts, the database address
// is the one thing a caller replaces, and the values the pod takes from Secrets are given here.
//
//   npx ts-node scripts/render-backup.ts --out DIR --db-host H --db-port P --secret NAME=VALUE... [key=value ...]
//
// Writes DIR/backup.sh (the ConfigMap's script) and DIR/backup.json: each container of the job in
// the order the pod runs them (volume: backup; s3: dump, then upload) with its argv and its
// environment, every secretKeyRef resolved from --secret KEY=VALUE (KEY is the Secret's key), and
// the mount paths. The README's restore Job runs the same containers with other arguments.
import * as k8s from "@pulumi/kubernetes";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { readSettings } from "../config/readSettings";
import { BACKUP_PATHS, backupContainers, backupScript } from "../builders/backup";
import { objectNames, serviceHost } from "../builders/names";

type Container = k8s.types.input.core.v1.Container;

function main(argv: string[]): void {
    let out = "";
    let host = "";
    let port = 0;
    const secrets: Record<string, string> = {};
    const values: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--out") out = argv[++i];
        else if (argv[i] === "--db-host") host = argv[++i];
        else if (argv[i] === "--db-port") port = Number(argv[++i]);
        else if (argv[i] === "--secret") {
            const [k, ...v] = argv[++i].split("=");
            secrets[k] = v.join("=");
        } else if (argv[i].includes("=")) {
            const at = argv[i].indexOf("=");
            values[argv[i].slice(0, at)] = argv[i].slice(at + 1);
        } else throw new Error(`unknown argument ${argv[i]}`);
    }
    if (!out || !host || !port)
        throw new Error("usage: render-backup.ts --out DIR --db-host H --db-port P --secret KEY=VALUE... [key=value ...]");

    const s = readSettings((k) => values[k]);
    if (!s.backup) throw new Error("render-backup.ts needs backups on: pass backupDestination=volume or s3");
    const names = objectNames("tinode");
    const inCluster = { host: serviceHost(names.mysql, s.namespace, s.clusterDomain), port: 3306, database: s.mysql.database };
    const { initContainers, containers } = backupContainers(names, s, s.backup, inCluster, "tinode/drill", "tinode-uid-key");
    const resolve = (c: Container) => {
        const env: Record<string, string> = {};
        for (const e of c.env as { name: string; value?: string; valueFrom?: { secretKeyRef: { key: string } } }[]) {
            if (e.value !== undefined) env[e.name] = e.value;
            else {
                const key = e.valueFrom!.secretKeyRef.key;
                if (secrets[key] === undefined) throw new Error(`${e.name} comes from Secret key ${key}: pass --secret ${key}=...`);
                env[e.name] = secrets[key];
            }
        }
        // The in-cluster address, replaced with the caller's database.
        if (env.DB_HOST !== undefined) {
            if (env.DB_HOST !== inCluster.host) throw new Error(`unexpected DB_HOST ${env.DB_HOST}`);
            env.DB_HOST = host;
            env.DB_PORT = String(port);
        }
        return { name: c.name as string, image: c.image as string, argv: [...(c.command as string[]), ...(c.args as string[])], env };
    };
    const spec = {
        // In the order the pod runs them: init containers first.
        containers: [...initContainers, ...containers].map(resolve),
        paths: BACKUP_PATHS,
        schedule: s.backup.schedule,
        retention: s.backup.retention,
    };
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "backup.sh"), backupScript(), { mode: 0o644 });
    writeFileSync(join(out, "backup.json"), JSON.stringify(spec, null, 2) + "\n", { mode: 0o600 });
    for (const c of spec.containers) console.log(`${c.name} (${c.image}): ${c.argv.join(" ")}`);
    console.log(`wrote ${join(out, "backup.sh")} and backup.json (retention ${spec.retention})`);
}

main(process.argv.slice(2));
