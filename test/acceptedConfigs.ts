// Stack configs the program accepts, broad enough to cover every option and their combinations.
// test/acceptedConfigs.test.ts runs each through readSettings; `npm run e2e` renders each and has
// the real kube-apiserver validate every object (server-side dry run), so that "accepted by the
// program" and "accepted by Kubernetes" cannot drift apart. Values are config text, as Pulumi passes
// them (structured values as JSON). Each has its own namespace so they can be checked side by side.

const s3 = {
    mediaHandler: "s3",
    mediaS3Bucket: "chat-media",
    mediaS3Region: "eu-west-1",
    mediaS3AccessKeyId: "AKIAEXAMPLE",
    mediaS3SecretAccessKey: "s3cr3t/key+x",
};

export const ACCEPTED_CONFIGS: Record<string, Record<string, string>> = {
    defaults: { namespace: "m-defaults" },
    "single-fs-rwo": {
        namespace: "m-single",
        replicas: "1",
        mediaHandler: "fs",
        mediaAccessMode: "ReadWriteOnce",
        mediaStorageSize: "1.5Gi",
        // Sample users (published passwords) only on a stack nobody outside reaches.
        sampleData: "true",
        imagePullPolicy: "Always",
    },
    "two-external-dsn-s3": {
        namespace: "m-two",
        replicas: "2",
        // A password with '@', ':' and '/': go-sql-driver splits at the last '@' before the last '/'.
        mysqlExternalDsn: "chat:p@ss:w/rd@tcp(mysql.db.svc.cluster.local:3307)/chat?parseTime=true&loc=UTC",
        ...s3,
        mediaS3Endpoint: "http://minio.storage:9000",
        mediaMaxUploadMb: "100",
        networkPolicies: "false",
        networkIsolatedElsewhere: "true",
        serviceType: "NodePort",
        serviceTlsSecret: "chat-node-port-tls",
    },
    "five-external-host-fs-rwx-ingress": {
        namespace: "m-five",
        replicas: "5",
        mysqlExternalHost: "10.0.0.12",
        mysqlExternalPort: "6033",
        mysqlExternalUser: "tinode_app",
        mysqlExternalPassword: "pw@with:odd/chars",
        // TLS with the CA from a Secret, the servers as a user of their own, client tools from a mirror.
        mysqlExternalTls: "true",
        mysqlExternalCaSecret: "db-ca",
        mysqlExternalRuntimeUser: "tinode_rt",
        mysqlExternalRuntimePassword: "rt:pw@/x",
        mysqlExternalClientImage: "registry.example.org/mirror/mysql:8.4.6",
        mediaHandler: "fs",
        mediaStorageClass: "nfs-client",
        ingressHost: "chat.example.com",
        ingressClassName: "nginx",
        ingressClusterIssuer: "letsencrypt-prod",
    },
    // Gateway API routes (HTTPRoute, GRPCRoute) to a Gateway in another namespace, on one listener.
    "gateway-routes": {
        namespace: "m-gateway",
        gatewayName: "public",
        gatewayNamespace: "gateways",
        gatewaySectionName: "https",
        gatewayHost: "chat.example.org",
        gatewayGrpcHost: "grpc.example.org",
    },
    // The stack's own Gateway (two HTTPS listeners, cert-manager's annotation) and both routes on it.
    "gateway-own": {
        namespace: "m-gateway-own",
        gatewayClassName: "traefik",
        gatewayClusterIssuer: "letsencrypt-prod",
        gatewayPort: "8443",
        gatewayHost: "chat.example.org",
        gatewayGrpcHost: "grpc.example.org",
    },
    // The delivery canary's Deployment, ConfigMap (its script and the SDK), Secret and NetworkPolicy
    // (open scrape sources), with resources of its own; twelve pods: node names past ten, computed by
    // the pod's shell (builders/clusterNodes.ts), the canary's and the healer's lists of twelve pods.
    "monitoring-canary": {
        namespace: "m-canary",
        replicas: "12",
        monitoringCanary: "true",
        monitoringCanaryIntervalSeconds: "10",
        monitoringScrapeNamespace: "*",
        monitoringScrapePodLabel: "*",
        resources: JSON.stringify({ canary: { requests: { cpu: "50m" }, limits: { memory: "256Mi" } } }),
    },
    "prod-like": {
        namespace: "m-prod",
        protectData: "true",
        mysqlStorageSize: "50Gi",
        mysqlStorageClass: "fast-ssd",
        ingressHost: "chat.example.org",
        ingressTlsSecret: "chat-tls",
        ingressAnnotations: JSON.stringify({ "haproxy.org/timeout-tunnel": "1h", "traefik.ingress.kubernetes.io/router.tls": "true" }),
        ingressGrpcHost: "grpc.example.org",
        ingressGrpcServiceAnnotations: JSON.stringify({ "traefik.ingress.kubernetes.io/service.serversscheme": "h2c" }),
        priorityClassName: "chat-critical",
        nodeSelector: JSON.stringify({ "kubernetes.io/os": "linux", "node.example.com/pool": "chat_1" }),
        tolerations: JSON.stringify([
            { key: "dedicated", operator: "Equal", value: "chat", effect: "NoSchedule" },
            { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 },
            { operator: "Exists", effect: "PreferNoSchedule" },
        ]),
        resources: JSON.stringify({
            tinode: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
            mysql: {
                requests: { cpu: "1", memory: "2Gi", "ephemeral-storage": "1Gi" },
                limits: { memory: "4Gi", "ephemeral-storage": "8Gi" },
            },
            dbInit: { limits: { cpu: "0.5", memory: "256Mi" } },
        }),
    },
    "tls-upstream-loadbalancer": {
        namespace: "m-upstream",
        ingressHost: "chat.internal.example",
        ingressTlsTerminatedUpstream: "true",
        serviceType: "LoadBalancer",
        serviceTlsTerminatedUpstream: "true",
        serviceAnnotations: JSON.stringify({
            "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
            "traefik.ingress.kubernetes.io/service.sticky.cookie": "true",
        }),
        clusterDomain: `${"k".repeat(63)}.example`,
        heartbeatMs: "250",
        voteAfter: "4",
        nodeFailAfter: "9",
        terminationGracePeriodSeconds: "120",
        ...s3,
    },
    "load-balancer-cert-manager": {
        namespace: "m-lb-issuer",
        serviceType: "LoadBalancer",
        serviceClusterIssuer: "letsencrypt-prod",
        serviceHost: "chat.example.org",
        tlsProxyImage: "registry.example.org/mirror/traefik:v3.7.13",
        resources: JSON.stringify({ tlsProxy: { limits: { memory: "512Mi" } } }),
    },
    "existing-namespace-custom-names": {
        namespace: "m-existing",
        createNamespace: "false",
        image: `tinode/tinode-mysql@sha256:${"0123456789abcdef".repeat(4)}`,
        mysqlImage: "mysql:8.4.6",
        mysqlUser: "chat_user",
        mysqlDatabase: "chat_db",
        apiKeySalt: Buffer.alloc(32, 7).toString("base64"),
    },
    "odd-tags-long-names": {
        // 63 characters: the longest namespace; object names and node addresses must still fit.
        namespace: `m-${"n".repeat(61)}`,
        // A tag Docker accepts that is no valid label value as is.
        image: "tinode/tinode-mysql:0.25.3-",
        mysqlImage: "mysql:8.4.6_",
        replicas: "3",
        mediaHandler: "fs",
        mediaStorageSize: "100G",
    },
};
