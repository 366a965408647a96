// Renders what the stack's monitoring gives Prometheus and Grafana, from the same builders and the
// same settings as the component, for promtool and a real Prometheus outside Kubernetes
// (monitoring/check-rules.sh, e2e/monitoring).
//
//   npx ts-node scripts/render-monitoring.ts --out DIR [--name tinode] [key=value ...]
//
// Writes DIR/rules.yml (the PrometheusRule's spec as a rule file), DIR/dashboard.json, and
// DIR/monitoring.json: the target labels, the exporter's argv per pod ($(POD_NAME) expanded as the
// kubelet does), the alert timings, every dashboard query and, with monitoringCanary, the canary's
// target labels, login and interval.
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { readSettings } from "../config/readSettings";
import { alertRuleFile, alertTimings, renderRuleFile } from "../builders/alertRules";
import { dashboardQueries, tinodeDashboard } from "../builders/dashboard";
import { EXPORTER_BINARY, exporterArgs, scrapeLabels, targetSelector } from "../builders/exporter";
import { objectNames } from "../builders/names";
import { podNames } from "../builders/clusterNodes";
import { CANARY_LOGIN, canaryScrapeLabels } from "../builders/canary";

function main(argv: string[]): void {
    let out = "";
    let name = "tinode";
    const values: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--out") out = argv[++i];
        else if (argv[i] === "--name") name = argv[++i];
        else if (argv[i].includes("=")) {
            const at = argv[i].indexOf("=");
            values[argv[i].slice(0, at)] = argv[i].slice(at + 1);
        } else throw new Error(`unknown argument ${argv[i]}`);
    }
    if (!out) throw new Error("usage: render-monitoring.ts --out DIR [--name NAME] [key=value ...]");

    const s = readSettings((k) => values[k]);
    if (!s.monitoring.exporter) throw new Error("tinode:monitoringExporter is false: nothing to render");
    const m = s.monitoring;
    const names = objectNames(name);
    const dashboard = tinodeDashboard(names, s);
    const info = {
        labels: scrapeLabels(names, s),
        selector: targetSelector(names, s),
        replicas: s.replicas,
        failover: s.failover,
        timings: alertTimings(s, m),
        exporters: podNames(names.tinode, s.replicas).map((pod) => ({
            pod,
            argv: [EXPORTER_BINARY, ...exporterArgs(m).map((a) => a.replace("$(POD_NAME)", pod))],
        })),
        queries: dashboardQueries(dashboard),
        canary: m.canary && { labels: canaryScrapeLabels(names, s), login: CANARY_LOGIN, intervalSeconds: m.canary.intervalSeconds },
    };
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "rules.yml"), renderRuleFile(alertRuleFile(names, s, m)));
    writeFileSync(join(out, "dashboard.json"), JSON.stringify(dashboard, null, 2) + "\n");
    writeFileSync(join(out, "monitoring.json"), JSON.stringify(info, null, 2) + "\n");
    console.log(`wrote ${join(out, "rules.yml")}, dashboard.json and monitoring.json`);
}

main(process.argv.slice(2));
