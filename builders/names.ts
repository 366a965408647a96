// Kubernetes object names, derived from the component's name so two clusters can share a namespace.
// They are fixed (no Pulumi auto-naming suffix) because pod names are Tinode node names.

export interface ObjectNames {
    tinode: string;
    headlessService: string;
    clientService: string;
    config: string;
    disruptionBudget: string;
    mysql: string;
    mysqlCredentials: string;
    mysqlInitScripts: string;
    dbInitJob: string;
    /** Client options (host, user, password) for the schema Job's pre-upgrade dump. */
    dbClient: string;
    /** The volume claim that keeps the dumps taken before a schema upgrade. */
    schemaDumps: string;
    /** The backup CronJob; also its script ConfigMap, credentials Secrets and volume claim, by suffix. */
    backup: string;
    metricsService: string;
    /** PodMonitor or ServiceMonitor, PrometheusRule and the dashboard ConfigMap. */
    monitor: string;
    alertRules: string;
    dashboard: string;
}

export function objectNames(name: string): ObjectNames {
    return {
        tinode: name,
        headlessService: `${name}-cluster`,
        clientService: name,
        config: `${name}-config`,
        disruptionBudget: name,
        mysql: `${name}-mysql`,
        mysqlCredentials: `${name}-mysql-credentials`,
        mysqlInitScripts: `${name}-mysql-init`,
        dbInitJob: `${name}-db-init`,
        dbClient: `${name}-db-client`,
        schemaDumps: `${name}-schema-dumps`,
        backup: `${name}-backup`,
        metricsService: `${name}-metrics`,
        monitor: name,
        alertRules: name,
        dashboard: `${name}-dashboard`,
    };
}

/** The in-cluster DNS name of a Service. */
export function serviceHost(service: string, namespace: string, clusterDomain: string): string {
    return `${service}.${namespace}.svc.${clusterDomain}`;
}
