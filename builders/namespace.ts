import * as k8s from "@pulumi/kubernetes";
import { TinodeSettings } from "../config/settings";
import { ownerAnnotations } from "./labels";

/** Pod Security Admission enforces "restricted": every workload here is built to pass it. */
export function namespaceArgs(s: Pick<TinodeSettings, "namespace" | "owner">): k8s.core.v1.NamespaceArgs {
    return {
        metadata: {
            name: s.namespace,
            annotations: ownerAnnotations(s),
            labels: {
                "app.kubernetes.io/part-of": "tinode",
                "app.kubernetes.io/managed-by": "pulumi",
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
            },
        },
    };
}
