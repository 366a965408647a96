// Every name the component gives: Kubernetes objects, and the Pulumi resources that make them.
// Object names derive from the component's name so two clusters can share a namespace. They are
// fixed (no Pulumi auto-naming suffix) because pod names are Tinode node names.
//
// The rule for Pulumi resource names: a resource that makes a Kubernetes object the component names
// is called by that object's name (the Service `tinode-cluster` is the resource `tinode-cluster`;
// resources of different types may share a name). Resources without an object name of their own
// (the namespace, named by settings; generated keys and passwords; the render provider; the claim
// size patch) are `<component>-<purpose>`, listed in ResourceNames. Names that changed under this rule
// keep their old name as an alias (formerResourceNames), so existing stacks are not replaced.

export interface ObjectNames {
    tinode: string;
    headlessService: string;
    clientService: string;
    /** tinode.conf with the schema owner's DSN and the UID key: the schema Job's, kept with the data. */
    config: string;
    /** tinode.conf with the servers' DSN (the deployed MySQL's runtime user), and its files: the servers'. */
    serverConfig: string;
    disruptionBudget: string;
    mysql: string;
    mysqlCredentials: string;
    mysqlInitScripts: string;
    /** The deployed MySQL's init file that makes the servers' user (builders/mysqlRuntimeUser.ts). */
    mysqlRuntimeUser: string;
    dbInitJob: string;
    /** Client options (host, user, password) for the schema Job's pre-upgrade dump. */
    dbClient: string;
    /** The volume claim that keeps the dumps taken before a schema upgrade or a MySQL upgrade. */
    schemaDumps: string;
    /** The Job that dumps the database before the deployed MySQL moves to a newer release (with a hash suffix). */
    mysqlUpgradeDump: string;
    /** The backup CronJob; also its script ConfigMap, credentials Secrets and volume claim, by suffix. */
    backup: string;
    /** The media volume claim (mediaHandler fs). */
    media: string;
    /** The claim the MySQL StatefulSet makes for its first pod (volumeClaimTemplates `data`). */
    mysqlData: string;
    /** The HTTP/websocket Ingress and the gRPC one, and the Service of the gRPC port the latter routes to. */
    ingress: string;
    grpcIngress: string;
    grpcService: string;
    /** The Gateway API routes: HTTPRoute (HTTP/websocket/long polling) and GRPCRoute. */
    httpRoute: string;
    grpcRoute: string;
    /** The stack's own Gateway (gatewayClassName), and the TLS Secret cert-manager fills for it. */
    gateway: string;
    gatewayTls: string;
    /** The TLS Secret cert-manager fills when ingressClusterIssuer is set without ingressTlsSecret. */
    tls: string;
    /** The TLS proxy's config (serviceTlsSecret or serviceClusterIssuer: builders/tlsProxy.ts). */
    tlsProxy: string;
    /** The Certificate for serviceHost (serviceClusterIssuer), and the Secret cert-manager fills for it. */
    serviceTls: string;
    serverPolicy: string;
    mysqlPolicy: string;
    dbInitPolicy: string;
    backupPolicy: string;
    backupScript: string;
    backupS3: string;
    backupMysql: string;
    backupClaim: string;
    metricsService: string;
    /** PodMonitor or ServiceMonitor, PrometheusRule and the dashboard ConfigMap. */
    monitor: string;
    alertRules: string;
    dashboard: string;
    /** The delivery canary: its Deployment, ConfigMap (script and SDK), Secret, NetworkPolicy and PodMonitor. */
    canary: string;
    /** The self-healer: its Deployment, ConfigMap (script), ServiceAccount, Role, RoleBinding and NetworkPolicy. */
    healer: string;
}

export function objectNames(name: string): ObjectNames {
    return {
        tinode: name,
        headlessService: `${name}-cluster`,
        clientService: name,
        config: `${name}-config`,
        serverConfig: `${name}-server-config`,
        disruptionBudget: name,
        mysql: `${name}-mysql`,
        mysqlCredentials: `${name}-mysql-credentials`,
        mysqlInitScripts: `${name}-mysql-init`,
        mysqlRuntimeUser: `${name}-mysql-runtime-user`,
        dbInitJob: `${name}-db-init`,
        dbClient: `${name}-db-client`,
        schemaDumps: `${name}-schema-dumps`,
        mysqlUpgradeDump: `${name}-mysql-upgrade-dump`,
        backup: `${name}-backup`,
        media: `${name}-media`,
        mysqlData: `data-${name}-mysql-0`,
        ingress: name,
        grpcIngress: `${name}-grpc`,
        grpcService: `${name}-grpc`,
        httpRoute: name,
        grpcRoute: `${name}-grpc`,
        gateway: name,
        gatewayTls: `${name}-gateway-tls`,
        tls: `${name}-tls`,
        tlsProxy: `${name}-tls-proxy`,
        serviceTls: `${name}-service-tls`,
        serverPolicy: `${name}-server`,
        mysqlPolicy: `${name}-mysql`,
        dbInitPolicy: `${name}-db-init`,
        backupPolicy: `${name}-backup`,
        backupScript: `${name}-backup-script`,
        backupS3: `${name}-backup-s3`,
        backupMysql: `${name}-backup-mysql`,
        backupClaim: `${name}-backups`,
        metricsService: `${name}-metrics`,
        monitor: name,
        alertRules: name,
        dashboard: `${name}-dashboard`,
        canary: `${name}-canary`,
        healer: `${name}-healer`,
    };
}

/** The volume claims that hold data (what another stack must not take over, what destroy keeps). */
export function dataClaimNames(names: ObjectNames): string[] {
    return [names.mysqlData, names.media, names.backupClaim, names.schemaDumps];
}

/** The Pulumi names of resources that make no object the component names. */
export interface ResourceNames {
    namespace: string;
    renderProvider: string;
    tokenKey: string;
    uidKey: string;
    mysqlRootPassword: string;
    mysqlUserPassword: string;
    mysqlRuntimePassword: string;
    mysqlDataSize: string;
    canaryPassword: string;
}

export function resourceNames(name: string): ResourceNames {
    return {
        namespace: `${name}-namespace`,
        renderProvider: `${name}-render`,
        tokenKey: `${name}-token-key`,
        uidKey: `${name}-uid-key`,
        mysqlRootPassword: `${name}-mysql-root-password`,
        mysqlUserPassword: `${name}-mysql-tinode-password`,
        mysqlRuntimePassword: `${name}-mysql-runtime-password`,
        mysqlDataSize: `${name}-mysql-data-size`,
        canaryPassword: `${name}-canary-password`,
    };
}

/**
 * Pulumi names that resources had before the rule above, by object: the component passes each as an
 * alias, so a stack deployed before sees the same resources (no replacement, no delete).
 */
export function formerResourceNames(name: string): Partial<Record<keyof ObjectNames, string>> {
    return {
        tinode: `${name}-tinode`,
        headlessService: `${name}-headless`,
        clientService: `${name}-client`,
        disruptionBudget: `${name}-pdb`,
        ingress: `${name}-ingress`,
        grpcIngress: `${name}-ingress-grpc`,
        serverPolicy: `${name}-netpol-server`,
        mysqlPolicy: `${name}-netpol-mysql`,
        dbInitPolicy: `${name}-netpol-db-init`,
        backupPolicy: `${name}-netpol-backup`,
        monitor: `${name}-monitor`,
        alertRules: `${name}-alert-rules`,
    };
}

/**
 * The TLS Secret of the gRPC Ingress. With cert-manager each Ingress gets its own certificate (two
 * Ingresses naming one Secret would make cert-manager fight over it); a certificate the operator
 * provides must name both hosts.
 */
export function grpcTlsSecretName(httpSecret: string, byCertManager: boolean): string {
    return byCertManager ? `${httpSecret}-grpc` : httpSecret;
}

/** The in-cluster DNS name of a Service. */
export function serviceHost(service: string, namespace: string, clusterDomain: string): string {
    return `${service}.${namespace}.svc.${clusterDomain}`;
}
