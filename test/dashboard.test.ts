import { expect } from "chai";
import { dashboardConfigMapArgs, dashboardQueries, tinodeDashboard } from "../builders/dashboard";
import { objectNames } from "../builders/names";
import { settingsWith } from "./helpers";

const names = objectNames("tinode");

/** Metric names the exporter serves (monitoring/exporter/prom_exporter.go at v0.25.3, prom_namespace tinode). */
const EXPORTER_METRICS = [
    "tinode_up",
    "tinode_version",
    "tinode_topics_live_count",
    "tinode_topics_total",
    "tinode_sessions_live_count",
    "tinode_sessions_total",
    "tinode_num_goroutines",
    "tinode_incoming_messages_websock_total",
    "tinode_outgoing_messages_websock_total",
    "tinode_incoming_messages_longpoll_total",
    "tinode_outgoing_messages_longpoll_total",
    "tinode_incoming_messages_grpc_total",
    "tinode_outgoing_messages_grpc_total",
    "tinode_file_downloads_total",
    "tinode_file_uploads_total",
    "tinode_cluster_leader",
    "tinode_cluster_size",
    "tinode_cluster_nodes_live",
    "tinode_malloced_bytes",
    // A histogram named request_latency_ms_count: its series get _bucket, _sum and _count appended.
    "tinode_request_latency_ms_count_bucket",
];

describe("Grafana dashboard", () => {
    const s = settingsWith({ namespace: "chat" });
    // Built before each test, not when the file loads: Stryker counts what a test runs as covered by it.
    let dash: any;
    let queries: { panel: string; expr: string }[];
    beforeEach(() => {
        dash = tinodeDashboard(names, s);
        queries = dashboardQueries(dash);
    });

    it("has a panel for each thing an operator asks about", () => {
        expect(dash.panels.map((p: any) => p.title)).to.deep.equal([
            "Nodes serving",
            "Live sessions",
            "Live topics",
            "Messages in, per transport",
            "Messages out, per transport",
            "Request latency quantiles",
            "Request latency histogram",
            "Cluster size (configured)",
            "Live peers",
            "Leader",
            "Memory in use",
            "Goroutines",
        ]);
        expect(dash.panels.find((p: any) => p.title === "Request latency histogram").type).to.equal("heatmap");
    });

    it("queries only metrics the exporter serves, each with the stack's target selector", () => {
        for (const { panel, expr } of queries) {
            const metrics = expr.match(/\btinode_[a-z_]+/g) ?? [];
            expect(metrics, panel).to.not.be.empty;
            for (const metric of metrics) {
                expect(EXPORTER_METRICS, `${panel}: ${metric}`).to.include(metric);
                expect(expr, panel).to.contain(`${metric}{job="tinode",namespace="chat"}`);
            }
        }
    });

    it("shows messages per transport, and latency from the histogram's buckets", () => {
        const inbound = queries.filter((q) => q.panel === "Messages in, per transport").map((q) => q.expr);
        expect(inbound).to.have.length(3);
        for (const t of ["websock", "longpoll", "grpc"])
            expect(
                inbound.some((e) => e.includes(`incoming_messages_${t}_total`)),
                t,
            ).to.equal(true);
        const quantiles = queries.filter((q) => q.panel === "Request latency quantiles").map((q) => q.expr);
        expect(quantiles[1]).to.equal(
            'histogram_quantile(0.95, sum by (le) (rate(tinode_request_latency_ms_count_bucket{job="tinode",namespace="chat"}[$__rate_interval])))',
        );
    });

    it("does not change with the replica count, so scaling leaves the ConfigMap alone", () => {
        expect(JSON.stringify(tinodeDashboard(names, settingsWith({ namespace: "chat", replicas: "5" })))).to.equal(JSON.stringify(dash));
    });

    it("reads back rows and panels without queries, titles or expressions as Grafana stores them", () => {
        expect(dashboardQueries({})).to.deep.equal([]);
        expect(dashboardQueries({ panels: [{ title: "a row" }, { targets: [{}, { expr: "up" }] }] })).to.deep.equal([
            { panel: "", expr: "" },
            { panel: "", expr: "up" },
        ]);
    });

    it("takes its Prometheus from a datasource variable", () => {
        expect(dash.templating.list.map((v: any) => [v.name, v.type, v.query])).to.deep.equal([["datasource", "datasource", "prometheus"]]);
        for (const p of dash.panels) expect(p.datasource, p.title).to.deep.equal({ type: "prometheus", uid: "${datasource}" });
    });

    it("ships in a ConfigMap carrying the label Grafana's sidecar watches", () => {
        const cm = dashboardConfigMapArgs("tinode", names, s) as any;
        expect(cm.metadata).to.deep.include({ name: "tinode-dashboard", namespace: "chat" });
        expect(cm.metadata.labels.grafana_dashboard).to.equal("1");
        expect(JSON.parse(cm.data["tinode-dashboard.json"])).to.deep.equal(JSON.parse(JSON.stringify(dash)));
    });
});
