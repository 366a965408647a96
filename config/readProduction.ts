// Stack config for what a production cluster adds: ingress, media storage and scheduling.
import { checkDnsSubdomain, checkQuantity } from "./checks";
import { DEFAULTS } from "./defaults";
import { ConfigReader } from "./reader";
import { IngressSettings, MediaSettings, SchedulingSettings, Toleration } from "./settings";

const INGRESS_DETAIL_KEYS = ["ingressClassName", "ingressTlsSecret", "ingressClusterIssuer"];

export function readIngress(r: ConfigReader): IngressSettings | undefined {
    const host = r.optionalString("ingressHost", (v) =>
        checkDnsSubdomain(v.toLowerCase()) === undefined && v.includes(".")
            ? undefined
            : "must be a fully qualified host name such as chat.example.com",
    );
    const className = r.optionalString("ingressClassName", checkDnsSubdomain);
    const tlsSecret = r.optionalString("ingressTlsSecret", checkDnsSubdomain);
    const clusterIssuer = r.optionalString("ingressClusterIssuer", checkDnsSubdomain);
    if (!r.isSet("ingressHost")) {
        for (const key of INGRESS_DETAIL_KEYS) {
            if (r.isSet(key)) r.problem(key, `needs ${r.fullKey("ingressHost")}: set the host, or remove this key`);
        }
        return undefined;
    }
    if (host === undefined) return undefined;
    // cert-manager writes the certificate into a Secret; give it a name when the user did not.
    return { host, className, tlsSecret: tlsSecret ?? (clusterIssuer ? "tinode-tls" : undefined), clusterIssuer };
}

const FS_KEYS = { mediaStorageSize: DEFAULTS.mediaStorageSize, mediaStorageClass: "", mediaAccessMode: DEFAULTS.mediaAccessMode };
const S3_KEYS = { mediaS3Bucket: "", mediaS3Region: "", mediaS3Endpoint: "", mediaS3AccessKeyId: "", mediaS3SecretAccessKey: "" };

export function readMedia(r: ConfigReader, replicas: number): MediaSettings {
    const handler = r.oneOf<"none" | "fs" | "s3">("mediaHandler", DEFAULTS.mediaHandler, ["none", "fs", "s3"]);
    const maxUploadBytes = r.integer("mediaMaxUploadMb", DEFAULTS.mediaMaxUploadMb, 1, 4096) * 1024 * 1024;
    const unused = (keys: Record<string, string>, why: string) => {
        for (const [key, fallback] of Object.entries(keys)) {
            if (r.isChanged(key, fallback)) r.problem(key, why);
        }
    };
    const notFor = (h: string) => `does nothing unless ${r.fullKey("mediaHandler")} is ${h}: set that, or remove this key`;
    if (handler !== "fs") unused(FS_KEYS, notFor("fs"));
    if (handler !== "s3") unused(S3_KEYS, notFor("s3"));
    if (handler === "none") {
        if (r.isChanged("mediaMaxUploadMb", DEFAULTS.mediaMaxUploadMb)) r.problem("mediaMaxUploadMb", notFor("fs or s3"));
        return { handler };
    }
    if (handler === "fs") {
        const accessMode = r.oneOf<"ReadWriteMany" | "ReadWriteOnce">("mediaAccessMode", DEFAULTS.mediaAccessMode, [
            "ReadWriteMany",
            "ReadWriteOnce",
        ]);
        if (accessMode === "ReadWriteOnce" && replicas > 1) {
            r.problem(
                "mediaAccessMode",
                `is ReadWriteOnce, which ${replicas} Tinode nodes cannot share: use ReadWriteMany (with a storage class that offers it), tinode:mediaHandler s3, or tinode:replicas 1`,
            );
        }
        return {
            handler,
            maxUploadBytes,
            accessMode,
            storageSize: r.string("mediaStorageSize", DEFAULTS.mediaStorageSize, checkQuantity),
            storageClass: r.optionalString("mediaStorageClass", checkDnsSubdomain),
        };
    }
    const required = (key: string, secret = false) => {
        const v = r.optionalString(key, undefined, secret);
        if (v === undefined) r.problem(key, `is required with ${r.fullKey("mediaHandler")} s3${secret ? " (set it with --secret)" : ""}`);
        return v ?? "";
    };
    return {
        handler,
        maxUploadBytes,
        bucket: required("mediaS3Bucket"),
        region: required("mediaS3Region"),
        endpoint: r.optionalString("mediaS3Endpoint", (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : "must be an http(s) URL")),
        accessKeyId: required("mediaS3AccessKeyId"),
        secretAccessKey: required("mediaS3SecretAccessKey", true),
    };
}

const TOLERATION_FIELDS = ["key", "operator", "value", "effect", "tolerationSeconds"];

export function readScheduling(r: ConfigReader): SchedulingSettings {
    const nodeSelector: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.object("nodeSelector") ?? {})) {
        if (typeof v !== "string" || !/^([a-z0-9.-]+\/)?[A-Za-z0-9._-]{1,63}$/.test(k)) {
            r.problem(`nodeSelector.${k}`, "must be a label key with a text value, e.g. kubernetes.io/os: linux", JSON.stringify(v));
        } else nodeSelector[k] = v;
    }
    const tolerations: Toleration[] = [];
    (r.array("tolerations") ?? []).forEach((t, i) => {
        const path = `tolerations[${i}]`;
        if (t === null || typeof t !== "object" || Array.isArray(t)) {
            r.problem(path, "must be an object with key, operator, value, effect", JSON.stringify(t));
            return;
        }
        const unknown = Object.keys(t).filter((k) => !TOLERATION_FIELDS.includes(k));
        const tol = t as Toleration;
        if (unknown.length > 0) r.problem(path, `has unknown fields ${unknown.join(", ")}: use ${TOLERATION_FIELDS.join(", ")}`);
        else if (tol.operator !== undefined && !["Exists", "Equal"].includes(tol.operator))
            r.problem(`${path}.operator`, "must be Exists or Equal", String(tol.operator));
        else if (tol.effect !== undefined && !["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(tol.effect)) {
            r.problem(`${path}.effect`, "must be NoSchedule, PreferNoSchedule or NoExecute", String(tol.effect));
        } else tolerations.push(tol);
    });
    return {
        priorityClassName: r.optionalString("priorityClassName", checkDnsSubdomain),
        nodeSelector,
        tolerations,
    };
}
