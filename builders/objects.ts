// Two shapes every part of the deployment makes: a volume claim and an Opaque Secret, with the
// component's labels (builders/labels.ts).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { claimLabels, ComponentLabel, objectMeta, ownerAnnotations } from "./labels";
import { CLAIM_AWAIT_ANNOTATIONS } from "./rollout";

/** A volume claim of the component: claim labels (no version), awaited as builders/rollout.ts says. */
export function volumeClaimArgs(
    instance: string,
    s: { namespace: string; owner?: string },
    name: string,
    component: ComponentLabel,
    spec: { accessMode: string; storageClass?: string; storageSize: string },
): k8s.core.v1.PersistentVolumeClaimArgs {
    return {
        metadata: {
            name,
            namespace: s.namespace,
            labels: claimLabels(instance, component),
            annotations: { ...CLAIM_AWAIT_ANNOTATIONS, ...ownerAnnotations(s) },
        },
        spec: {
            accessModes: [spec.accessMode],
            storageClassName: spec.storageClass,
            resources: { requests: { storage: spec.storageSize } },
        },
    };
}

/** An Opaque Secret of the component, its values given as text (stringData). */
export function opaqueSecretArgs(
    instance: string,
    s: { namespace: string },
    name: string,
    component: ComponentLabel,
    image: string,
    stringData: Record<string, pulumi.Input<string>>,
): k8s.core.v1.SecretArgs {
    return { metadata: objectMeta(instance, s, name, component, image), type: "Opaque", stringData };
}
