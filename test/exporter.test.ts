import { expect } from "chai";
import { TINODE_VERSION } from "../tinode/facts";
import { ExporterMonitoring, TinodeSettings } from "../config/settings";
import {
    exporterArgs,
    exporterContainer,
    metricsServiceArgs,
    promTimeoutSeconds,
    scrapeIngressRule,
    scrapeLabels,
    targetSelector,
} from "../builders/exporter";
import { objectNames } from "../builders/names";
import { tinodeNetworkPolicyArgs } from "../builders/networkPolicies";
import { databaseTarget } from "../builders/database";
import { tinodeStatefulSetArgs } from "../builders/tinodeStatefulSet";
import { settingsWith } from "./helpers";

const names = objectNames("tinode");
const target = { host: "tinode-mysql", port: 3306, database: "tinode" };
const withExporter = (values: Record<string, string> = {}): [TinodeSettings, ExporterMonitoring] => {
    const s = settingsWith(values);
    if (!s.monitoring.exporter) throw new Error("exporter is off");
    return [s, s.monitoring];
};
const containers = (s: TinodeSettings) =>
    (tinodeStatefulSetArgs("tinode", names, s, databaseTarget(names, s), "sum") as any).spec.template.spec.containers;

describe("exporter sidecar", () => {
    it("runs Tinode's exporter at the server's version, reading the pod's own expvar page", () => {
        const [s, m] = withExporter();
        expect(m.exporterImage).to.equal(`tinode/exporter:${TINODE_VERSION}`);
        expect(exporterArgs(m)).to.deep.equal([
            "--serve_for=prometheus",
            "--tinode_addr=http://localhost:6060/stats/expvar/",
            "--listen_at=:6222",
            "--instance=$(POD_NAME)",
            "--prom_namespace=tinode",
            "--prom_metrics_path=/metrics",
            "--prom_timeout=15",
        ]);
        const c = exporterContainer(s, m) as any;
        expect(c.command).to.deep.equal(["/opt/tinode/exporter"]);
        expect(c.ports).to.deep.equal([{ name: "metrics", containerPort: 6222, protocol: "TCP" }]);
        expect(c.resources).to.deep.equal(s.resources.exporter);
        expect(c.livenessProbe.httpGet).to.deep.equal({ path: "/", port: "metrics" });
        // Readiness stays with the server: the sidecar must not take the node out of its Service.
        expect(c).to.not.have.property("readinessProbe");
    });

    it("times out its read of Tinode before the scrape does", () => {
        expect(promTimeoutSeconds(withExporter({ monitoringScrapeIntervalSeconds: "10" })[1])).to.equal(5);
        expect(promTimeoutSeconds(withExporter({ monitoringScrapeIntervalSeconds: "1" })[1])).to.equal(1);
        expect(promTimeoutSeconds(withExporter({ monitoringScrapeIntervalSeconds: "300" })[1])).to.equal(15);
    });

    it("is the second container of every Tinode pod, under the restricted security context, and absent when off", () => {
        const [s] = withExporter();
        const [tinode, exporter] = containers(s);
        expect(tinode.name).to.equal("tinode");
        expect(exporter.name).to.equal("exporter");
        expect(exporter.securityContext).to.deep.equal({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        });
        expect(containers(settingsWith({ monitoringExporter: "false" })).map((c: any) => c.name)).to.deep.equal(["tinode"]);
    });

    it("has a headless metrics Service that also lists pods that are not Ready", () => {
        const [s] = withExporter({ namespace: "chat" });
        const svc = metricsServiceArgs("tinode", names, s) as any;
        expect(svc.metadata).to.deep.include({ name: "tinode-metrics", namespace: "chat" });
        expect(svc.metadata.labels["tinode.co/metrics"]).to.equal("true");
        expect(svc.spec).to.deep.include({ clusterIP: "None", publishNotReadyAddresses: true });
        expect(svc.spec.ports).to.deep.equal([{ name: "metrics", port: 6222, targetPort: "metrics", protocol: "TCP" }]);
        expect(svc.spec.selector["app.kubernetes.io/component"]).to.equal("server");
    });

    it("labels targets by StatefulSet and namespace, the selector alerts and panels use", () => {
        const [s] = withExporter({ namespace: "chat" });
        expect(scrapeLabels(objectNames("eu"), s)).to.deep.equal({ job: "eu", namespace: "chat" });
        expect(targetSelector(objectNames("eu"), s)).to.equal('job="eu",namespace="chat"');
    });

    describe("NetworkPolicy", () => {
        const metricsRule = (values: Record<string, string>) => {
            const s = settingsWith(values);
            const rules = (tinodeNetworkPolicyArgs("tinode", names, s, target) as any).spec.ingress as any[];
            return rules.filter((r) => r.ports.some((p: any) => p.port === "metrics"));
        };

        it("opens the metrics port to the configured Prometheus pods in the configured namespace only", () => {
            expect(metricsRule({})).to.deep.equal([
                {
                    from: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
                            podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
                        },
                    ],
                    ports: [{ port: "metrics", protocol: "TCP" }],
                },
            ]);
        });

        it("widens to any namespace or any pod with *, and to anyone with both", () => {
            expect(metricsRule({ monitoringScrapeNamespace: "*" })[0].from).to.deep.equal([
                { namespaceSelector: {}, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } },
            ]);
            expect(metricsRule({ monitoringScrapePodLabel: "*", monitoringScrapeNamespace: "obs" })[0].from).to.deep.equal([
                { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "obs" } } },
            ]);
            const [, m] = withExporter({ monitoringScrapePodLabel: "*", monitoringScrapeNamespace: "*" });
            expect(scrapeIngressRule(m)).to.deep.equal({ ports: [{ port: "metrics", protocol: "TCP" }] });
        });

        it("has no metrics rule without the exporter", () => {
            expect(metricsRule({ monitoringExporter: "false" })).to.deep.equal([]);
        });
    });
});
