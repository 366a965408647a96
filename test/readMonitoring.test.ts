import { expect } from "chai";
import { ExporterMonitoring } from "../config/settings";
import { configErrorFor, settingsWith, SMTP } from "./helpers";

const monitoring = (values: Record<string, string> = {}) => settingsWith(values).monitoring as ExporterMonitoring;

describe("readSettings: monitoring", () => {
    it("defaults: the exporter and the dashboard on, no CRD objects, Prometheus of namespace monitoring may scrape", () => {
        expect(settingsWith().monitoring).to.deep.equal({
            exporter: true,
            exporterImage: "tinode/exporter:0.25.3",
            scrapeNamespace: "monitoring",
            scrapePodLabel: { key: "app.kubernetes.io/name", value: "prometheus" },
            scrapeIntervalSeconds: 30,
            monitor: "none",
            rules: false,
            dashboard: true,
            selectorLabels: {},
        });
    });

    it("reads the monitor kind, rules, release label and interval", () => {
        const m = monitoring({
            monitoringMonitor: "ServiceMonitor",
            monitoringRules: "true",
            monitoringRelease: "kps",
            monitoringScrapeIntervalSeconds: "15",
        });
        expect(m).to.deep.include({
            monitor: "ServiceMonitor",
            rules: true,
            scrapeIntervalSeconds: 15,
            selectorLabels: { release: "kps" },
        });
    });

    it("takes * as any namespace and any pod", () => {
        const m = monitoring({ monitoringScrapeNamespace: "*", monitoringScrapePodLabel: "*" });
        expect(m.scrapeNamespace).to.equal(undefined);
        expect(m.scrapePodLabel).to.equal(undefined);
    });

    it("rejects bad values, naming each key and what it accepts", () => {
        const msg = configErrorFor({
            monitoringMonitor: "Probe",
            monitoringScrapeIntervalSeconds: "0",
            monitoringScrapeNamespace: "Monitoring",
            monitoringScrapePodLabel: "app",
            monitoringExporterImage: "tinode/exporter:latest",
            monitoringRelease: "not a label",
        });
        expect(msg).to.contain('tinode:monitoringMonitor must be one of none, PodMonitor, ServiceMonitor (got "Probe")');
        expect(msg).to.contain('tinode:monitoringScrapeIntervalSeconds must be a whole number from 1 to 300 (got "0")');
        expect(msg).to.contain("tinode:monitoringScrapeNamespace must be a DNS label");
        expect(msg).to.contain(
            'tinode:monitoringScrapePodLabel must be one label as key=value, e.g. app.kubernetes.io/name=prometheus, or * for any pod (got "app")',
        );
        expect(msg).to.contain("tinode:monitoringExporterImage must be pinned");
        expect(msg).to.contain("tinode:monitoringRelease must be a label value");
    });

    it("turns everything off with the exporter, and refuses monitoring objects without it", () => {
        expect(settingsWith({ monitoringExporter: "false" }).monitoring).to.deep.equal({ exporter: false });
        // Pulumi.yaml's defaults arrive as set values: they are no contradiction.
        expect(configErrorFor({ monitoringExporter: "false", monitoringRules: "false", monitoringMonitor: "none" })).to.equal("");
        const msg = configErrorFor({
            monitoringExporter: "false",
            monitoringRules: "true",
            monitoringMonitor: "PodMonitor",
            monitoringScrapeNamespace: "obs",
        });
        expect(msg).to.contain("tinode:monitoringRules needs tinode:monitoringExporter true");
        expect(msg).to.contain("tinode:monitoringMonitor needs tinode:monitoringExporter true");
        expect(msg).to.contain("tinode:monitoringScrapeNamespace needs tinode:monitoringExporter true");
    });

    it("accepts an exporter resources override and rejects an unknown container", () => {
        const s = settingsWith({ resources: JSON.stringify({ exporter: { limits: { memory: "32Mi" } } }) });
        expect(s.resources.exporter.limits.memory).to.equal("32Mi");
        expect(configErrorFor({ resources: JSON.stringify({ exporters: {} }) })).to.contain("exporter");
    });

    it("reads the delivery canary, off by default", () => {
        expect(monitoring().canary).to.equal(undefined);
        expect(monitoring({ monitoringCanary: "true" }).canary).to.deep.equal({ image: "node:24.11.1-alpine3.22", intervalSeconds: 30 });
        expect(
            monitoring({ monitoringCanary: "true", monitoringCanaryIntervalSeconds: "10", monitoringCanaryImage: "node:22.21.0" }).canary,
        ).to.deep.equal({
            image: "node:22.21.0",
            intervalSeconds: 10,
        });
    });

    it("refuses canary values out of range, unpinned, or without the canary", () => {
        const msg = configErrorFor({ monitoringCanary: "true", monitoringCanaryIntervalSeconds: "2", monitoringCanaryImage: "node" });
        expect(msg).to.contain('tinode:monitoringCanaryIntervalSeconds must be a whole number from 5 to 300 (got "2")');
        expect(msg).to.contain("tinode:monitoringCanaryImage must be pinned");
        const off = configErrorFor({ monitoringCanaryIntervalSeconds: "10" });
        expect(off).to.contain("tinode:monitoringCanaryIntervalSeconds needs tinode:monitoringCanary true");
        expect(configErrorFor({ monitoringExporter: "false", monitoringCanary: "true" })).to.contain(
            "tinode:monitoringCanary needs tinode:monitoringExporter true",
        );
    });

    it("refuses the canary with email verification, whose accounts must confirm an address first", () => {
        const email = JSON.stringify(SMTP);
        expect(configErrorFor({ monitoringCanary: "true", email })).to.contain(
            "tinode:monitoringCanary cannot be used with tinode:email: Tinode then requires every new account, the canary's too, to confirm an email address",
        );
        expect(configErrorFor({ email })).to.equal("");
    });
});
