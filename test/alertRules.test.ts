import { expect } from "chai";
import { ExporterMonitoring, TinodeSettings } from "../config/settings";
import { AlertRule, alertRuleFile, alertTimings, promDuration, renderRuleFile } from "../builders/alertRules";
import { objectNames } from "../builders/names";
import { settingsWith } from "./helpers";

const names = objectNames("tinode");
function setup(values: Record<string, string> = {}): [TinodeSettings, ExporterMonitoring] {
    const s = settingsWith(values);
    if (!s.monitoring.exporter) throw new Error("exporter is off");
    return [s, s.monitoring];
}
function rules(values: Record<string, string> = {}): Record<string, AlertRule> {
    const [s, m] = setup(values);
    return Object.fromEntries(alertRuleFile(names, s, m).groups[0].rules.map((r) => [r.alert, r]));
}

describe("alert rules", () => {
    it("has every alert the stack promises, for a default 3-node stack", () => {
        expect(Object.keys(rules()).sort()).to.deep.equal(
            [
                "TinodeServerDown",
                "TinodeServersMissing",
                "TinodeClusterDegraded",
                "TinodeNoLeader",
                "TinodeSplitBrain",
                "TinodeSchemaJobFailed",
                "TinodeServerErrors",
                "TinodePodRestarting",
                "TinodeMysqlDown",
            ].sort(),
        );
    });

    it("uses the exporter's metric names and the stack's target labels", () => {
        const r = rules({ namespace: "chat" });
        expect(r.TinodeServerDown.expr).to.equal('tinode_up{job="tinode",namespace="chat"} == 0 or up{job="tinode",namespace="chat"} == 0');
        expect(r.TinodeClusterDegraded.expr).to.equal('tinode_cluster_nodes_live{job="tinode",namespace="chat"} < 2');
        expect(r.TinodeNoLeader.expr).to.equal('sum(tinode_cluster_leader{job="tinode",namespace="chat"}) == 0');
        expect(r.TinodeSplitBrain.expr).to.equal('sum(tinode_cluster_leader{job="tinode",namespace="chat"}) > 1');
    });

    it("wires the replica count into the peer and server counts", () => {
        const r = rules({ replicas: "5" });
        expect(r.TinodeClusterDegraded.expr).to.match(/< 4$/);
        expect(r.TinodeServersMissing.expr).to.match(/ < 5$/);
        expect(r.TinodeClusterDegraded.annotations.summary).to.contain("of 4 peers");
    });

    it("leaves out cluster alerts a cluster of that size cannot have", () => {
        expect(rules({ replicas: "1" })).to.not.have.any.keys("TinodeClusterDegraded", "TinodeNoLeader", "TinodeSplitBrain");
        // Two nodes cluster but have no failover, hence no leader.
        const two = rules({ replicas: "2" });
        expect(two).to.have.property("TinodeClusterDegraded");
        expect(two).to.not.have.any.keys("TinodeNoLeader", "TinodeSplitBrain");
    });

    it("watches the schema Job by its name prefix through its Failed condition, and the stack's pods for restarts", () => {
        const r = rules({ namespace: "chat" });
        expect(r.TinodeSchemaJobFailed.expr).to.equal(
            'kube_job_failed{namespace="chat",job_name=~"tinode-db-init-.*",condition="true"} > 0',
        );
        expect(r.TinodeSchemaJobFailed.for).to.equal(undefined);
        expect(r.TinodePodRestarting.expr).to.equal(
            'increase(kube_pod_container_status_restarts_total{namespace="chat",pod=~"tinode-[0-9]+|tinode-mysql-[0-9]+"}[15m]) >= 3',
        );
        expect(r.TinodeMysqlDown.expr).to.equal('kube_statefulset_status_replicas_ready{namespace="chat",statefulset="tinode-mysql"} < 1');
    });

    it("has no MySQL alert for an external database, whose pods it cannot see", () => {
        const r = rules({ mysqlExternalHost: "db.example.com", mysqlExternalUser: "chat", mysqlExternalPassword: "pw" });
        expect(r).to.not.have.property("TinodeMysqlDown");
        expect(r.TinodePodRestarting.expr).to.contain('pod=~"tinode-[0-9]+"}');
    });

    describe("for: durations", () => {
        it("derive from the scrape interval and the failover window (defaults)", () => {
            const [s, m] = setup();
            const t = alertTimings(s, m);
            // Up to 1.25 heartbeats a tick: voteAfter x 2 (one failed election round) + nodeFailAfter + 2.
            expect(t.failoverWindowMs).to.equal(125 * (2 * 8 + 16 + 2));
            expect(t).to.deep.include({ serverDown: 60, clusterDegraded: 60, leader: 60, mysqlDown: 60 });
            const r = rules();
            expect(r.TinodeServerDown.for).to.equal("1m");
            expect(r.TinodeClusterDegraded.for).to.equal("1m");
            expect(r.TinodeNoLeader.for).to.equal("1m");
        });

        it("follow a slow failover when it is longer than two scrapes", () => {
            const values = { heartbeatMs: "1000", voteAfter: "10", nodeFailAfter: "20", monitoringScrapeIntervalSeconds: "5" };
            const [s, m] = setup(values);
            const t = alertTimings(s, m);
            expect(t.failoverWindowMs).to.equal(1250 * (2 * 10 + 20 + 2));
            expect(t).to.deep.include({ serverDown: 10, clusterDegraded: 53, leader: 106 });
            const r = rules(values);
            expect(r.TinodeServerDown.for).to.equal("10s");
            expect(r.TinodeClusterDegraded.for).to.equal("53s");
            expect(r.TinodeSplitBrain.for).to.equal("1m46s");
        });

        it("rounds the failover window up to whole seconds", () => {
            const [s, m] = setup({ heartbeatMs: "150", monitoringScrapeIntervalSeconds: "1" });
            // 1.25 x 150 ms x (2 x 8 + 16 + 2) = 6.375 s -> 7 s
            expect(alertTimings(s, m)).to.deep.include({ clusterDegraded: 7, leader: 14, serverDown: 2 });
        });
    });

    it("evaluates as often as it scrapes", () => {
        const [s, m] = setup({ monitoringScrapeIntervalSeconds: "90" });
        expect(alertRuleFile(names, s, m).groups[0].interval).to.equal("1m30s");
    });

    it("formats Prometheus durations", () => {
        expect([0, 5, 60, 90, 3600, 3725].map(promDuration)).to.deep.equal(["0s", "5s", "1m", "1m30s", "1h", "1h2m5s"]);
    });

    it("renders a rule file that parses back to the same groups", () => {
        const [s, m] = setup();
        const file = alertRuleFile(names, s, m);
        expect(JSON.parse(renderRuleFile(file))).to.deep.equal(file);
    });

    it("adds the canary's alerts with the canary, per pair, for longer than a restarted pod may settle", () => {
        expect(Object.keys(rules())).to.not.include("TinodeDeliveryBroken");
        const r = rules({ monitoringCanary: "true", namespace: "chat" });
        expect(r.TinodeDeliveryBroken.expr).to.equal('tinode_canary_pair_delivered{job="tinode-canary",namespace="chat"} == 0');
        // 60 s settle deadline + minReadySeconds (ceil(3 x 1.25 x 100 ms) + 1 = 2 s) + one 30 s round = 92 s > 3 rounds.
        expect(r.TinodeDeliveryBroken.for).to.equal("1m32s");
        expect(r.TinodeCanaryFailing.expr).to.contain('tinode_canary_pods_unreachable{job="tinode-canary",namespace="chat"} >= 3');
        const [s, m] = setup({ monitoringCanary: "true", monitoringCanaryIntervalSeconds: "60" });
        expect(alertTimings(s, m).deliveryBroken).to.equal(180);
    });

    it("warns about a node that keeps answering with server errors, not about a roll's few", () => {
        const r = rules({ namespace: "chat" });
        expect(r.TinodeServerErrors.expr).to.equal('rate(tinode_ctrl_codes_total_5xx{job="tinode",namespace="chat"}[5m]) > 0');
        expect(r.TinodeServerErrors).to.deep.include({ for: "10m", labels: { severity: "warning" } });
    });
    it("gives every alert a severity, and a summary that names its namespace, and a description", () => {
        const r = rules({ monitoringCanary: "true", namespace: "chat" });
        for (const [alert, rule] of Object.entries(r)) {
            expect(["critical", "warning"], alert).to.include(rule.labels.severity);
            expect(rule.annotations.summary, alert).to.contain("chat");
            expect(rule.annotations.description, alert).to.have.length.above(40);
        }
        expect(r.TinodeClusterDegraded.labels.severity).to.equal("critical");
        expect(r.TinodeDeliveryBroken.labels.severity).to.equal("critical");
        expect(r.TinodeCanaryFailing.labels.severity).to.equal("warning");
        expect(r.TinodeDeliveryBroken.annotations.summary).to.equal(
            "chat/tinode: messages published through {{ $labels.from }} do not reach sessions on {{ $labels.to }}",
        );
        expect(r.TinodeDeliveryBroken.annotations.description).to.match(/^For 1m32s the canary's message/);
        expect(r.TinodeCanaryFailing.annotations.summary).to.equal("chat/tinode: the delivery canary is not checking delivery");
    });

    it("calls the canary stale after five rounds, and waits at least two scrapes before a delivery alert", () => {
        const r = rules({ monitoringCanary: "true", monitoringCanaryIntervalSeconds: "60" });
        expect(r.TinodeCanaryFailing.expr).to.contain(") > 300 or");
        expect(r.TinodeCanaryFailing.annotations.description).to.contain("has completed no round for 5m,");
        const [s, m] = setup({ monitoringCanary: "true", monitoringCanaryIntervalSeconds: "5", monitoringScrapeIntervalSeconds: "120" });
        expect(alertTimings(s, m).deliveryBroken).to.equal(240);
    });
});
