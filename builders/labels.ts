// Recommended labels (app.kubernetes.io/*). Selectors use only the stable ones: a version label in a
// selector would orphan pods on upgrade.
import { checkLabelValue } from "../config/checks";

export type Component = "server" | "database" | "db-init" | "backup";

export function selectorLabels(instance: string, component: Component): Record<string, string> {
    return {
        "app.kubernetes.io/name": component === "database" ? "mysql" : "tinode",
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/component": component,
    };
}

export function labels(instance: string, component: Component, image: string): Record<string, string> {
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
    const [name, digest] = image.split("@", 2);
    if (digest !== undefined) return digest.replace("sha256:", "").slice(0, 12);
    const tagAt = name.indexOf(":", name.lastIndexOf("/") + 1);
    const version = (tagAt < 0 ? "" : name.slice(tagAt + 1).slice(0, 63)).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
    return version !== "" && checkLabelValue(version) === undefined ? version : "unknown";
}

/**
 * Labels of a volume claim: no version label. A claim outlives every image it served, and a label
 * that changes with the image would update the claim on every upgrade for nothing.
 */
export function claimLabels(instance: string, component: Component): Record<string, string> {
    return {
        ...selectorLabels(instance, component),
        "app.kubernetes.io/part-of": "tinode",
        "app.kubernetes.io/managed-by": "pulumi",
    };
}
