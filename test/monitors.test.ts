import { expect } from "chai";
import { ExporterMonitoring, TinodeSettings } from "../config/settings";
import { alertRuleFile } from "../builders/alertRules";
import { podMonitorArgs, prometheusRuleArgs, serviceMonitorArgs } from "../builders/monitors";
import { metricsServiceArgs } from "../builders/exporter";
import { objectNames } from "../builders/names";
import { settingsWith } from "./helpers";

const names = objectNames("tinode");
function setup(values: Record<string, string> = {}): [TinodeSettings, ExporterMonitoring] {
    const s = settingsWith(values);
    if (!s.monitoring.exporter) throw new Error("exporter is off");
    return [s, s.monitoring];
}

describe("Prometheus Operator objects", () => {
    it("PodMonitor: the Tinode pods' metrics port, job relabelled to the StatefulSet name, release label", () => {
        const [s, m] = setup({ namespace: "chat", monitoringRelease: "kps", monitoringScrapeIntervalSeconds: "10" });
        const pm = podMonitorArgs("tinode", names, s, m) as any;
        expect(pm.apiVersion).to.equal("monitoring.coreos.com/v1");
        expect(pm.kind).to.equal("PodMonitor");
        expect(pm.metadata).to.deep.include({ name: "tinode", namespace: "chat" });
        expect(pm.metadata.labels.release).to.equal("kps");
        expect(pm.spec.namespaceSelector).to.deep.equal({ matchNames: ["chat"] });
        expect(pm.spec.selector.matchLabels["app.kubernetes.io/component"]).to.equal("server");
        expect(pm.spec.podMetricsEndpoints).to.deep.equal([
            {
                port: "metrics",
                path: "/metrics",
                interval: "10s",
                scrapeTimeout: "6s",
                relabelings: [{ action: "replace", targetLabel: "job", replacement: "tinode" }],
            },
        ]);
    });

    it("ServiceMonitor: selects the metrics Service alone", () => {
        const [s, m] = setup();
        const sm = serviceMonitorArgs("tinode", names, s, m) as any;
        expect(sm.kind).to.equal("ServiceMonitor");
        expect(sm.metadata.labels).to.not.have.property("release");
        const svcLabels = (metricsServiceArgs("tinode", names, s) as any).metadata.labels;
        for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svcLabels[k], k).to.equal(v);
        expect(sm.spec.selector.matchLabels["tinode.co/metrics"]).to.equal("true");
        expect(sm.spec.endpoints[0].port).to.equal("metrics");
        expect(sm.spec.endpoints[0].relabelings[0].replacement).to.equal("tinode");
    });

    it("PrometheusRule: exactly the rule file's groups", () => {
        const [s, m] = setup({ replicas: "5" });
        const pr = prometheusRuleArgs("tinode", names, s, m) as any;
        expect(pr.kind).to.equal("PrometheusRule");
        expect(pr.spec).to.deep.equal(alertRuleFile(names, s, m));
    });
});
