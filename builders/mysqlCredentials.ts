import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { InternalMysql, TinodeSettings } from "../config/settings";
import { opaqueSecretArgs } from "./objects";
import { ObjectNames } from "./names";

/** The variables the MySQL image's entrypoint reads on first start. No MYSQL_DATABASE: see mysql.ts. */
export function mysqlCredentialsArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    mysql: InternalMysql,
    passwords: { root: pulumi.Input<string>; user: pulumi.Input<string> },
): k8s.core.v1.SecretArgs {
    return opaqueSecretArgs(instance, s, names.mysqlCredentials, "database", mysql.image, {
        MYSQL_ROOT_PASSWORD: passwords.root,
        MYSQL_USER: mysql.user,
        MYSQL_PASSWORD: passwords.user,
    });
}
