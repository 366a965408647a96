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
