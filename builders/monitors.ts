// Prometheus Operator objects (monitoring.coreos.com/v1): a PodMonitor or ServiceMonitor that scrapes
// the exporters, and a PrometheusRule holding builders/alertRules.ts. They need the operator's CRDs
// (kube-prometheus-stack installs them), so the stack creates them only when asked.
import * as k8s from "@pulumi/kubernetes";
import { ExporterMonitoring, TinodeSettings } from "../config/settings";
import { alertRuleFile } from "./alertRules";
import { canaryScrapeLabels } from "./canary";
import { METRICS_PATH, METRICS_SERVICE_LABEL, promTimeoutSeconds, scrapeLabels } from "./exporter";
import { ComponentLabel, labels, selectorLabels } from "./labels";
import { ObjectNames } from "./names";

export const MONITORING_API = "monitoring.coreos.com/v1";

type RelabelConfig = { targetLabel: string; replacement?: string; sourceLabels?: string[]; action?: string };

/**
 * `job` becomes the StatefulSet's name, whichever monitor kind scrapes: the alerts and the dashboard
 * select on it. (The operator would name the job after the monitor object, or the Service.) `pod`
 * and `namespace` are set by the operator itself for both kinds.
 */
function jobRelabelling(names: ObjectNames, s: Pick<TinodeSettings, "namespace">): RelabelConfig[] {
    return [{ action: "replace", targetLabel: "job", replacement: scrapeLabels(names, s).job }];
}

/** A Prometheus Operator object, labelled for the operator's selector (monitoringRelease). */
function monitorResource(
    instance: string,
    name: string,
    s: Pick<TinodeSettings, "image" | "namespace">,
    mon: ExporterMonitoring,
    kind: "PodMonitor" | "ServiceMonitor" | "PrometheusRule",
    spec: object,
): k8s.apiextensions.CustomResourceArgs {
    const metadata = { name, namespace: s.namespace, labels: { ...labels(instance, "server", s.image), ...mon.selectorLabels } };
    return { apiVersion: MONITORING_API, kind, metadata, spec };
}

function endpoint(names: ObjectNames, s: Pick<TinodeSettings, "namespace">, mon: ExporterMonitoring) {
    return {
        port: "metrics",
        path: METRICS_PATH,
        interval: `${mon.scrapeIntervalSeconds}s`,
        // The exporter times its own read of Tinode out first and answers tinode_up 0.
        scrapeTimeout: `${Math.min(mon.scrapeIntervalSeconds, promTimeoutSeconds(mon) + 1)}s`,
        relabelings: jobRelabelling(names, s),
    };
}

/** A PodMonitor for the pods of one component of the stack, in the stack's namespace. */
function podMonitor(
    instance: string,
    name: string,
    component: ComponentLabel,
    s: Pick<TinodeSettings, "image" | "namespace">,
    mon: ExporterMonitoring,
    podEndpoint: object,
): k8s.apiextensions.CustomResourceArgs {
    return monitorResource(instance, name, s, mon, "PodMonitor", {
        selector: { matchLabels: selectorLabels(instance, component) },
        namespaceSelector: { matchNames: [s.namespace] },
        podMetricsEndpoints: [podEndpoint],
    });
}

export function podMonitorArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    mon: ExporterMonitoring,
): k8s.apiextensions.CustomResourceArgs {
    return podMonitor(instance, names.monitor, "server", s, mon, endpoint(names, s, mon));
}

export function serviceMonitorArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    mon: ExporterMonitoring,
): k8s.apiextensions.CustomResourceArgs {
    return monitorResource(instance, names.monitor, s, mon, "ServiceMonitor", {
        selector: { matchLabels: { ...selectorLabels(instance, "server"), [METRICS_SERVICE_LABEL]: "true" } },
        namespaceSelector: { matchNames: [s.namespace] },
        endpoints: [endpoint(names, s, mon)],
    });
}

/** The rule groups exactly as the rule file has them (builders/alertRules.ts). */
export function prometheusRuleArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "failover" | "image" | "mysql" | "namespace" | "replicas">,
    mon: ExporterMonitoring,
): k8s.apiextensions.CustomResourceArgs {
    return monitorResource(instance, names.alertRules, s, mon, "PrometheusRule", alertRuleFile(names, s, mon));
}

/**
 * The canary's PodMonitor (a PodMonitor whichever kind scrapes the exporters: the canary has no
 * Service). Scraped as often as the exporters; its series change once a round.
 */
export function canaryPodMonitorArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
    mon: ExporterMonitoring,
): k8s.apiextensions.CustomResourceArgs {
    return podMonitor(instance, names.canary, "canary", s, mon, {
        port: "metrics",
        path: METRICS_PATH,
        interval: `${mon.scrapeIntervalSeconds}s`,
        scrapeTimeout: `${Math.min(mon.scrapeIntervalSeconds, 5)}s`,
        relabelings: [{ action: "replace", targetLabel: "job", replacement: canaryScrapeLabels(names, s).job }],
    });
}
