// The MySQL a TinodeCluster runs when no external one is configured: generated passwords, a
// credentials Secret, the grant script, a headless Service and a StatefulSet with its volume.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { PORTS } from "../config/defaults";
import { InternalMysql, TinodeSettings } from "../config/settings";
import { DatabaseTarget } from "../builders/dbInitJob";
import { formatDsn } from "../builders/dsn";
import { mysqlCredentialsArgs } from "../builders/mysqlCredentials";
import { mysqlInitScriptsArgs, mysqlServiceArgs, mysqlStatefulSetArgs } from "../builders/mysql";
import { ObjectNames, serviceHost } from "../builders/names";

/** Where Tinode's database is, and what must be up before the schema Job runs. */
export interface Database {
    dsn: pulumi.Output<string>;
    target: DatabaseTarget;
    ready: pulumi.Resource[];
    statefulSet?: k8s.apps.v1.StatefulSet;
}

/** How the component's children are made: its options, and the ones that keep data. */
export interface ChildContext {
    parent: pulumi.Resource;
    child: (dependsOn?: pulumi.Resource[]) => pulumi.CustomResourceOptions;
    keep: pulumi.CustomResourceOptions;
}

export function deployMysql(ctx: ChildContext, name: string, names: ObjectNames, s: TinodeSettings, m: InternalMysql): Database {
    const { child, keep } = ctx;
    // Alphanumeric: the password goes into a DSN, where some punctuation would need escaping.
    const password = (suffix: string) =>
        new random.RandomPassword(`${name}-mysql-${suffix}-password`, { length: 32, special: false }, { parent: ctx.parent, ...keep })
            .result;
    const rootPassword = password("root");
    const userPassword = password("tinode");

    const credentials = new k8s.core.v1.Secret(
        `${name}-mysql-credentials`,
        mysqlCredentialsArgs(name, names, s, m, { root: rootPassword, user: userPassword }),
        { ...child(), ...keep },
    );
    const initScripts = new k8s.core.v1.ConfigMap(`${name}-mysql-init`, mysqlInitScriptsArgs(name, names, s, m), child());
    const service = new k8s.core.v1.Service(`${name}-mysql`, mysqlServiceArgs(name, names, s, m), child());
    const statefulSet = new k8s.apps.v1.StatefulSet(`${name}-mysql`, mysqlStatefulSetArgs(name, names, s, m), {
        ...child([credentials, initScripts, service]),
        ...keep,
    });
    const target = { host: serviceHost(names.mysql, s.namespace, s.clusterDomain), port: PORTS.mysql, database: m.database };
    const dsn = pulumi.secret(userPassword.apply((pw) => formatDsn({ user: m.user, password: pw, ...target })));
    return { dsn, target, ready: [statefulSet], statefulSet };
}
