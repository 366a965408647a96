// The Tinode StatefulSet and its PodDisruptionBudget.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EXPVAR_PATH, IMAGE_PATHS, isCluster, PORTS, TINODE_UID, UPLOAD_DIR } from "../tinode/facts";
import { TinodeSettings } from "../config/settings";
import { clusterConfig, clusterLayout, NODE_SELF_SCRIPT, nodeNamesDifferFromPods } from "./clusterNodes";
import { settleSeconds, settleStartupProbe } from "./clusterSettle";
import { DatabaseTarget, waitForDatabaseContainer } from "./database";
import { exporterContainer } from "./exporter";
import { labels, objectMeta, selectorLabels } from "./labels";
import { schedulingFields } from "./scheduling";
import { featureVolumes } from "./tinodeFeatures";
import { tlsProxyContainer, tlsProxyVolume } from "./tlsProxy";
import { mysqlCaEnv, mysqlCaMounts, mysqlCaVolumes, mysqlTls } from "./mysqlTls";
import { ObjectNames } from "./names";
import { rolloutAwaitAnnotations } from "./rollout";
import { containerSecurityContext, podSecurityContext } from "./security";

export const CONFIG_CHECKSUM_ANNOTATION = "checksum/config";

/** The server's container in every Tinode pod (the healer reads its log: builders/healer.ts). */
export const TINODE_CONTAINER = "tinode";
/** The server's arguments but its node name. */
export function serverArgs(): string[] {
    return [`--config=${IMAGE_PATHS.configFile}`, `--static_data=${IMAGE_PATHS.staticData}`];
}

/**
 * The server's command line. Exec form where it can be: SIGTERM reaches the server (the image's
 * entrypoint.sh would swallow it) and logs go to stdout/stderr. A single replica runs standalone. In a
 * cluster, --cluster_self is the pod's node name, the only thing that differs between pods: the pod's
 * own name up to ten pods (the kubelet expands $(POD_NAME)); from eleven, a shell that computes it
 * (clusterNodes.ts nodeName) and execs the server. Up to ten pods the command line is what it always
 * was, so existing stacks' pods do not roll for it.
 */
export function tinodeCommand(replicas: number): { command: string[]; args: string[] } {
    if (!isCluster(replicas)) return { command: [IMAGE_PATHS.server], args: serverArgs() };
    if (!nodeNamesDifferFromPods(replicas)) return { command: [IMAGE_PATHS.server], args: [...serverArgs(), "--cluster_self=$(POD_NAME)"] };
    return { command: ["/bin/sh", "-c", NODE_SELF_SCRIPT, IMAGE_PATHS.server], args: serverArgs() };
}

export function tinodeStatefulSetArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<
        TinodeSettings,
        | "clusterDomain"
        | "failover"
        | "features"
        | "image"
        | "imagePullPolicy"
        | "media"
        | "monitoring"
        | "mysql"
        | "namespace"
        | "replicas"
        | "resources"
        | "scheduling"
        | "serviceTls"
        | "terminationGracePeriodSeconds"
    >,
    target: DatabaseTarget,
    configChecksum: pulumi.Input<string>,
): k8s.apps.v1.StatefulSetArgs {
    const selector = selectorLabels(instance, "server");
    const cluster = clusterConfig(clusterLayout(names, s), s.failover);
    return {
        metadata: {
            name: names.tinode,
            namespace: s.namespace,
            labels: labels(instance, "server", s.image),
            annotations: rolloutAwaitAnnotations(s.replicas),
        },
        spec: {
            serviceName: names.headlessService,
            replicas: s.replicas,
            // All pods start together: a node is of little use until its peers are up, and an
            // ordered start would only delay the cluster forming.
            podManagementPolicy: "Parallel",
            // One pod at a time, and the next only once the cluster has settled around the last one
            // (builders/clusterSettle.ts: the startup probe below, then this many seconds).
            updateStrategy: { type: "RollingUpdate" },
            ...(cluster ? { minReadySeconds: settleSeconds(s.failover) } : {}),
            selector: { matchLabels: selector },
            template: {
                metadata: {
                    labels: labels(instance, "server", s.image),
                    // Tinode reads its config only at start: a new node list or key must roll every pod.
                    annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum },
                },
                spec: {
                    terminationGracePeriodSeconds: s.terminationGracePeriodSeconds,
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: podSecurityContext(TINODE_UID),
                    ...schedulingFields(s.scheduling),
                    initContainers: [waitForDatabaseContainer(s, target, s.resources.dbInit)],
                    // Spread over zones where the cluster has them; never block scheduling for it.
                    topologySpreadConstraints: [
                        {
                            maxSkew: 1,
                            topologyKey: "topology.kubernetes.io/zone",
                            whenUnsatisfiable: "ScheduleAnyway",
                            labelSelector: { matchLabels: selector },
                        },
                    ],
                    affinity: {
                        podAntiAffinity: {
                            preferredDuringSchedulingIgnoredDuringExecution: [
                                {
                                    weight: 100,
                                    podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selector } },
                                },
                            ],
                        },
                    },
                    containers: [
                        {
                            name: TINODE_CONTAINER,
                            image: s.image,
                            imagePullPolicy: s.imagePullPolicy,
                            workingDir: IMAGE_PATHS.home,
                            ...tinodeCommand(s.replicas),
                            env: [
                                { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                                ...mysqlCaEnv(mysqlTls(s)),
                            ],
                            ports: [
                                { name: "http", containerPort: PORTS.http, protocol: "TCP" },
                                { name: "grpc", containerPort: PORTS.grpc, protocol: "TCP" },
                                { name: "cluster", containerPort: PORTS.cluster, protocol: "TCP" },
                            ],
                            // No health endpoint exists. HTTP is served only after the database is open
                            // and the cluster listener is up, so an expvar answer means "serving"; a
                            // cluster node has started once the whole cluster has settled around it.
                            startupProbe: settleStartupProbe(cluster?.nodes ?? [], cluster?.failover.enabled ?? false),
                            readinessProbe: {
                                httpGet: { path: EXPVAR_PATH, port: "http" },
                                periodSeconds: 5,
                                timeoutSeconds: 2,
                                failureThreshold: 3,
                            },
                            // TCP only: a slow stats page must not get a busy server killed.
                            livenessProbe: {
                                tcpSocket: { port: "http" },
                                periodSeconds: 10,
                                timeoutSeconds: 3,
                                failureThreshold: 6,
                            },
                            resources: s.resources.tinode,
                            securityContext: containerSecurityContext(),
                            volumeMounts: [
                                { name: "config", mountPath: IMAGE_PATHS.configDir, readOnly: true },
                                { name: "tmp", mountPath: "/tmp" },
                                ...(s.media.handler === "fs" ? [{ name: "media", mountPath: UPLOAD_DIR }] : []),
                                ...featureVolumes(s.features).volumeMounts,
                                ...mysqlCaMounts(mysqlTls(s)),
                            ],
                        },
                        // Its own port and process: a crashed exporter never touches the server.
                        ...(s.monitoring.exporter ? [exporterContainer(s, s.monitoring)] : []),
                        ...(s.serviceTls?.kind === "proxy" ? [tlsProxyContainer(s.serviceTls, s, s.resources.tlsProxy)] : []),
                    ],
                    volumes: [
                        { name: "config", secret: { secretName: names.serverConfig, defaultMode: 0o440 } },
                        { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                        ...(s.media.handler === "fs" ? [{ name: "media", persistentVolumeClaim: { claimName: names.media } }] : []),
                        ...featureVolumes(s.features).volumes,
                        ...(s.serviceTls?.kind === "proxy" ? [tlsProxyVolume(names, s.serviceTls)] : []),
                        ...mysqlCaVolumes(mysqlTls(s)),
                    ],
                },
            },
        },
    };
}

/** Voluntary disruptions (drains, upgrades) take one Tinode node at a time. */
export function disruptionBudgetArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "image" | "namespace">,
): k8s.policy.v1.PodDisruptionBudgetArgs {
    return {
        metadata: objectMeta(instance, s, names.disruptionBudget, "server", s.image),
        spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(instance, "server") } },
    };
}
