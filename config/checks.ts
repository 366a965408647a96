// Value checks shared by the stack config reader and the component. Each returns what is wrong
// (phrased to follow the key name) or undefined.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function checkDnsLabel(v: string): string | undefined {
    return DNS_LABEL.test(v) && v.length <= 63
        ? undefined
        : "must be a DNS label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit";
}

export function checkDnsSubdomain(v: string): string | undefined {
    return v.length <= 253 && v.split(".").every((part) => DNS_LABEL.test(part))
        ? undefined
        : "must be a DNS name such as cluster.local: dot-separated lower-case labels";
}

/** A Kubernetes resource quantity (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/). */
const QUANTITY = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|[KMGTPE]i|[mkMGTPE])?$/;

export function checkQuantity(v: string): string | undefined {
    return QUANTITY.test(v) && Number.parseFloat(v) > 0 ? undefined : "must be a positive Kubernetes quantity such as 10Gi, 512Mi or 250m";
}

/**
 * Images must be pinned: a tag other than `latest`, or a digest. A moving tag would let two pods of
 * one cluster run different Tinode versions and would skip the schema upgrade Job.
 */
export function checkPinnedImage(v: string): string | undefined {
    if (/\s/.test(v) || v.length === 0) return "must be an image reference such as repo/name:1.2.3";
    const [name, digest] = v.split("@", 2);
    if (digest !== undefined) {
        return /^sha256:[a-f0-9]{64}$/.test(digest) ? undefined : "has a malformed digest: use @sha256:<64 hex digits>";
    }
    const tagAt = name.indexOf(":", name.lastIndexOf("/") + 1);
    const tag = tagAt < 0 ? "" : name.slice(tagAt + 1);
    if (tag === "" || tag === "latest") {
        return "must be pinned to a version tag (not latest) or a digest, e.g. repo/name:1.2.3";
    }
    return /^[\w][\w.-]{0,127}$/.test(tag) ? undefined : "has a malformed tag";
}

/** Standard base64 with padding that decodes to exactly `bytes` bytes (Go []byte fields in tinode.conf). */
export function checkBase64Bytes(bytes: number): (v: string) => string | undefined {
    return (v) => {
        const ok = /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0 && Buffer.from(v, "base64").length === bytes;
        return ok
            ? undefined
            : `must be standard base64 (with padding) of exactly ${bytes} bytes, e.g. from: openssl rand -base64 ${bytes}`;
    };
}

export function checkHostname(v: string): string | undefined {
    return /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(v) && v.length <= 253 ? undefined : "must be a host name or IP address";
}
