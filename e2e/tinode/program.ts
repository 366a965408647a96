// What the e2e run takes from the program itself, so the run tests the program's own values:
//
//   program.ts db --host H --port P --password PW --out DIR
//       DIR/dsn       the DSN as the program formats it (tinode/dsn.ts), pointing at H:P
//       DIR/init.sql  the database user plus the grant the program's MySQL init script gives it
//                     (builders/mysql.ts): the user may create and use only Tinode's database
//   program.ts omit-self --in tinode.conf --drop NODE --out bad.conf
//       writes a config whose node list omits NODE and runs the program's validation on it
//       (builders/clusterNodes.ts clusterConfigProblems); prints the problems, exits 0 only when
//       the missing pod is reported
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { readSettings } from "../../config/readSettings";
import { ClusterConfig, clusterConfigProblems } from "../../builders/clusterNodes";
import { formatDsn } from "../../tinode/dsn";
import { mysqlInitScript } from "../../builders/mysql";
import { arg } from "../lib/cli";

function db(argv: string[]): void {
    const s = readSettings(() => undefined);
    if (s.mysql.kind !== "internal") throw new Error("expected the default, internal MySQL");
    const password = arg(argv, "--password");
    if (!/^[A-Za-z0-9]+$/.test(password)) throw new Error("password must be alphanumeric (it is pasted into SQL and a DSN)");
    const out = arg(argv, "--out");
    const dsn = formatDsn({
        user: s.mysql.user,
        password,
        host: arg(argv, "--host"),
        port: Number(arg(argv, "--port")),
        database: s.mysql.database,
    });
    writeFileSync(join(out, "dsn"), dsn + "\n", { mode: 0o600 });
    // The mysql image's entrypoint creates MYSQL_USER with this password; the program's init
    // script then grants it its database.
    const sql = `CREATE USER '${s.mysql.user}'@'%' IDENTIFIED BY '${password}';\n` + mysqlInitScript(s.mysql);
    writeFileSync(join(out, "init.sql"), sql, { mode: 0o600 });
    console.log(`database ${s.mysql.database}, user ${s.mysql.user}; grant: ${mysqlInitScript(s.mysql).trim()}`);
}

function omitSelf(argv: string[]): number {
    const drop = arg(argv, "--drop");
    const conf = JSON.parse(readFileSync(arg(argv, "--in"), "utf8")) as { cluster_config: ClusterConfig };
    const cluster = conf.cluster_config;
    // The pods still run every name; the list given to them lacks one.
    const selves = cluster.nodes.map((n) => n.name);
    cluster.nodes = cluster.nodes.filter((n) => n.name !== drop);
    writeFileSync(arg(argv, "--out"), JSON.stringify(conf, null, 2) + "\n", { mode: 0o600 });
    const problems = clusterConfigProblems(cluster, selves);
    for (const p of problems) console.log(`validation: ${p}`);
    const caught = problems.some((p) => p.includes(`"${drop}"`) && p.includes("not in cluster_config.nodes"));
    console.log(caught ? `validation reports the missing pod ${drop}` : `validation did NOT report the missing pod ${drop}`);
    return caught ? 0 : 1;
}

function main(argv: string[]): number {
    switch (argv[0]) {
        case "db":
            db(argv);
            return 0;
        case "omit-self":
            return omitSelf(argv);
        default:
            throw new Error("usage: program.ts db --host H --port P --password PW --out DIR | omit-self --in CONF --drop NODE --out CONF");
    }
}

process.exit(main(process.argv.slice(2)));
