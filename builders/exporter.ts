// Tinode's own metrics exporter (monitoring/exporter in github.com/tinode/chat) as a sidecar of every
// Tinode pod: it reads the pod's expvar page on each scrape and answers in Prometheus text format.
// One exporter per server, as its README prescribes.
import * as k8s from "@pulumi/kubernetes";
import { EXPVAR_PATH, PORTS } from "../tinode/facts";
import { ExporterMonitoring, TinodeSettings } from "../config/settings";
import { labels, selectorLabels } from "./labels";
import { ObjectNames } from "./names";
import { containerSecurityContext } from "./security";

/** Where the image puts the binary (docker/exporter/Dockerfile: WORKDIR /opt/tinode, ./exporter). */
export const EXPORTER_BINARY = "/opt/tinode/exporter";
export const METRICS_PATH = "/metrics";
/** The exporter's --prom_namespace: every metric it serves is named tinode_<...>. */
export const METRIC_PREFIX = "tinode";

/**
 * The exporter's command line, exec form. The image's entrypoint.sh would rewrite
 * /etc/nsswitch.conf (a read-only root here) and needs bash; the binary takes the same flags
 * directly (monitoring/exporter/main.go). The expvar address ends in "/" as Tinode serves it, so
 * no redirect is followed on every scrape. --prom_timeout stays below the scrape interval so a hung
 * Tinode answers tinode_up 0 instead of a timed-out scrape.
 */
export function exporterArgs(mon: ExporterMonitoring): string[] {
    return [
        "--serve_for=prometheus",
        `--tinode_addr=http://localhost:${PORTS.http}${EXPVAR_PATH}`,
        `--listen_at=:${PORTS.metrics}`,
        "--instance=$(POD_NAME)",
        `--prom_namespace=${METRIC_PREFIX}`,
        `--prom_metrics_path=${METRICS_PATH}`,
        `--prom_timeout=${promTimeoutSeconds(mon)}`,
    ];
}

/** Tinode answers its expvar page in milliseconds; half the interval, at most the exporter's own 15 s default. */
export function promTimeoutSeconds(mon: ExporterMonitoring): number {
    return Math.max(1, Math.min(15, Math.floor(mon.scrapeIntervalSeconds / 2)));
}

/**
 * The sidecar. A liveness probe only: a pod is Ready when all its containers are, so a readiness
 * probe here would let a slow metrics page take the chat server out of its client Service. The
 * server's own probes decide readiness; a hung exporter is restarted alone.
 */
export function exporterContainer(
    s: Pick<TinodeSettings, "imagePullPolicy" | "resources">,
    mon: ExporterMonitoring,
): k8s.types.input.core.v1.Container {
    return {
        name: "exporter",
        image: mon.exporterImage,
        imagePullPolicy: s.imagePullPolicy,
        command: [EXPORTER_BINARY],
        args: exporterArgs(mon),
        env: [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
        ports: [{ name: "metrics", containerPort: PORTS.metrics, protocol: "TCP" }],
        // Its index page, which does not touch Tinode: a dead server is tinode_up 0, not a dead exporter.
        livenessProbe: { httpGet: { path: "/", port: "metrics" }, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 },
        resources: s.resources.exporter,
        securityContext: containerSecurityContext(),
    };
}

/**
 * A headless Service for the metrics port alone: what a ServiceMonitor selects, and stable DNS for
 * ad-hoc curl. It publishes pods that are not Ready, so a node that fails its probes is still
 * scraped and reported (tinode_up 0) instead of silently disappearing from Prometheus.
 */
export function metricsServiceArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
): k8s.core.v1.ServiceArgs {
    return {
        metadata: {
            name: names.metricsService,
            namespace: s.namespace,
            labels: { ...labels(instance, "server", s.image), [METRICS_SERVICE_LABEL]: "true" },
        },
        spec: {
            clusterIP: "None",
            publishNotReadyAddresses: true,
            selector: selectorLabels(instance, "server"),
            ports: [{ name: "metrics", port: PORTS.metrics, targetPort: "metrics", protocol: "TCP" }],
        },
    };
}

/** Tells the metrics Service apart from the other Services with the server's labels (ServiceMonitor selector). */
export const METRICS_SERVICE_LABEL = "tinode.co/metrics";

/**
 * The labels every scraped series carries and every alert and panel selects on. A PodMonitor or
 * ServiceMonitor sets `namespace` itself and `job` by relabelling; a hand-written scrape config
 * (and the e2e run) sets the same two.
 */
export function scrapeLabels(names: ObjectNames, s: Pick<TinodeSettings, "namespace">): { job: string; namespace: string } {
    return { job: names.tinode, namespace: s.namespace };
}

/** PromQL label matchers for the Tinode targets: `job="tinode",namespace="tinode"`. */
export function targetSelector(names: ObjectNames, s: Pick<TinodeSettings, "namespace">): string {
    const l = scrapeLabels(names, s);
    return `job="${l.job}",namespace="${l.namespace}"`;
}

type IngressRule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;

/**
 * Who may scrape: pods with the configured label in the configured namespace (either may be "any").
 * Both in one peer entry means "this label in that namespace", not "either".
 */
export function scrapeIngressRule(mon: ExporterMonitoring): IngressRule {
    const ports = [{ port: "metrics", protocol: "TCP" }];
    if (mon.scrapeNamespace === undefined && mon.scrapePodLabel === undefined) return { ports };
    const peer: k8s.types.input.networking.v1.NetworkPolicyPeer = {
        // kubernetes.io/metadata.name is set on every namespace by the API server (1.22+).
        namespaceSelector: mon.scrapeNamespace === undefined ? {} : { matchLabels: { "kubernetes.io/metadata.name": mon.scrapeNamespace } },
    };
    if (mon.scrapePodLabel !== undefined) peer.podSelector = { matchLabels: { [mon.scrapePodLabel.key]: mon.scrapePodLabel.value } };
    return { from: [peer], ports };
}
