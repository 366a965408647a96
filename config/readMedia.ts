// Stack config of uploads: the media handler (a shared volume or S3) and the origins allowed to fetch them.
import { checkAccessKeyId, checkByteQuantity, checkDnsSubdomain, checkHttpUrl, checkS3Bucket, checkS3Region } from "./checks";
import { DEFAULTS } from "./defaults";
import { ConfigReader } from "./reader";
import { MediaSettings } from "./settings";

const FS_KEYS = { mediaStorageSize: DEFAULTS.mediaStorageSize, mediaStorageClass: "", mediaAccessMode: DEFAULTS.mediaAccessMode };
const S3_KEYS = { mediaS3Bucket: "", mediaS3Region: "", mediaS3Endpoint: "", mediaS3AccessKeyId: "", mediaS3SecretAccessKey: "" };

export function readMedia(r: ConfigReader, replicas: number): MediaSettings {
    const handler = r.oneOf<"none" | "fs" | "s3">("mediaHandler", DEFAULTS.mediaHandler, ["none", "fs", "s3"]);
    const maxUploadBytes = r.integer("mediaMaxUploadMb", DEFAULTS.mediaMaxUploadMb, 1, 4096) * 1024 * 1024;
    if (handler !== "fs") r.unusedUnless(FS_KEYS, "mediaHandler", "fs");
    if (handler !== "s3") r.unusedUnless(S3_KEYS, "mediaHandler", "s3");
    if (handler === "none") {
        r.unusedUnless({ mediaMaxUploadMb: DEFAULTS.mediaMaxUploadMb }, "mediaHandler", "fs or s3");
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
    const required = (key: string, check?: (v: string) => string | undefined) => r.required(key, `${r.fullKey("mediaHandler")} s3`, check);
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

/** An origin as browsers send it: scheme://host[:port], no path; `*` in host labels is Tinode's wildcard. */
const ORIGIN = /^https?:\/\/[A-Za-z0-9*.-]+(:\d{1,5})?$/;

export function readMediaCorsOrigins(r: ConfigReader, media: MediaSettings): string[] {
    const key = "mediaCorsOrigins";
    const origins: string[] = [];
    (r.array(key) ?? []).forEach((v, i) => {
        if (typeof v !== "string" || (v !== "*" && !ORIGIN.test(v))) {
            r.problem(
                `${key}[${i}]`,
                "must be an origin such as https://chat.example.com (no path), https://*.example.com, or * alone",
                JSON.stringify(v),
            );
        } else origins.push(v);
    });
    // server/media/media.go ParseCORSAllow: the wildcard must be the only entry or the server does not start.
    if (origins.includes("*") && origins.length > 1) r.problem(key, 'has "*" next to other origins: "*" must be the only entry');
    if (origins.length > 0 && media.handler === "none") {
        r.problem(key, `does nothing unless ${r.fullKey("mediaHandler")} is fs or s3: set that, or remove this key`);
    }
    return origins;
}
