// Stack config -> TinodeSettings. Only config/ knows config key names.
import { checkAcceptDataChange } from "./dataGuard";
import { checkBase64Bytes, checkByteQuantity, checkDnsLabel, checkDnsName, checkPinnedImage } from "./checks";
import { API_KEY_SALT_BYTES, isCluster, MAX_REPLICAS, PUBLISHED_API_KEY_SALT } from "../tinode/facts";
import { DEFAULTS } from "./defaults";
import { ConfigReader, ConfigSource, KeyNaming } from "./reader";
import { readResources } from "./resources";
import { readFeatures } from "./readFeatures";
import { readBackup } from "./readBackup";
import { readKeptSecrets } from "./readKeptSecrets";
import { readMonitoring } from "./readMonitoring";
import { readMysql } from "./readMysql";
import { readGateway } from "./readGateway";
import { readIngress } from "./readIngress";
import { readService } from "./readService";
import { readMedia } from "./readMedia";
import { readScheduling } from "./readScheduling";
import { SelfHealSettings, TinodeSettings } from "./settings";

/** The self-healer: only a cluster (more than one replica) has the ring changes that need it. */
function readSelfHeal(r: ConfigReader, replicas: number): SelfHealSettings | undefined {
    const on = r.boolean("selfHeal", DEFAULTS.selfHeal);
    const image = r.string("selfHealImage", DEFAULTS.selfHealImage, checkPinnedImage);
    return on && isCluster(replicas) ? { image } : undefined;
}

/** Namespaces that always exist: creating them would fail. */
const BUILTIN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/**
 * Reads and validates every setting. Throws a ConfigError naming each bad key and what it accepts;
 * nothing is created before this returns. `naming`: the stack's config namespace, or how the
 * component's args are named (config/readArgs.ts).
 */
export function readSettings(source: ConfigSource, naming: string | KeyNaming = "tinode"): TinodeSettings {
    const r = new ConfigReader(source, naming);

    const ns = r.string("namespace", DEFAULTS.namespace, checkDnsLabel);
    const createNamespace = r.boolean("createNamespace", DEFAULTS.createNamespace);
    if (createNamespace && BUILTIN_NAMESPACES.includes(ns)) {
        r.problem("createNamespace", `must be false when ${r.fullKey("namespace")} is the built-in namespace "${ns}"`);
    }

    const replicas = r.integer("replicas", DEFAULTS.replicas, 1, MAX_REPLICAS);
    const settings: Omit<TinodeSettings, "features"> = {
        namespace: ns,
        createNamespace,
        replicas,
        clusterDomain: r.string("clusterDomain", DEFAULTS.clusterDomain, checkDnsName),
        image: r.string("image", DEFAULTS.image, checkPinnedImage),
        imagePullPolicy: r.oneOf("imagePullPolicy", DEFAULTS.imagePullPolicy, ["Always", "IfNotPresent", "Never"] as const),
        failover: {
            // 0 crashes the server (it draws a random jitter from heartbeat/2).
            heartbeatMs: r.integer("heartbeatMs", DEFAULTS.heartbeatMs, 10, 60_000),
            voteAfter: r.integer("voteAfter", DEFAULTS.voteAfter, 1, 1000),
            nodeFailAfter: r.integer("nodeFailAfter", DEFAULTS.nodeFailAfter, 1, 1000),
        },
        terminationGracePeriodSeconds: r.integer("terminationGracePeriodSeconds", DEFAULTS.terminationGracePeriodSeconds, 1, 3600),
        sampleData: r.boolean("sampleData", DEFAULTS.sampleData),
        apiKeySalt: r.string("apiKeySalt", PUBLISHED_API_KEY_SALT, checkBase64Bytes(API_KEY_SALT_BYTES)),
        mysql: readMysql(r),
        schemaDumpStorageSize: r.string("schemaDumpStorageSize", DEFAULTS.schemaDumpStorageSize, checkByteQuantity),
        resources: readResources(r, "resources"),
        networkPolicies: r.boolean("networkPolicies", DEFAULTS.networkPolicies),
        ...readService(r),
        ingress: readIngress(r),
        gateway: readGateway(r, ns),
        media: readMedia(r, replicas),
        protectData: r.boolean("protectData", DEFAULTS.protectData),
        deleteDataOnDestroy: r.boolean("deleteDataOnDestroy", DEFAULTS.deleteDataOnDestroy),
        keptSecrets: readKeptSecrets(r),
        scheduling: readScheduling(r),
        backup: readBackup(r),
        monitoring: readMonitoring(r),
        selfHeal: readSelfHeal(r, replicas),
        renderYamlTo: r.optionalString("renderYamlTo"),
        acceptDataChanges: (r.optionalString("acceptDataChange", checkAcceptDataChange) ?? "")
            .split(",")
            .map((k) => k.trim())
            .filter((k) => k !== ""),
    };
    // Tinode's cluster RPC has no authentication and no TLS: with several nodes, any pod that reaches
    // port 12000 can act as a node. Without policies something else must keep other pods away.
    const isolatedElsewhere = r.boolean("networkIsolatedElsewhere", DEFAULTS.networkIsolatedElsewhere);
    if (!settings.networkPolicies && isCluster(replicas) && !isolatedElsewhere) {
        r.problem(
            "networkPolicies",
            `false leaves Tinode's cluster port (no authentication, no TLS) and MySQL open to every pod of the cluster: keep it true, or set ${r.fullKey("networkIsolatedElsewhere")} true if another layer (a service mesh's authorization, the CNI's own policies) isolates them`,
        );
    }
    // With the TLS proxy the client Service publishes the proxy's ports only; an Ingress or a
    // Gateway route reaches Tinode through the Service's plain HTTP port, which is then gone.
    if (settings.serviceTls?.kind === "proxy" && (settings.ingress !== undefined || settings.gateway !== undefined)) {
        r.problem(
            settings.serviceTls.certificate ? "serviceClusterIssuer" : "serviceTlsSecret",
            `cannot be used with ${r.fullKey(settings.ingress ? "ingressHost" : "gatewayHost")}: the TLS proxy takes the client Service's ports, which the routes need; expose Tinode one way - the Ingress or Gateway with serviceType ClusterIP, or the ${settings.serviceType} Service alone`,
        );
    }
    // The sample users' passwords are published (Tinode's data.json): never where anyone can log in.
    const exposure = settings.ingress
        ? `${r.fullKey("ingressHost")} ${settings.ingress.host}`
        : settings.gateway
          ? `${r.fullKey("gatewayHost")} ${settings.gateway.host}`
          : settings.serviceType !== "ClusterIP"
            ? `${r.fullKey("serviceType")} ${settings.serviceType}`
            : undefined;
    if (settings.sampleData && exposure !== undefined) {
        r.problem(
            "sampleData",
            `cannot be used with a public exposure (${exposure}): the sample users' passwords are published; turn sampleData off, or keep the stack internal (serviceType ClusterIP, no ingressHost, no gatewayName or gatewayClassName)`,
        );
    }
    const features = readFeatures(r, settings);
    // The canary makes its own account at its first start; with email verification every new
    // account must confirm an address first (Tinode 0.25.3 has no optional form), which it cannot.
    if (features.email && settings.monitoring.exporter && settings.monitoring.canary) {
        r.problem(
            "monitoringCanary",
            `cannot be used with ${r.fullKey("email")}: Tinode then requires every new account, the canary's too, to confirm an email address; turn one of them off`,
        );
    }
    r.throwIfProblems();
    return { ...settings, features };
}
