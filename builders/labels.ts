// Recommended labels (app.kubernetes.io/*). Selectors use only the stable ones: a version label in a
// selector would orphan pods on upgrade.

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

/** The tag of an image reference (or the digest's first hex digits), as a valid label value. */
export function imageVersion(image: string): string {
    const [name, digest] = image.split("@", 2);
    if (digest !== undefined) return digest.replace("sha256:", "").slice(0, 12);
    const tagAt = name.indexOf(":", name.lastIndexOf("/") + 1);
    return tagAt < 0 ? "unknown" : name.slice(tagAt + 1).slice(0, 63);
}
