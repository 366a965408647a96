// Value checks shared by the stack config reader and the component. Each returns what is wrong
// (phrased to follow the key name) or undefined. Each is the API server's own rule (or MySQL's, or
// Tinode's), so that a value accepted here is not refused later, in the middle of an update.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function checkDnsLabel(v: string): string | undefined {
    return DNS_LABEL.test(v) && v.length <= 63
        ? undefined
        : "must be a DNS label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit";
}

/** A Kubernetes object name (IsDNS1123Subdomain): at most 253 characters of dot-separated lower-case labels. */
export function checkDnsSubdomain(v: string): string | undefined {
    return v.length <= 253 && v.split(".").every((part) => DNS_LABEL.test(part))
        ? undefined
        : "must be a DNS name such as cluster.local: dot-separated lower-case labels";
}

/**
 * A host name that resolvers accept: a DNS subdomain whose labels are at most 63 characters each
 * (RFC 1035; Go's resolver, which Tinode uses, refuses longer labels).
 */
export function checkDnsName(v: string): string | undefined {
    const long = v.split(".").find((part) => part.length > 63);
    if (long !== undefined)
        return `must be a DNS name whose labels are at most 63 characters ("${long.slice(0, 20)}..." has ${long.length})`;
    return checkDnsSubdomain(v);
}

/** An Ingress host (networking/v1 IngressRule.host): a lower-case DNS name with a dot, no wildcard. */
export function checkIngressHost(v: string): string | undefined {
    if (v !== v.toLowerCase()) return `must be lower case (the API server refuses upper-case hosts): use "${v.toLowerCase()}"`;
    const dns = checkDnsName(v);
    if (dns?.includes("at most 63 characters")) return dns;
    return dns === undefined && v.includes(".") ? undefined : "must be a fully qualified host name such as chat.example.com";
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A label key (IsQualifiedName): `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters. */
export function checkLabelKey(k: string): string | undefined {
    const parts = k.split("/");
    const name = parts[parts.length - 1];
    const prefixOk = parts.length === 1 || (parts.length === 2 && parts[0] !== "" && checkDnsSubdomain(parts[0]) === undefined);
    return prefixOk && name.length <= 63 && LABEL_NAME.test(name)
        ? undefined
        : "must be a label key such as kubernetes.io/os: an optional DNS-name prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
}

/** A label value: empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit. */
export function checkLabelValue(v: string): string | undefined {
    return v === "" || (v.length <= 63 && LABEL_NAME.test(v))
        ? undefined
        : "must be a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
}

/** A Kubernetes resource quantity (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/). */
const QUANTITY = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|[KMGTPE]i|[mkMGTPE])?$/;
const DECIMAL_SUFFIX: Record<string, number> = { m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** The exact value of a quantity as a fraction num/den, or undefined when it is not one. */
export function quantityValue(v: string): { num: bigint; den: bigint } | undefined {
    const m = QUANTITY.exec(v);
    if (!m) return undefined;
    const [whole, frac = ""] = m[1].split(".");
    let num = BigInt(`${whole}${frac}` || "0");
    let den = 10n ** BigInt(frac.length);
    const suffix = m[3] ?? "";
    // An exponent is e or E with digits; E alone is exa (10^18), Ei exbi (2^60).
    const exp10 = /^[eE][-+]?[0-9]+$/.test(suffix) ? Number(suffix.slice(1)) : (DECIMAL_SUFFIX[suffix] ?? 0);
    // Kubernetes keeps quantities in int64 milli-units: far smaller exponents than these are refused there too.
    if (Math.abs(exp10) > 30 || whole.length + frac.length > 40) return undefined;
    if (BINARY_SUFFIX[suffix] !== undefined) num *= 2n ** BigInt(BINARY_SUFFIX[suffix]);
    if (exp10 >= 0) num *= 10n ** BigInt(exp10);
    else den *= 10n ** BigInt(-exp10);
    return { num, den };
}

/** a <= b for two valid quantities. */
export function quantityAtMost(a: string, b: string): boolean {
    const [x, y] = [quantityValue(a), quantityValue(b)];
    if (x === undefined || y === undefined) return true;
    return x.num * y.den <= y.num * x.den;
}

/** The largest value a Kubernetes quantity holds (an int64; the API server refuses more). */
const QUANTITY_MAX = 2n ** 63n - 1n;

export function checkQuantity(v: string): string | undefined {
    const q = quantityValue(v);
    if (q === undefined || q.num <= 0n) return "must be a positive Kubernetes quantity such as 10Gi, 512Mi or 250m";
    return q.num <= QUANTITY_MAX * q.den ? undefined : "is larger than a Kubernetes quantity holds (2^63-1)";
}

/**
 * An amount of bytes (memory, storage): a positive quantity that is a whole number of bytes.
 * `512m` is 0.512 bytes, which the API server flags and no container can run in.
 */
export function checkByteQuantity(v: string): string | undefined {
    const wrong = checkQuantity(v);
    if (wrong !== undefined) return wrong;
    const q = quantityValue(v)!;
    return q.num % q.den === 0n
        ? undefined
        : "must be a whole number of bytes such as 512Mi or 10Gi ('m' means 1/1000: 512m is half a byte)";
}

// The image reference grammar of distribution/reference (regexp.go), which the kubelet parses with
// (InvalidImageName otherwise): [domain[:port]/]path[:tag][@digest], the path in lower case.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const IMAGE_NAME = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const IMAGE_TAG = /^[\w][\w.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * An image reference split as distribution/reference does: [name][:tag][@digest], the tag's ':' being
 * the first after the last '/' (a registry port's ':' comes before it). No validation: see checkPinnedImage.
 */
export function splitImageRef(image: string): { name: string; tag?: string; digest?: string } {
    const at = image.indexOf("@");
    const [named, digest] = at < 0 ? [image, undefined] : [image.slice(0, at), image.slice(at + 1)];
    const tagAt = named.indexOf(":", named.lastIndexOf("/") + 1);
    return tagAt < 0 ? { name: named, digest } : { name: named.slice(0, tagAt), tag: named.slice(tagAt + 1), digest };
}

/**
 * Images must be pinned: a tag other than `latest`, or a digest. A moving tag would let two pods of
 * one cluster run different Tinode versions and would skip the schema upgrade Job. The reference
 * must be one the kubelet can parse (the API server does not check it).
 */
export function checkPinnedImage(v: string): string | undefined {
    const form = "must be an image reference such as registry.example.com/repo/name:1.2.3 (the path in lower case)";
    const { name, tag, digest } = splitImageRef(v);
    if (name.length === 0 || name.length > 255 || !IMAGE_NAME.test(name)) return form;
    if (digest !== undefined) return IMAGE_DIGEST.test(digest) ? undefined : "has a malformed digest: use @sha256:<64 hex digits>";
    if (tag === undefined || tag === "" || tag === "latest") {
        return "must be pinned to a version tag (not latest) or a digest, e.g. repo/name:1.2.3";
    }
    return IMAGE_TAG.test(tag)
        ? undefined
        : "has a malformed tag: letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-'";
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

/**
 * The URL of an S3 server: http(s), a host and a usable port, no credentials and no path (requests
 * are path-style: the bucket becomes the path). Parsed as Node and Go parse it.
 */
export function checkHttpUrl(v: string): string | undefined {
    const wrong = "must be an http(s) URL of the server, without a path, such as https://s3.example.com or http://minio.storage:9000";
    let url: URL;
    try {
        url = new URL(v);
    } catch {
        return `${wrong} (ports 1-65535)`;
    }
    if (!["http:", "https:"].includes(url.protocol) || url.hostname === "" || /\s/.test(v)) return wrong;
    if (url.port === "0") return `${wrong} (ports 1-65535)`;
    if (url.username !== "" || url.password !== "") return "must not carry credentials: they have keys of their own";
    if (url.pathname !== "/" || url.search !== "" || url.hash !== "") return wrong;
    return undefined;
}

/** S3 bucket naming rules (AWS; S3-compatible servers accept these too). */
export function checkS3Bucket(v: string): string | undefined {
    return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes("..")
        ? undefined
        : "must be an S3 bucket name: 3-63 lower-case letters, digits, '.' and '-'";
}

export function checkS3Region(v: string): string | undefined {
    return /^[a-z0-9-]{2,32}$/.test(v) ? undefined : "must be a region name such as eu-central-1";
}

/** An access key id: printable, no spaces (AWS ids are 16-128 letters and digits; other servers differ). */
export function checkAccessKeyId(v: string): string | undefined {
    return /^[\x21-\x7e]{1,128}$/.test(v) ? undefined : "must be an access key id: 1-128 printable characters without spaces";
}

/** The port an http(s) URL connects to (checked by checkHttpUrl first). */
export function urlPort(v: string): number {
    const url = new URL(v);
    return url.port ? Number(url.port) : url.protocol === "http:" ? 80 : 443;
}

const TOLERATION_FIELDS = ["key", "operator", "value", "effect", "tolerationSeconds"];
const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/**
 * The API server's rules for one toleration (ValidateTolerations in kubernetes pkg/apis/core/validation):
 * returns [field or "" for the whole toleration, what is wrong, the value] for each problem.
 */
export function tolerationProblems(t: unknown): [string, string, unknown][] {
    if (t === null || typeof t !== "object" || Array.isArray(t)) return [["", "must be an object with key, operator, value, effect", t]];
    const o = t as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !TOLERATION_FIELDS.includes(k));
    if (unknown.length > 0) return [["", `has unknown fields ${unknown.join(", ")}: use ${TOLERATION_FIELDS.join(", ")}`, undefined]];
    const problems: [string, string, unknown][] = [];
    const str = (field: string): string | undefined => {
        const v = o[field];
        if (v === undefined || typeof v === "string") return v;
        problems.push([field, "must be text", v]);
        return undefined;
    };
    const [key = "", op = "", value = "", effect = ""] = ["key", "operator", "value", "effect"].map(str);
    // An empty operator means Equal.
    const operator = op === "" ? "Equal" : op;
    if (key !== "") {
        const wrong = checkLabelKey(key);
        if (wrong !== undefined) problems.push(["key", wrong, key]);
    }
    if (!["Exists", "Equal"].includes(operator)) problems.push(["operator", "must be Exists or Equal", operator]);
    else if (key === "" && operator !== "Exists")
        problems.push(["operator", "must be Exists when key is empty (a toleration without a key matches every taint)", operator]);
    else if (operator === "Exists" && value !== "")
        problems.push(["value", "must be empty when operator is Exists: remove it, or use Equal", value]);
    else if (operator === "Equal") {
        const wrong = checkLabelValue(value);
        if (wrong !== undefined) problems.push(["value", wrong, value]);
    }
    if (effect !== "" && !TAINT_EFFECTS.includes(effect))
        problems.push(["effect", `must be ${TAINT_EFFECTS.join(", ").replace(/, (?=[^,]*$)/, " or ")}`, effect]);
    const seconds = tolerationSeconds(o.tolerationSeconds);
    if (o.tolerationSeconds !== undefined) {
        if (seconds === undefined) problems.push(["tolerationSeconds", "must be a whole number of seconds", o.tolerationSeconds]);
        else if (effect !== "NoExecute")
            problems.push([
                "tolerationSeconds",
                "is allowed only with effect NoExecute (it bounds how long a pod stays after such a taint)",
                seconds,
            ]);
    }
    return problems;
}

/** tolerationSeconds as a number: `pulumi config set --path` may store it as text. */
export function tolerationSeconds(v: unknown): number | undefined {
    const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
    return typeof n === "number" && Number.isSafeInteger(n) ? n : undefined;
}
