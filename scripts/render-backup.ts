// Renders what the backup CronJob runs, from the same builders and settings, for running it outside
// Kubernetes (e2e/tinode/restore-drill.sh). Like scripts/render-tinode.ts, the database address
// is the one thing a caller replaces, and the values the pod takes from Secrets are given here.
//
//   npx ts-node scripts/render-backup.ts --out DIR --db-host H --db-port P --secret NAME=VALUE... [key=value ...]
//
// Writes DIR/backup.sh (the ConfigMap's script) and DIR/backup.json: the backup container's argv,
// the restore argv for a given file (as the README's restore Job runs it), the mount paths, and
// the environment with every secretKeyRef resolved from --secret KEY=VALUE (KEY is the Secret's key).
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { readSettings } from "../config/read";
import { BACKUP_PATHS, backupContainers, backupScript } from "../builders/backup";
import { objectNames, serviceHost } from "../builders/names";

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
    if (!s.backup || s.backup.destination.kind !== "volume")
        throw new Error("render-backup.ts renders the volume destination: pass backupDestination=volume");
    const names = objectNames("tinode");
    const inCluster = { host: serviceHost(names.mysql, s.namespace, s.clusterDomain), port: 3306, database: s.mysql.database };
    const [container] = backupContainers(names, s, s.backup, inCluster, "tinode/drill", "tinode-uid-key").containers;
    const env: Record<string, string> = {};
    for (const e of container.env as { name: string; value?: string; valueFrom?: { secretKeyRef: { key: string } } }[]) {
        if (e.value !== undefined) env[e.name] = e.value;
        else {
            const key = e.valueFrom!.secretKeyRef.key;
            if (secrets[key] === undefined) throw new Error(`${e.name} comes from Secret key ${key}: pass --secret ${key}=...`);
            env[e.name] = secrets[key];
        }
    }
    // The in-cluster address, replaced with the caller's database.
    if (env.DB_HOST !== inCluster.host) throw new Error(`unexpected DB_HOST ${env.DB_HOST}`);
    env.DB_HOST = host;
    env.DB_PORT = String(port);
    const spec = {
        image: container.image as string,
        argv: [...(container.command as string[]), ...(container.args as string[])],
        // The README's restore Job: the same pod with the arguments replaced.
        restoreArgv: [...(container.command as string[]), "restore"],
        paths: BACKUP_PATHS,
        schedule: s.backup.schedule,
        retention: s.backup.retention,
        env,
    };
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "backup.sh"), backupScript(), { mode: 0o644 });
    writeFileSync(join(out, "backup.json"), JSON.stringify(spec, null, 2) + "\n", { mode: 0o600 });
    console.log(
        `wrote ${join(out, "backup.sh")} and backup.json: ${spec.argv.join(" ")} (image ${spec.image}, retention ${spec.retention})`,
    );
}

main(process.argv.slice(2));
