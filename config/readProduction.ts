// Stack config for what a production cluster adds: ingress, media storage and scheduling.
import {
    checkAccessKeyId,
    checkByteQuantity,
    checkDnsSubdomain,
    checkHttpUrl,
    checkIngressHost,
    checkLabelKey,
    checkLabelValue,
    tolerationProblems,
    checkS3Bucket,
    checkS3Region,
    tolerationSeconds,
} from "./checks";
import { DEFAULTS } from "./defaults";
import { ConfigReader } from "./reader";
import { IngressSettings, MediaSettings, SchedulingSettings, Toleration } from "./settings";

const INGRESS_DETAIL_KEYS = ["ingressClassName", "ingressTlsSecret", "ingressClusterIssuer"];

export function readIngress(r: ConfigReader): IngressSettings | undefined {
    const host = r.optionalString("ingressHost", checkIngressHost);
    const className = r.optionalString("ingressClassName", checkDnsSubdomain);
    const tlsSecret = r.optionalString("ingressTlsSecret", checkDnsSubdomain);
    const clusterIssuer = r.optionalString("ingressClusterIssuer", checkDnsSubdomain);
    const tlsUpstream = r.boolean("ingressTlsTerminatedUpstream", DEFAULTS.ingressTlsTerminatedUpstream);
    if (!r.isSet("ingressHost")) {
        for (const key of INGRESS_DETAIL_KEYS) {
            if (r.isSet(key)) r.problem(key, `needs ${r.fullKey("ingressHost")}: set the host, or remove this key`);
        }
        if (tlsUpstream) r.problem("ingressTlsTerminatedUpstream", `needs ${r.fullKey("ingressHost")}: set the host, or remove this key`);
        return undefined;
    }
    // Tinode's logins and tokens travel in the websocket: never in clear text by accident.
    const tls = tlsSecret !== undefined || clusterIssuer !== undefined;
    if (!tls && !tlsUpstream) {
        r.problem(
            "ingressHost",
            `has no TLS, so logins would cross the network in clear text: set ${r.fullKey("ingressClusterIssuer")} (cert-manager) or ${r.fullKey("ingressTlsSecret")}, or, if a load balancer or proxy in front of the Ingress ends TLS, set ${r.fullKey("ingressTlsTerminatedUpstream")} true`,
        );
    }
    if (tls && tlsUpstream) {
        r.problem(
            "ingressTlsTerminatedUpstream",
            `says TLS ends before the Ingress, but ${r.fullKey("ingressTlsSecret")} or ${r.fullKey("ingressClusterIssuer")} configures TLS on it: remove one of them`,
        );
    }
    if (host === undefined) return undefined;
    // cert-manager writes the certificate into a Secret; give it a name when the user did not.
    return { host, className, tlsSecret, clusterIssuer };
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
            storageSize: r.string("mediaStorageSize", DEFAULTS.mediaStorageSize, checkByteQuantity),
            storageClass: r.optionalString("mediaStorageClass", checkDnsSubdomain),
        };
    }
    const required = (key: string, check?: (v: string) => string | undefined) => {
        const v = r.optionalString(key, check);
        if (!r.isSet(key)) r.problem(key, `is required with ${r.fullKey("mediaHandler")} s3${r.secretHint(key)}`);
        return v ?? "";
    };
    return {
        handler,
        maxUploadBytes,
        bucket: required("mediaS3Bucket", checkS3Bucket),
        region: required("mediaS3Region", checkS3Region),
        endpoint: r.optionalString("mediaS3Endpoint", checkHttpUrl),
        accessKeyId: required("mediaS3AccessKeyId", checkAccessKeyId),
        secretAccessKey: required("mediaS3SecretAccessKey"),
    };
}

export function readScheduling(r: ConfigReader): SchedulingSettings {
    const nodeSelector: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.object("nodeSelector") ?? {})) {
        const wrong =
            typeof v !== "string" ? "must be a text value, e.g. kubernetes.io/os: linux" : (checkLabelKey(k) ?? checkLabelValue(v));
        if (wrong !== undefined) r.problem(`nodeSelector.${k}`, wrong, JSON.stringify(v));
        else nodeSelector[k] = v as string;
    }
    const tolerations: Toleration[] = [];
    (r.array("tolerations") ?? []).forEach((t, i) => {
        const problems = tolerationProblems(t);
        for (const [field, wrong, got] of problems) {
            r.problem(
                field === "" ? `tolerations[${i}]` : `tolerations[${i}].${field}`,
                wrong,
                got === undefined ? undefined : String(typeof got === "string" ? got : JSON.stringify(got)),
            );
        }
        if (problems.length > 0) return;
        const tol = { ...(t as Toleration) };
        if (tol.tolerationSeconds !== undefined) tol.tolerationSeconds = tolerationSeconds(tol.tolerationSeconds);
        tolerations.push(tol);
    });
    return {
        priorityClassName: r.optionalString("priorityClassName", checkDnsSubdomain),
        nodeSelector,
        tolerations,
    };
}
