// Stack config for monitoring: Tinode's exporter (on by default: it needs nothing but an image), and
// what needs the Prometheus Operator's CRDs (a PodMonitor or ServiceMonitor, a PrometheusRule),
// which only a stack that asks for them gets.
import { checkDnsLabel, checkPinnedImage } from "./checks";
import { DEFAULTS } from "./defaults";
import { ConfigReader } from "./reader";
import { CanarySettings, MonitoringSettings, MonitorKind } from "./settings";

/** Keys that only mean something with the exporter on, with their defaults. */
const NEEDS_EXPORTER = {
    monitoringMonitor: DEFAULTS.monitoringMonitor,
    monitoringRules: DEFAULTS.monitoringRules,
    monitoringRelease: DEFAULTS.monitoringRelease,
    monitoringExporterImage: DEFAULTS.monitoringExporterImage,
    monitoringScrapeIntervalSeconds: DEFAULTS.monitoringScrapeIntervalSeconds,
    monitoringScrapeNamespace: DEFAULTS.monitoringScrapeNamespace,
    monitoringScrapePodLabel: DEFAULTS.monitoringScrapePodLabel,
    monitoringCanary: DEFAULTS.monitoringCanary,
    monitoringCanaryImage: DEFAULTS.monitoringCanaryImage,
    monitoringCanaryIntervalSeconds: DEFAULTS.monitoringCanaryIntervalSeconds,
};

/** "From anywhere" for the scrape source keys (an empty value restores the default, as for every key). */
export const ANY = "*";

/** A label key (optional DNS prefix, then a name) and value, as Kubernetes accepts them. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function parseLabel(v: string): { key: string; value: string } | undefined {
    const at = v.indexOf("=");
    if (at < 0) return undefined;
    const key = v.slice(0, at);
    const value = v.slice(at + 1);
    return LABEL_KEY.test(key) && LABEL_VALUE.test(value) ? { key, value } : undefined;
}

export function readMonitoring(r: ConfigReader): MonitoringSettings {
    const exporter = r.boolean("monitoringExporter", DEFAULTS.monitoringExporter);
    if (!exporter) {
        // The dashboard is left out silently: its default is on, and Pulumi hands the program
        // Pulumi.yaml's defaults as if they were set, so "asked for" cannot be told from "default".
        r.onlyWith(NEEDS_EXPORTER, `needs ${r.fullKey("monitoringExporter")} true (there is nothing to scrape without the exporter)`);
        return { exporter: false };
    }
    // "*" opens the metrics port to any namespace / any pod: an empty value restores the default,
    // as for every key of this stack.
    const namespace = r.string("monitoringScrapeNamespace", DEFAULTS.monitoringScrapeNamespace, (v) =>
        v === ANY ? undefined : checkDnsLabel(v),
    );
    const podLabel = r.string("monitoringScrapePodLabel", DEFAULTS.monitoringScrapePodLabel, (v) =>
        v === ANY || parseLabel(v)
            ? undefined
            : `must be one label as key=value, e.g. app.kubernetes.io/name=prometheus, or ${ANY} for any pod`,
    );
    const release = r.optionalString("monitoringRelease", (v) =>
        LABEL_VALUE.test(v) ? undefined : "must be a label value: the Helm release name of kube-prometheus-stack",
    );
    const canary = readCanary(r);
    return {
        exporter: true,
        exporterImage: r.string("monitoringExporterImage", DEFAULTS.monitoringExporterImage, checkPinnedImage),
        scrapeNamespace: namespace === ANY ? undefined : namespace,
        scrapePodLabel: podLabel === ANY ? undefined : parseLabel(podLabel),
        // At least 1 s (Prometheus' own floor is lower, but Tinode's stats update asynchronously);
        // at most 5 min, past which Prometheus considers a series stale between scrapes.
        scrapeIntervalSeconds: r.integer("monitoringScrapeIntervalSeconds", DEFAULTS.monitoringScrapeIntervalSeconds, 1, 300),
        monitor: r.oneOf<MonitorKind>("monitoringMonitor", DEFAULTS.monitoringMonitor, ["none", "PodMonitor", "ServiceMonitor"]),
        rules: r.boolean("monitoringRules", DEFAULTS.monitoringRules),
        dashboard: r.boolean("monitoringDashboard", DEFAULTS.monitoringDashboard),
        selectorLabels: release ? { release } : {},
        ...(canary ? { canary } : {}),
    };
}

function readCanary(r: ConfigReader): CanarySettings | undefined {
    const on = r.boolean("monitoringCanary", DEFAULTS.monitoringCanary);
    if (!on) {
        r.onlyWith(
            {
                monitoringCanaryImage: DEFAULTS.monitoringCanaryImage,
                monitoringCanaryIntervalSeconds: DEFAULTS.monitoringCanaryIntervalSeconds,
            },
            `needs ${r.fullKey("monitoringCanary")} true`,
        );
        return undefined;
    }
    return {
        image: r.string("monitoringCanaryImage", DEFAULTS.monitoringCanaryImage, checkPinnedImage),
        // At least 5 s: a round through a slow pod takes seconds. At most 5 min: the delivery alert
        // waits three rounds, so a longer interval would leave a split unseen for a quarter hour.
        intervalSeconds: r.integer("monitoringCanaryIntervalSeconds", DEFAULTS.monitoringCanaryIntervalSeconds, 5, 300),
    };
}
