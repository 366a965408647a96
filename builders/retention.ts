// What a `pulumi destroy` (or a replacement) leaves in the cluster. Two levels:
//   keep      protectData: Pulumi refuses to delete MySQL, its credentials, the generated keys, the
//             namespace and the claims, and leaves them in the cluster on destroy;
//   keepData  the data itself (namespace, the claims of uploads, backups and schema dumps, the
//             Secrets with the passwords and the UID key) stays in the cluster on destroy unless the
//             stack opts in with deleteDataOnDestroy, as `helm uninstall` keeps a StatefulSet's
//             claims. Rendered files hold no data: a rendering stack keeps nothing.
// MySQL's own claim (data-<name>-mysql-0) is the StatefulSet controller's, not Pulumi's: the
// controller keeps it when the StatefulSet goes (persistentVolumeClaimRetentionPolicy Retain), and
// the namespace kept around it keeps it from being deleted with the namespace.
import * as pulumi from "@pulumi/pulumi";
import { TinodeSettings } from "../config/settings";
import { ObjectNames } from "./names";

export interface Retention {
    keep: pulumi.CustomResourceOptions;
    keepData: pulumi.CustomResourceOptions;
}

export function retention(s: Pick<TinodeSettings, "protectData" | "renderYamlTo" | "deleteDataOnDestroy">): Retention {
    const keep: pulumi.CustomResourceOptions = s.protectData ? { protect: true, retainOnDelete: true } : {};
    const keepData: pulumi.CustomResourceOptions =
        s.protectData || s.renderYamlTo || s.deleteDataOnDestroy ? keep : { retainOnDelete: true };
    return { keep, keepData };
}

type KeptSettings = Pick<
    TinodeSettings,
    "protectData" | "renderYamlTo" | "deleteDataOnDestroy" | "createNamespace" | "namespace" | "mysql" | "media" | "backup"
>;

/**
 * What `pulumi destroy` leaves in the cluster and the command that deletes it: a stack output, which
 * every `pulumi up` prints and `pulumi stack output` gives. (Destroy runs no program and, in pulumi
 * 3.248, lists the outputs it removes only for a stack without components: it marks each kept
 * object `[retain]` instead.)
 */
export function keptOnDestroy(instance: string, names: ObjectNames, s: KeptSettings): string {
    if (s.renderYamlTo) return "nothing: this stack renders files and holds no data";
    const internal = s.mysql.kind === "internal";
    const ns = s.namespace;
    if (s.deleteDataOnDestroy && !s.protectData) {
        if (s.createNamespace) return `nothing: deleteDataOnDestroy deletes namespace ${ns} with the data in it`;
        // The StatefulSet controller keeps MySQL's claim (Retain) whatever Pulumi deletes.
        return internal
            ? `claim ${names.mysqlData} in namespace ${ns} (the StatefulSet controller keeps it); delete it with: kubectl delete pvc -n ${ns} ${names.mysqlData}`
            : "nothing: deleteDataOnDestroy deletes the claims and Secrets with the stack";
    }
    const claims = [
        internal ? names.mysqlData : undefined,
        s.media.handler === "fs" ? names.media : undefined,
        s.backup?.destination.kind === "volume" ? names.backupClaim : undefined,
        names.schemaDumps,
    ].filter((c): c is string => c !== undefined);
    const secrets = internal ? [names.config, names.mysqlCredentials] : [names.config];
    const what = `${s.createNamespace ? `namespace ${ns} with ` : ""}claims ${claims.join(", ")} and Secrets ${secrets.join(", ")} (passwords, UID key)`;
    const remove = s.createNamespace
        ? `kubectl delete namespace ${ns}`
        : `kubectl delete pvc,secret -n ${ns} -l app.kubernetes.io/instance=${instance}`;
    const kept = `kept in the cluster: ${what}; to take them over again: scripts/adopt-kept-data.sh; to delete them: ${remove}`;
    return s.protectData ? `protectData: pulumi destroy refuses until \`pulumi state unprotect --all\`, then ${kept}` : kept;
}
