// Generated from config/keys.ts by `npm run config:docs`: edit the registry, not this file.
/* eslint-disable @typescript-eslint/no-explicit-any -- email, push and webrtc are free-form objects, checked field by field */
import * as pulumi from "@pulumi/pulumi";
import { ContainerResourcesArgs, TolerationArgs } from "./argTypes";

/** The settings of a TinodeCluster: the stack config keys of the same names (README, configuration reference). */
export interface TinodeClusterArgs {
    /** Tinode nodes (1-1023). 1 runs standalone; 2 clusters without failover; 3 or more cluster with failover. Odd counts are best. Default: 3. */
    replicas?: pulumi.Input<number>;
    /** Kubernetes namespace for everything in this stack (a DNS label). Default: "tinode". */
    namespace?: pulumi.Input<string>;
    /** Create the namespace (with Pod Security Admission "restricted"). Set false when it exists already. Default: true. */
    createNamespace?: pulumi.Input<boolean>;
    /** The cluster's DNS domain; node addresses are <pod>.<headless service>.<namespace>.svc.<domain>. Default: "cluster.local". */
    clusterDomain?: pulumi.Input<string>;
    /** Tinode image, pinned to a tag (not latest) or digest. A new tag re-runs the schema Job before pods roll. Default: "tinode/tinode-mysql:0.25.3". */
    image?: pulumi.Input<string>;
    /** Always, IfNotPresent or Never. Default: "IfNotPresent". */
    imagePullPolicy?: pulumi.Input<string>;
    /** Failover heartbeat in milliseconds (10-60000). Nodes tick every 0.75-1.25 heartbeats; a dead follower leaves both survivors' rings within 1.25 x heartbeatMs x (nodeFailAfter + 2), a dead leader within 1.25 x heartbeatMs x (voteAfter + nodeFailAfter + 2), and voteAfter ticks more per failed election round (4.25 s with the defaults and one). Default: 100. */
    heartbeatMs?: pulumi.Input<number>;
    /** Missed heartbeats before a new leader is elected (1-1000). Default: 8. */
    voteAfter?: pulumi.Input<number>;
    /** Failed health checks before the leader drops a node (1-1000). Default: 16. */
    nodeFailAfter?: pulumi.Input<number>;
    /** Seconds a Tinode pod gets to shut down after SIGTERM (1-3600). Default: 30. */
    terminationGracePeriodSeconds?: pulumi.Input<number>;
    /** Load Tinode's sample users into a newly created database. They have published passwords - development only. Default: false. */
    sampleData?: pulumi.Input<boolean>;
    /** Standard base64 of 32 random bytes (set with --secret). Empty uses Tinode's published salt, which the bundled web app's key matches. The stack output apiKey is the key for the salt in use. A secret (refused in plain text). */
    apiKeySalt?: pulumi.Input<string>;
    /** Requests and limits per container (tinode, mysql, dbInit, backup, exporter, canary, healer, tlsProxy) over the defaults of config/resources.ts, e.g. pulumi config set --path tinode:resources.tinode.limits.memory 1Gi. */
    resources?: pulumi.Input<{ [container: string]: ContainerResourcesArgs }>;
    /** With more than one replica, a small Deployment that restarts (evicts) a Tinode pod whose log shows a topic refusing every message with a stale sequence id (a Tinode 0.25.3 bug after a ring change; README, "A topic that refuses every message"). It may read the Tinode pods' logs and evict them, nothing else. Default: true. */
    selfHeal?: pulumi.Input<boolean>;
    /** The self-healer's Node.js image (18 or later), pinned. Default: "node:24.11.1-alpine3.22". */
    selfHealImage?: pulumi.Input<string>;
    /** PriorityClass for every pod of the stack. */
    priorityClassName?: pulumi.Input<string>;
    /** Node labels every pod must match, e.g. pulumi config set --path 'tinode:nodeSelector["kubernetes.io/os"]' linux. */
    nodeSelector?: pulumi.Input<{ [key: string]: string }>;
    /** Tolerations for every pod, e.g. pulumi config set --path "tinode:tolerations[0].key" dedicated. */
    tolerations?: pulumi.Input<TolerationArgs[]>;
    /** MySQL image for the deployed database (MySQL 8 or newer - Tinode's schema uses utf8mb4_0900_ai_ci). Default: "mysql:8.4.6". */
    mysqlImage?: pulumi.Input<string>;
    /** Size of the MySQL volume (a Kubernetes quantity). Default: "10Gi". */
    mysqlStorageSize?: pulumi.Input<string>;
    /** Storage class of the MySQL volume. Empty uses the cluster's default class. */
    mysqlStorageClass?: pulumi.Input<string>;
    /** Tinode's database name. init-db creates it; it must not exist beforehand. Default: "tinode". */
    mysqlDatabase?: pulumi.Input<string>;
    /** MySQL user for Tinode, allowed to create and use only Tinode's database. Default: "tinode". */
    mysqlUser?: pulumi.Input<string>;
    /** Use an external MySQL - a go-sql-driver DSN with parseTime=true, e.g. user:pw@tcp(db:3306)/tinode?parseTime=true (set with --secret). Deploys no MySQL. A secret (refused in plain text). */
    mysqlExternalDsn?: pulumi.Input<string>;
    /** Use an external MySQL at this host (with mysqlExternalUser and mysqlExternalPassword). Deploys no MySQL. Not together with mysqlExternalDsn. */
    mysqlExternalHost?: pulumi.Input<string>;
    /** Port of the external MySQL given by mysqlExternalHost. Default: 3306. */
    mysqlExternalPort?: pulumi.Input<number>;
    /** User for the external MySQL given by mysqlExternalHost; it needs the right to create Tinode's database. */
    mysqlExternalUser?: pulumi.Input<string>;
    /** Password for mysqlExternalUser (set with --secret). A secret (refused in plain text). */
    mysqlExternalPassword?: pulumi.Input<string>;
    /** Image with MySQL's client tools (mysqladmin, mysqldump) for an external MySQL - the wait for the database, the schema Job's dump, the backups; pinned. Empty - mysqlImage's default (the deployed MySQL's own image is used otherwise). */
    mysqlExternalClientImage?: pulumi.Input<string>;
    /** Reach the external MySQL over TLS and verify its certificate (go-sql-driver tls=true) - against mysqlExternalCaSecret, else the system CAs. A DSN with tls=true says the same. Default: false. */
    mysqlExternalTls?: pulumi.Input<boolean>;
    /** Secret in the stack's namespace whose ca.crt signed the external MySQL's certificate; the servers, the schema Job, its dumps and the backups verify the server against it. Needs mysqlExternalTls. */
    mysqlExternalCaSecret?: pulumi.Input<string>;
    /** The servers' own user on the external MySQL, with data rights only (GRANT SELECT, INSERT, UPDATE, DELETE ON <database>.*); the schema Job, dumps and backups keep the main user. Empty - the servers use the main user. */
    mysqlExternalRuntimeUser?: pulumi.Input<string>;
    /** Password for mysqlExternalRuntimeUser (set with --secret). A secret (refused in plain text). */
    mysqlExternalRuntimePassword?: pulumi.Input<string>;
    /** Size of the volume that keeps the dump the schema Job takes before init-db upgrades an existing database (it must hold one dump of Tinode's database per upgrade; a full volume stops the upgrade, nothing is changed). Default: "10Gi". */
    schemaDumpStorageSize?: pulumi.Input<string>;
    /** Scheduled backups of Tinode's database - none, volume (a volume claim of their own) or s3 (an S3-compatible bucket). Each backup is a compressed mysqldump plus a metadata file. Default: "none". */
    backupDestination?: pulumi.Input<string>;
    /** When backups run - five cron fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly; the time zone is the cluster's (usually UTC). Default: "0 3 * * *". */
    backupSchedule?: pulumi.Input<string>;
    /** Backups kept (1-1000). After each successful backup the job deletes older ones beyond this number. Default: 7. */
    backupRetention?: pulumi.Input<number>;
    /** Size of the backup volume (backupDestination volume). Default: "20Gi". */
    backupStorageSize?: pulumi.Input<string>;
    /** Storage class of the backup volume (backupDestination volume). Empty uses the default class. */
    backupStorageClass?: pulumi.Input<string>;
    /** Bucket for backups (backupDestination s3). */
    backupS3Bucket?: pulumi.Input<string>;
    /** Key prefix of this stack's own in the bucket, e.g. tinode/prod (backupDestination s3; required, as retention deletes older backups under it). */
    backupS3Prefix?: pulumi.Input<string>;
    /** Region of the bucket (backupDestination s3). */
    backupS3Region?: pulumi.Input<string>;
    /** URL of an S3-compatible server, e.g. http://minio.storage:9000 (path-style requests). Empty - AWS. */
    backupS3Endpoint?: pulumi.Input<string>;
    /** Access key id for the bucket (backupDestination s3). */
    backupS3AccessKeyId?: pulumi.Input<string>;
    /** Secret access key for the bucket (backupDestination s3; must be set with --secret). Kept in a Secret of the backup job. A secret (refused in plain text). */
    backupS3SecretAccessKey?: pulumi.Input<string>;
    /** Image of the AWS CLI that uploads backups to S3 (pinned). Default: "amazon/aws-cli:2.22.35". */
    backupS3Image?: pulumi.Input<string>;
    /** Protect MySQL (StatefulSet, credentials, passwords), the keys that encrypt data and the upload volume - Pulumi refuses to delete them and leaves them in the cluster on destroy. Default: false. */
    protectData?: pulumi.Input<boolean>;
    /** Let pulumi destroy delete the data too - the namespace, the volume claims (uploads, backups, schema dumps) and the Secrets holding the passwords and keys. Off, destroy leaves them in the cluster and says how to delete them (README). Default: false. */
    deleteDataOnDestroy?: pulumi.Input<boolean>;
    /** Secret (--secret). JSON with uidKey, tokenKey, mysqlRootPassword and mysqlPassword of data kept in the cluster by an earlier destroy or lost state, used instead of generated ones; scripts/adopt-kept-data.sh sets it. A secret (refused in plain text). */
    keptSecrets?: pulumi.Input<string>;
    /** Write the manifests to this folder instead of applying them to a cluster (no cluster needed; for GitOps). Empty deploys to the current kubeconfig context. */
    renderYamlTo?: pulumi.Input<string>;
    /** NetworkPolicies - only Tinode pods reach the cluster port (its RPC has no authentication), only Tinode and the schema Job reach MySQL, clients reach only HTTP/gRPC. Needs a CNI that enforces them. Default: true. */
    networkPolicies?: pulumi.Input<boolean>;
    /** Say that another layer (a service mesh's mutual TLS and authorization, the CNI's own policies) keeps other pods away from Tinode's cluster port and MySQL. Required to turn networkPolicies off with more than one replica. Default: false. */
    networkIsolatedElsewhere?: pulumi.Input<boolean>;
    /** Type of the client Service - ClusterIP, NodePort or LoadBalancer. NodePort and LoadBalancer take clients directly, so they need TLS - serviceTlsSecret or serviceClusterIssuer (a TLS proxy in each Tinode pod), or serviceTlsTerminatedUpstream. Default: "ClusterIP". */
    serviceType?: pulumi.Input<string>;
    /** kubernetes.io/tls Secret in the stack's namespace with the certificate a NodePort or LoadBalancer Service serves - a TLS proxy in each Tinode pod ends TLS on port 443 (HTTP, websocket) and 16060 (gRPC) and forwards only Tinode's public paths; cert-manager fills it when serviceClusterIssuer is set (default name <name>-service-tls then). */
    serviceTlsSecret?: pulumi.Input<string>;
    /** cert-manager ClusterIssuer that issues the certificate of a NodePort or LoadBalancer Service for serviceHost. */
    serviceClusterIssuer?: pulumi.Input<string>;
    /** The DNS name clients use for a NodePort or LoadBalancer Service (e.g. chat.example.com) - the name of the certificate serviceClusterIssuer issues. */
    serviceHost?: pulumi.Input<string>;
    /** Say that TLS ends before a NodePort or LoadBalancer Service (the cloud load balancer's own TLS listener). The Service then publishes Tinode's plain ports 6060 and 16060. Default: false. */
    serviceTlsTerminatedUpstream?: pulumi.Input<boolean>;
    /** Image of the TLS proxy next to each Tinode pod (serviceTlsSecret or serviceClusterIssuer) - Traefik, pinned. Default: "traefik:v3.7.13". */
    tlsProxyImage?: pulumi.Input<string>;
    /** Annotations of the client Service - settings of a cloud load balancer, or per-Service options of a controller (with the Ingress provider of Traefik, traefik.ingress.kubernetes.io/service.sticky.cookie set to true keeps each long-poll client on one pod), e.g. pulumi config set --path 'tinode:serviceAnnotations["key"]' value. */
    serviceAnnotations?: pulumi.Input<{ [key: string]: string }>;
    /** Create an Ingress for HTTP/websocket clients at this host (e.g. chat.example.com). Empty - no Ingress. */
    ingressHost?: pulumi.Input<string>;
    /** IngressClass of the Ingress. Empty uses the cluster's default class. */
    ingressClassName?: pulumi.Input<string>;
    /** Secret with the TLS certificate for ingressHost (cert-manager fills it when ingressClusterIssuer is set; default name tinode-tls then). */
    ingressTlsSecret?: pulumi.Input<string>;
    /** cert-manager ClusterIssuer that issues the Ingress certificate. */
    ingressClusterIssuer?: pulumi.Input<string>;
    /** Annotations for your Ingress controller on both Ingresses (they win over the ingress-nginx ones the program sets), e.g. pulumi config set --path 'tinode:ingressAnnotations["haproxy.org/timeout-tunnel"]' 1h. README, Exposure, lists what Traefik, HAProxy and F5 NGINX need. */
    ingressAnnotations?: pulumi.Input<{ [key: string]: string }>;
    /** Annotations of the Service the gRPC Ingress (ingressGrpcHost) routes to, a Service of the gRPC port alone - for controllers that read the backend protocol from the Service (Traefik, traefik.ingress.kubernetes.io/service.serversscheme set to h2c). */
    ingressGrpcServiceAnnotations?: pulumi.Input<{ [key: string]: string }>;
    /** Say that TLS ends before the Ingress (a load balancer or proxy in front of it). Without it, an ingressHost needs ingressTlsSecret or ingressClusterIssuer - logins must not cross the network in clear text. Default: false. */
    ingressTlsTerminatedUpstream?: pulumi.Input<boolean>;
    /** A second Ingress for gRPC clients at this host (ingress-nginx backend-protocol GRPC), with ingressHost's class and TLS; needs TLS (ingressClusterIssuer or ingressTlsSecret). Empty - no gRPC Ingress (serviceType LoadBalancer also exposes gRPC). */
    ingressGrpcHost?: pulumi.Input<string>;
    /** Attach an HTTPRoute for HTTP/websocket clients (Gateway API, standard channel) to this Gateway, which you run; its listener ends TLS. Empty - no route (or the stack's own Gateway, gatewayClassName). */
    gatewayName?: pulumi.Input<string>;
    /** Make a Gateway of this GatewayClass in the stack's namespace, with an HTTPS listener for gatewayHost (and gatewayGrpcHost), and attach the routes to it; needs gatewayTlsSecret or gatewayClusterIssuer. Not with gatewayName. */
    gatewayClassName?: pulumi.Input<string>;
    /** kubernetes.io/tls Secret in the stack's namespace with the certificate of the stack's Gateway (gatewayClassName). */
    gatewayTlsSecret?: pulumi.Input<string>;
    /** cert-manager ClusterIssuer that issues the certificate of the stack's Gateway (gatewayClassName) into the Secret tinode-gateway-tls; cert-manager needs its Gateway API support on (enableGatewayAPI). */
    gatewayClusterIssuer?: pulumi.Input<string>;
    /** Port of the stack's Gateway listeners (gatewayClassName), 1-65535. Some implementations map listeners to their own entry points by port (Traefik: an entry point's port, e.g. 8443). Default: 443. */
    gatewayPort?: pulumi.Input<number>;
    /** The Gateway's namespace (its listener must allow routes from this stack's namespace). Empty - the stack's namespace. */
    gatewayNamespace?: pulumi.Input<string>;
    /** One listener of the Gateway to attach to (parentRefs sectionName). Empty - every listener that accepts the route. */
    gatewaySectionName?: pulumi.Input<string>;
    /** The host the HTTPRoute answers for (e.g. chat.example.com); needed with gatewayName or gatewayClassName. */
    gatewayHost?: pulumi.Input<string>;
    /** A GRPCRoute for gRPC clients at this host on the same Gateway (another host than gatewayHost). Empty - no gRPC route. */
    gatewayGrpcHost?: pulumi.Input<string>;
    /** Email verification, required for new accounts - smtpHost, smtpPort (587), sender, hostUrl, login, password (--secret), authMechanism (plain, login, cram-md5), insecureSkipVerify, heloHost, domains, languages, maxRetries, codeLength, debugResponse (dev only). E.g. pulumi config set --path tinode:email.smtpHost smtp.example.com. Empty - off. Secret fields: password, debugResponse. */
    email?: pulumi.Input<{ [field: string]: any }>;
    /** Push notifications - tnpg (enabled, org, token --secret) and/or fcm (enabled, credentials = the service-account JSON --secret, timeToLive, dryRun, apnsBundleId, android/apns/webpush payloads in Tinode's field names). E.g. pulumi config set --path tinode:push.fcm.enabled true. Empty - off. Secret fields: tnpg.token, fcm.credentials. */
    push?: pulumi.Input<{ [field: string]: any }>;
    /** Video and voice calls - enabled, callTimeoutSeconds (30), iceServers (list of urls, username, credential --secret) or iceServersSecret (a Secret with key ice-servers.json). Empty - off. Secret fields: iceServers[].credential. */
    webrtc?: pulumi.Input<{ [field: string]: any }>;
    /** Largest message a client may send, in KiB (16-65536; max_message_size). The Ingress body limit follows it and mediaMaxUploadMb. Default: 4096. */
    maxMessageKb?: pulumi.Input<number>;
    /** Country (ISO 3166-1 alpha-2, e.g. DE) Tinode assumes for sessions that do not say. Empty - Tinode's default, US. */
    defaultCountryCode?: pulumi.Input<string>;
    /** Users cannot delete their own accounts (permanent_accounts). Default: false. */
    permanentAccounts?: pulumi.Input<boolean>;
    /** Delete accounts that never logged in and confirmed no email after this many hours (acc_gc_config; needs email). 0 - never. Default: 0. */
    unverifiedAccountGcHours?: pulumi.Input<number>;
    /** Uploads - none, fs (one volume shared by every node) or s3. Default: "none". */
    mediaHandler?: pulumi.Input<string>;
    /** Largest upload in MiB (1-4096), with mediaHandler fs or s3. Default: 32. */
    mediaMaxUploadMb?: pulumi.Input<number>;
    /** Size of the upload volume (mediaHandler fs). Default: "20Gi". */
    mediaStorageSize?: pulumi.Input<string>;
    /** Storage class of the upload volume (mediaHandler fs); it must offer mediaAccessMode. Empty uses the default class. */
    mediaStorageClass?: pulumi.Input<string>;
    /** Access mode of the upload volume - ReadWriteMany, or ReadWriteOnce with a single replica only. Default: "ReadWriteMany". */
    mediaAccessMode?: pulumi.Input<string>;
    /** S3 bucket for uploads (mediaHandler s3). */
    mediaS3Bucket?: pulumi.Input<string>;
    /** S3 region (mediaHandler s3). */
    mediaS3Region?: pulumi.Input<string>;
    /** S3-compatible endpoint URL (MinIO etc.); path-style requests are used with it. Empty - AWS. */
    mediaS3Endpoint?: pulumi.Input<string>;
    /** S3 access key id (mediaHandler s3). */
    mediaS3AccessKeyId?: pulumi.Input<string>;
    /** S3 secret access key (mediaHandler s3; set with --secret). Kept in the config Secret. A secret (refused in plain text). */
    mediaS3SecretAccessKey?: pulumi.Input<string>;
    /** Origins of web clients served from another host, allowed to fetch uploads (cors_origins of the fs/s3 handler), e.g. pulumi config set --path 'tinode:mediaCorsOrigins[0]' https://web.example.com. * alone allows any. */
    mediaCorsOrigins?: pulumi.Input<string[]>;
    /** Run Tinode's metrics exporter (tinode/exporter, Prometheus format on port 6222 "metrics") next to every Tinode node, with a headless Service <name>-metrics. Needed by every other monitoring key. Default: true. */
    monitoringExporter?: pulumi.Input<boolean>;
    /** The exporter's image, pinned; keep it at the server's version. Default: "tinode/exporter:0.25.3". */
    monitoringExporterImage?: pulumi.Input<string>;
    /** Namespace of the Prometheus allowed to scrape the metrics port (NetworkPolicy); * for any namespace. Default: "monitoring". */
    monitoringScrapeNamespace?: pulumi.Input<string>;
    /** One label (key=value) of the Prometheus pods allowed to scrape the metrics port (NetworkPolicy); * for any pod. Default: "app.kubernetes.io/name=prometheus". */
    monitoringScrapePodLabel?: pulumi.Input<string>;
    /** Scrape and rule evaluation interval (1-300 s) of the monitor and rules; the alerts' for durations derive from it and from the failover settings. Default: 30. */
    monitoringScrapeIntervalSeconds?: pulumi.Input<number>;
    /** none, PodMonitor or ServiceMonitor (monitoring.coreos.com/v1, needs the Prometheus Operator's CRDs, e.g. kube-prometheus-stack). Default: "none". */
    monitoringMonitor?: pulumi.Input<string>;
    /** A PrometheusRule with Tinode's alerts (needs the Prometheus Operator's CRDs; the Kubernetes-side alerts need kube-state-metrics). Default: false. */
    monitoringRules?: pulumi.Input<boolean>;
    /** A Grafana dashboard as a ConfigMap labelled grafana_dashboard "1", which Grafana's dashboard sidecar loads. Default: true. */
    monitoringDashboard?: pulumi.Input<boolean>;
    /** Adds the label release=<value> to the monitor and rules, which kube-prometheus-stack's Prometheus selects by default (its Helm release name). */
    monitoringRelease?: pulumi.Input<string>;
    /** A Deployment whose client (the official tinode-sdk) has a session on every Tinode pod and checks each round that every pod delivers to every other; its metrics feed the TinodeDeliveryBroken alert (a split ring looks healthy to the exporter). Makes one account, canary-<stack name>. Default: false. */
    monitoringCanary?: pulumi.Input<boolean>;
    /** The canary's Node.js image (22 or later, for its global WebSocket), pinned. Default: "node:24.11.1-alpine3.22". */
    monitoringCanaryImage?: pulumi.Input<string>;
    /** Seconds between the canary's rounds (5-300); TinodeDeliveryBroken fires after a split has lasted several rounds. Default: 30. */
    monitoringCanaryIntervalSeconds?: pulumi.Input<number>;
}
