// Recommended labels (app.kubernetes.io/*). Selectors use only the stable ones: a version label in a
// selector would orphan pods on upgrade.
import { checkLabelValue, splitImageRef } from "../config/checks";
import { OWNER_ANNOTATION } from "../config/clusterOwners";

/** The value of app.kubernetes.io/component: which part of the deployment an object belongs to. */
export type ComponentLabel = "server" | "database" | "db-init" | "backup" | "canary" | "healer";

export function selectorLabels(instance: string, component: ComponentLabel): Record<string, string> {
    return {
        "app.kubernetes.io/name": component === "database" ? "mysql" : "tinode",
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/component": component,
    };
}

export function labels(instance: string, component: ComponentLabel, image: string): Record<string, string> {
    return {
        ...selectorLabels(instance, component),
        "app.kubernetes.io/part-of": "tinode",
        "app.kubernetes.io/managed-by": "pulumi",
        "app.kubernetes.io/version": imageVersion(image),
    };
}

/**
 * The tag of an image reference (or the digest's first hex digits), as a valid label value: an image
 * tag may be 128 characters and start or end with '_', '.' or '-', which a label value may not.
 */
export function imageVersion(image: string): string {
    const { tag, digest } = splitImageRef(image);
    if (digest !== undefined) return digest.replace("sha256:", "").slice(0, 12);
    const version = (tag ?? "").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
    return version !== "" && checkLabelValue(version) === undefined ? version : "unknown";
}

/**
 * Labels of a volume claim: no version label. A claim outlives every image it served, and a label
 * that changes with the image would update the claim on every upgrade for nothing.
 */
export function claimLabels(instance: string, component: ComponentLabel): Record<string, string> {
    return {
        ...selectorLabels(instance, component),
        "app.kubernetes.io/part-of": "tinode",
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** The metadata block of a namespaced object of the component: its name, namespace and labels. */
export function objectMeta(
    instance: string,
    s: { namespace: string },
    name: string,
    component: ComponentLabel,
    image: string,
): { name: string; namespace: string; labels: Record<string, string> } {
    return { name, namespace: s.namespace, labels: labels(instance, component, image) };
}

/**
 * The owner annotation, for the namespace and the data claims. Another stack applying the same
 * object sets this field to its own name, which server-side apply refuses as a conflict with this
 * stack's field manager when it creates the object (not at preview: pulumi-kubernetes 4.25 dry-runs
 * creates with force, provider/pkg/await/await.go patchForce). Every other object waits for the
 * namespace, so a second stack stops before it applies anything, and its destroy deletes none of them.
 * A stack that was never deployed is refused earlier, at preview, by config/clusterOwners.ts.
 */
export function ownerAnnotations(s: { owner?: string }): Record<string, string> {
    return s.owner ? { [OWNER_ANNOTATION]: s.owner } : {};
}
