// Renders what the TinodeCluster gives its pods, from the same builders and the same settings, for
// running the real Tinode server outside Kubernetes (e2e/tinode). Secrets are generated here with
// the lengths the component's random resources use; the DSN is the one thing a caller replaces.
//
//   npx ts-node scripts/render-tinode.ts --out DIR --dsn 'user:pw@tcp(127.0.0.1:3306)/tinode?parseTime=true' [key=value ...]
//
// Writes DIR/tinode.conf and DIR/launch.json: each node's name, address and exact argv (with
// $(POD_NAME) expanded as the kubelet does), init-db's argv, and the client API key; and the other
// files of the config Secret (an FCM service account) next to tinode.conf, listed as configFiles.
import { randomBytes } from "crypto";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { IMAGE_PATHS } from "../tinode/facts";
import { readSettings } from "../config/readSettings";
import { apiKeyFor } from "../builders/apiKey";
import { clusterLayout, failoverBoundsMs, nodeName, podNames, validatedClusterConfig } from "../builders/clusterNodes";
import { initDbArgs } from "../builders/dbInitJob";
import { schemaProbeArgs } from "../builders/schemaDump";
import { objectNames } from "../builders/names";
import { clientsBehindProxy } from "../builders/services";
import { renderTinodeConfig, tinodeConfig } from "../builders/tinodeConfig";
import { configSecretFiles, ResolvedFeatures } from "../builders/tinodeFeatures";
import { serverArgs } from "../builders/tinodeStatefulSet";

function main(argv: string[]): void {
    let out = "";
    let dsn = "";
    let name = "tinode";
    const values: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--out") out = argv[++i];
        else if (argv[i] === "--dsn") dsn = argv[++i];
        else if (argv[i] === "--name") name = argv[++i];
        else if (argv[i].includes("=")) {
            const at = argv[i].indexOf("=");
            values[argv[i].slice(0, at)] = argv[i].slice(at + 1);
        } else throw new Error(`unknown argument ${argv[i]}`);
    }
    if (!out || !dsn) throw new Error("usage: render-tinode.ts --out DIR --dsn DSN [key=value ...]");

    const s = readSettings((k) => values[k]);
    const names = objectNames(name);
    const layout = clusterLayout(names, s);
    const cluster = validatedClusterConfig(layout, s.failover);
    // readSettings returns plain strings; only programmatic callers pass Outputs.
    const apiKeySalt = s.apiKeySalt;
    const features = s.features as ResolvedFeatures;
    const text = renderTinodeConfig(
        tinodeConfig({
            database: s.mysql.database,
            media: s.media,
            cluster,
            secrets: { tokenKey: randomBytes(32).toString("base64"), uidKey: randomBytes(16).toString("base64"), apiKeySalt, dsn },
            features,
            clientsBehindProxy: clientsBehindProxy(s),
        }),
    );
    const files = configSecretFiles(features);
    const pods = podNames(names.tinode, s.replicas);
    const launch = {
        configFile: IMAGE_PATHS.configFile,
        nodes: pods.map((pod) => ({
            name: nodeName(pod),
            addr: cluster?.nodes.find((n) => n.name === nodeName(pod))?.addr ?? "",
            argv: [IMAGE_PATHS.server, ...serverArgs(), ...(cluster ? [`--cluster_self=${nodeName(pod)}`] : [])],
        })),
        initDb: [IMAGE_PATHS.initDb, ...initDbArgs(s.sampleData)],
        // The schema Job's probe before its pre-upgrade dump (builders/schemaDump.ts).
        schemaProbe: schemaProbeArgs(),
        terminationGracePeriodSeconds: s.terminationGracePeriodSeconds,
        failover: s.failover,
        failoverBoundsMs: failoverBoundsMs(s.failover),
        apiKey: apiKeyFor(apiKeySalt),
        configFiles: Object.keys(files),
    };
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "tinode.conf"), text, { mode: 0o600 });
    for (const [file, content] of Object.entries(files)) writeFileSync(join(out, file), content, { mode: 0o600 });
    writeFileSync(join(out, "launch.json"), JSON.stringify(launch, null, 2) + "\n");
    console.log(`wrote ${join(out, "tinode.conf")} and launch.json for ${pods.length} node(s)`);
}

main(process.argv.slice(2));
