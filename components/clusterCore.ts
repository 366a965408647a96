// ClusterCore: MySQL (or an external one), the schema Job, the generated config and the Tinode
// StatefulSet with its Services, as one component built from validated settings. It only wires
// resources; every spec comes from a pure builder in builders/. The stack program (index.ts) makes it
// from stack config; TinodeCluster (components/tinodeCluster.ts) from a program's args.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { TOKEN_KEY_BYTES, UID_KEY_BYTES } from "../tinode/facts";
import { TinodeSettings } from "../config/settings";
import { apiKeyFor } from "../builders/apiKey";
import { keptOnDestroy, retention } from "../builders/retention";
import { clusterLayout, nodeNames, validatedClusterConfig } from "../builders/clusterNodes";
import { databaseTarget } from "../builders/database";
import { dbInitJobArgs, dbInitJobTimeouts } from "../builders/dbInitJob";
import { gatewayArgs, grpcRouteArgs, httpRouteArgs } from "../builders/gateway";
import { grpcIngressArgs, ingressArgs } from "../builders/ingress";
import { mediaVolumeClaimArgs } from "../builders/media";
import { mysqlUpgradeDumpJobArgs } from "../builders/mysqlUpgradeDump";
import { formerResourceNames, ObjectNames, objectNames, resourceNames } from "../builders/names";
import { namespaceArgs } from "../builders/namespace";
import { dbInitNetworkPolicyArgs, mysqlNetworkPolicyArgs, tinodeNetworkPolicyArgs } from "../builders/networkPolicies";
import { dbClientSecretArgs, mysqlClientOptions, schemaDumpClaimArgs } from "../builders/schemaDump";
import { mysqlTls } from "../builders/mysqlTls";
import { clientServiceArgs, clientsBehindProxy, clientUrl, grpcServiceArgs, headlessServiceArgs } from "../builders/services";
import { serviceCertificateArgs, tlsProxyConfigMapArgs } from "../builders/tlsProxy";
import { configChecksum, configSecretArgs, renderTinodeConfig, tinodeConfig } from "../builders/tinodeConfig";
import { configSecretFileKeys, configSecretFiles } from "../builders/tinodeFeatures";
import { disruptionBudgetArgs, tinodeStatefulSetArgs } from "../builders/tinodeStatefulSet";
import { deployBackup } from "./backup";
import { ChildContext } from "./context";
import { deployHealer } from "./healer";
import { deployMonitoring, Monitoring } from "./monitoring";
import { Database, databaseDsn, deployMysql, runtimeDsn } from "./mysql";

/** What both components (ClusterCore, the package's TinodeCluster) register as their outputs. */
const CLUSTER_OUTPUTS = ["namespace", "clientServiceName", "clientUrl", "nodeNames", "mysqlHost", "apiKey", "keptOnDestroy"] as const;

export function clusterOutputs(c: Record<(typeof CLUSTER_OUTPUTS)[number], unknown>): pulumi.Inputs {
    return Object.fromEntries(CLUSTER_OUTPUTS.map((k) => [k, c[k]]));
}

export class ClusterCore extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    readonly clientServiceName: pulumi.Output<string>;
    /** In-cluster URL for websocket/HTTP clients. */
    readonly clientUrl: pulumi.Output<string>;
    readonly nodeNames: string[];
    readonly mysqlHost: string;
    /** The client API key for the salt in use (secret). */
    readonly apiKey: pulumi.Output<string>;
    /** What `pulumi destroy` leaves in the cluster and how to delete it (builders/retention.ts). */
    readonly keptOnDestroy: string;
    readonly statefulSet: k8s.apps.v1.StatefulSet;
    /** tinode.conf of the schema Job: the schema owner's DSN and the UID key (kept with the data). */
    readonly configSecret: k8s.core.v1.Secret;
    /** tinode.conf of the servers: the deployed MySQL's runtime user, or the external DSN. */
    readonly serverConfigSecret: k8s.core.v1.Secret;
    readonly headlessService: k8s.core.v1.Service;
    readonly clientService: k8s.core.v1.Service;
    readonly disruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    readonly dbInitJob: k8s.batch.v1.Job;
    /** Undefined when an external MySQL is used. */
    readonly mysqlStatefulSet?: k8s.apps.v1.StatefulSet;
    /** Undefined when the exporter is off (monitoringExporter false). */
    readonly monitoring?: Monitoring;
    /** Undefined when the namespace exists already (createNamespace false). */
    readonly namespaceResource?: k8s.core.v1.Namespace;
    /** Undefined when backups are off. */
    readonly backupCronJob?: k8s.batch.v1.CronJob;
    /** The backups' own volume (backupDestination volume). */
    readonly backupVolumeClaim?: k8s.core.v1.PersistentVolumeClaim;
    /** Undefined when selfHeal is off or there is one replica. */
    readonly healer?: k8s.apps.v1.Deployment;

    constructor(name: string, args: TinodeSettings, opts?: pulumi.ComponentResourceOptions) {
        // The type every deployed stack's state has (it was this class's name before the package's
        // TinodeCluster existed): another type would change every child's URN.
        super("tinode:k8s:TinodeCluster", name, {}, opts);
        const s = args;
        const names = objectNames(name);
        const rn = resourceNames(name);
        const former = formerResourceNames(name);
        // Before any resource: a node list Tinode would reject (or silently split on) stops here.
        const cluster = validatedClusterConfig(clusterLayout(names, s), s.failover);

        const provider = s.renderYamlTo
            ? new k8s.Provider(
                  rn.renderProvider,
                  // An empty kubeconfig, not $KUBECONFIG: the provider refuses one next to renderYamlToDirectory.
                  { renderYamlToDirectory: s.renderYamlTo, kubeconfig: "", enableSecretMutable: true, enableConfigMapMutable: true },
                  { parent: this },
              )
            : undefined;
        // What destroy leaves in the cluster (builders/retention.ts).
        const { keep, keepData } = retention(s);
        this.keptOnDestroy = keptOnDestroy(name, names, s);

        const namespace = s.createNamespace
            ? new k8s.core.v1.Namespace(rn.namespace, namespaceArgs(s), { parent: this, provider, ...keepData })
            : undefined;
        this.namespaceResource = namespace;
        // object: the resource makes that object; a Pulumi name it had before is kept as an alias.
        const child = (dependsOn: pulumi.Resource[] = [], object?: keyof ObjectNames): pulumi.CustomResourceOptions => {
            const old = object && former[object];
            return {
                parent: this,
                provider,
                dependsOn: namespace ? [namespace, ...dependsOn] : dependsOn,
                ...(old ? { aliases: [{ name: old }] } : {}),
            };
        };
        const ctx: ChildContext = { instance: name, names, resourceNames: rn, child, keep, keepData };

        // Generated once, kept in state (encrypted), stable across updates; or taken over with kept data.
        const kept = s.keptSecrets;
        const tokenKey = kept
            ? pulumi.secret(kept.tokenKey)
            : new random.RandomBytes(rn.tokenKey, { length: TOKEN_KEY_BYTES }, { parent: this, ...keep }).base64;
        // User ids in the database are encrypted with this key: losing it makes the data unreadable.
        const uidKey = kept
            ? pulumi.secret(kept.uidKey)
            : new random.RandomBytes(rn.uidKey, { length: UID_KEY_BYTES }, { parent: this, ...keep }).base64;
        const s3SecretAccessKey = pulumi.secret(pulumi.output(s.media.handler === "s3" ? s.media.secretAccessKey : ""));
        // Checked by config/readSettings.ts, the one way in (TinodeCluster resolves its args to text first).
        const apiKeySalt = pulumi.secret(s.apiKeySalt);

        // The deployed MySQL's passwords exist whether it is deployed or not: a switch to an external
        // MySQL and back finds the retained volume with the passwords it was made with.
        // Alphanumeric: the password goes into a DSN, where some punctuation would need escaping.
        const password = (resource: string) =>
            new random.RandomPassword(resource, { length: 32, special: false }, { parent: this, ...keep }).result;
        const mysqlPasswords = kept
            ? { root: pulumi.secret(kept.mysqlRootPassword), user: pulumi.secret(kept.mysqlPassword) }
            : { root: password(rn.mysqlRootPassword), user: password(rn.mysqlUserPassword) };
        // The servers' user of the deployed MySQL: set anew at every MySQL start, so not kept with the data.
        const runtimePassword = s.mysql.kind === "internal" ? password(rn.mysqlRuntimePassword) : undefined;

        const target = databaseTarget(names, s);
        // The schema owner's DSN (schema Job, dumps, backups) and the servers' (data rights only).
        const dsn = databaseDsn(s, target, mysqlPasswords);
        const serverDsn = runtimePassword
            ? runtimeDsn(target, runtimePassword)
            : s.mysql.kind === "external" && s.mysql.runtimeDsn !== undefined
              ? pulumi.secret(pulumi.output(s.mysql.runtimeDsn))
              : dsn;
        // The dumps before a schema upgrade (the schema Job) and before a MySQL upgrade: credentials
        // from Tinode's DSN, and a claim that outlives the Jobs (kept like the data it copies).
        const dbClient = new k8s.core.v1.Secret(
            names.dbClient,
            dbClientSecretArgs(name, names, s, pulumi.secret(dsn.apply((d) => mysqlClientOptions(d, mysqlTls(s))))),
            child(),
        );
        const dumps = new k8s.core.v1.PersistentVolumeClaim(names.schemaDumps, schemaDumpClaimArgs(name, names, s), {
            ...child(),
            ...keepData,
            ignoreChanges: ["spec.storageClassName"],
        });
        const mysqlUpgradeDump =
            s.mysql.kind === "internal" && s.mysqlUpgrade
                ? new k8s.batch.v1.Job(names.mysqlUpgradeDump, mysqlUpgradeDumpJobArgs(name, names, s, s.mysql, target, s.mysqlUpgrade), {
                      ...child([dbClient, dumps]),
                      customTimeouts: dbInitJobTimeouts(),
                  })
                : undefined;
        const db: Database = {
            dsn,
            target,
            statefulSet:
                s.mysql.kind === "internal" && runtimePassword
                    ? deployMysql(
                          ctx,
                          s,
                          s.mysql,
                          { ...mysqlPasswords, runtime: runtimePassword },
                          mysqlUpgradeDump ? [mysqlUpgradeDump] : [],
                      )
                    : undefined,
        };

        // The feature settings hold SMTP, push and TURN credentials: resolved only inside secrets.
        const features = pulumi.secret(pulumi.output(s.features));
        const configText = (withDsn: pulumi.Output<string>) =>
            pulumi.secret(
                pulumi.all([tokenKey, uidKey, apiKeySalt, withDsn, s3SecretAccessKey, features]).apply(([tk, uk, salt, d, s3, f]) =>
                    renderTinodeConfig(
                        tinodeConfig({
                            database: target.database,
                            media: s.media,
                            cluster,
                            secrets: { tokenKey: tk, uidKey: uk, apiKeySalt: salt, dsn: d, s3SecretAccessKey: s3 },
                            features: f,
                            clientsBehindProxy: clientsBehindProxy(s),
                        }),
                    ),
                ),
            );
        const serverConfigText = configText(serverDsn);
        // Files next to tinode.conf (an FCM service account): which ones depends only on settings.
        const files = features.apply((f) => configSecretFiles(f));
        const fileInputs = Object.fromEntries(
            configSecretFileKeys(s.features).map((k) => [k, pulumi.secret(files.apply((all) => all[k]))]),
        );
        // A one-way hash of the config: safe to show, so a preview says "pods will roll".
        const checksum = pulumi.unsecret(pulumi.all([serverConfigText, files]).apply(([t, all]) => configChecksum(t, all)));

        // tinode.conf holds the UID key, which user ids in the database are encrypted with: kept with the data.
        this.configSecret = new k8s.core.v1.Secret(names.config, configSecretArgs(name, s, names.config, configText(dsn), fileInputs), {
            ...child(),
            ...keepData,
        });
        this.serverConfigSecret = new k8s.core.v1.Secret(
            names.serverConfig,
            configSecretArgs(name, s, names.serverConfig, serverConfigText, fileInputs),
            child(),
        );
        this.headlessService = new k8s.core.v1.Service(
            names.headlessService,
            headlessServiceArgs(name, names, s),
            child([], "headlessService"),
        );

        // Schema first: the StatefulSet waits for the Job, so new pods never meet an old schema.
        this.dbInitJob = new k8s.batch.v1.Job(names.dbInitJob, dbInitJobArgs(name, names, s, target), {
            ...child([this.configSecret, dbClient, dumps, ...(db.statefulSet ? [db.statefulSet] : [])]),
            customTimeouts: dbInitJobTimeouts(),
        });
        const media =
            s.media.handler === "fs"
                ? [
                      new k8s.core.v1.PersistentVolumeClaim(names.media, mediaVolumeClaimArgs(name, names, s, s.media), {
                          ...child(),
                          ...keepData,
                      }),
                  ]
                : [];
        // The TLS proxy's config and, with cert-manager, its certificate: before the pods that mount them.
        const tlsProxy: pulumi.Resource[] = [];
        if (s.serviceTls?.kind === "proxy") {
            tlsProxy.push(new k8s.core.v1.ConfigMap(names.tlsProxy, tlsProxyConfigMapArgs(name, names, s), child()));
            const certificate = s.serviceTls.certificate;
            if (certificate)
                tlsProxy.push(
                    new k8s.apiextensions.CustomResource(
                        names.serviceTls,
                        serviceCertificateArgs(name, names, s, { ...s.serviceTls, certificate }),
                        child(),
                    ),
                );
        }
        this.statefulSet = new k8s.apps.v1.StatefulSet(
            names.tinode,
            tinodeStatefulSetArgs(name, names, s, target, checksum),
            child([this.dbInitJob, this.serverConfigSecret, this.headlessService, ...media, ...tlsProxy], "tinode"),
        );
        this.clientService = new k8s.core.v1.Service(
            names.clientService,
            clientServiceArgs(name, names, s),
            // After the pods, so that it never routes to a cluster that has not formed yet.
            child([this.statefulSet], "clientService"),
        );
        this.disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
            names.disruptionBudget,
            disruptionBudgetArgs(name, names, s),
            child([], "disruptionBudget"),
        );

        if (s.ingress)
            new k8s.networking.v1.Ingress(names.ingress, ingressArgs(name, names, s, s.ingress), child([this.clientService], "ingress"));
        if (s.ingress && s.features.grpcIngressHost) {
            const grpcService = new k8s.core.v1.Service(
                names.grpcService,
                grpcServiceArgs(name, names, s, s.ingress.grpcServiceAnnotations),
                child([this.statefulSet]),
            );
            new k8s.networking.v1.Ingress(
                names.grpcIngress,
                grpcIngressArgs(name, names, s, s.ingress, s.features.grpcIngressHost),
                child([grpcService], "grpcIngress"),
            );
        }
        // Gateway API routes: custom resources (the cluster needs the Gateway API CRDs, or preview fails).
        const gateway = s.gateway;
        if (gateway) {
            // The stack's own Gateway first (gatewayClassName), so the routes' parent exists when they attach.
            const routeDeps: pulumi.Resource[] = [this.clientService];
            if (gateway.kind === "own")
                routeDeps.push(new k8s.apiextensions.CustomResource(names.gateway, gatewayArgs(name, names, s, gateway), child()));
            new k8s.apiextensions.CustomResource(names.httpRoute, httpRouteArgs(name, names, s, gateway), child(routeDeps));
            if (gateway.grpcHost)
                new k8s.apiextensions.CustomResource(
                    names.grpcRoute,
                    grpcRouteArgs(name, names, s, { ...gateway, grpcHost: gateway.grpcHost }),
                    child(routeDeps),
                );
        }
        if (s.networkPolicies) {
            new k8s.networking.v1.NetworkPolicy(
                names.serverPolicy,
                tinodeNetworkPolicyArgs(name, names, s, target),
                child([], "serverPolicy"),
            );
            new k8s.networking.v1.NetworkPolicy(
                names.dbInitPolicy,
                dbInitNetworkPolicyArgs(name, names, s, target),
                child([], "dbInitPolicy"),
            );
            if (s.mysql.kind === "internal")
                new k8s.networking.v1.NetworkPolicy(
                    names.mysqlPolicy,
                    mysqlNetworkPolicyArgs(name, names, s, s.mysql),
                    child([], "mysqlPolicy"),
                );
        }

        if (s.backup) {
            const backup = deployBackup(ctx, s, s.backup, db, [this.dbInitJob]);
            this.backupCronJob = backup.cronJob;
            this.backupVolumeClaim = backup.volumeClaim;
        }
        // After the StatefulSet: it reads the StatefulSet's status and its pods' logs.
        if (s.selfHeal) this.healer = deployHealer(ctx, s, s.selfHeal, [this.statefulSet]);
        this.apiKey = pulumi.secret(apiKeySalt.apply((salt) => apiKeyFor(salt)));
        if (s.monitoring.exporter) {
            this.monitoring = deployMonitoring(ctx, s, s.monitoring, {
                apiKey: this.apiKey,
                password: () => password(rn.canaryPassword),
                after: [this.statefulSet],
            });
        }

        this.mysqlStatefulSet = db.statefulSet;
        this.namespace = namespace ? namespace.metadata.name : pulumi.output(s.namespace);
        this.clientServiceName = this.clientService.metadata.name;
        this.clientUrl = pulumi.output(clientUrl(names, s));
        this.nodeNames = nodeNames(clusterLayout(names, s));
        this.mysqlHost = target.host;

        this.registerOutputs(clusterOutputs(this));
    }
}
