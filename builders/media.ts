// Uploads: Tinode's fs handler on one volume shared by every node, or its s3 handler.
import * as k8s from "@pulumi/kubernetes";
import { FsMedia, MediaSettings, TinodeSettings } from "../config/settings";
import { UPLOAD_DIR } from "../tinode/facts";
import { volumeClaimArgs } from "./objects";
import { ObjectNames } from "./names";

/**
 * tinode.conf's media section, or undefined when uploads are off. `corsOrigins`: the origins of web
 * clients served from another host than Tinode (server/media/media.go CORSHandler); with s3 they also
 * become the CORS rule of a bucket Tinode creates itself (server/media/s3/s3.go).
 */
export function mediaConfig(
    media: MediaSettings,
    s3SecretAccessKey: string,
    corsOrigins: readonly string[],
): Record<string, unknown> | undefined {
    if (media.handler === "none") return undefined;
    const common = { use_handler: media.handler, max_size: media.maxUploadBytes, gc_period: 60, gc_block_size: 100 };
    const cors = corsOrigins.length > 0 ? { cors_origins: corsOrigins } : {};
    if (media.handler === "fs") {
        return { ...common, handlers: { fs: { upload_dir: UPLOAD_DIR, cache_control: "max-age=86400", ...cors } } };
    }
    return {
        ...common,
        handlers: {
            s3: {
                access_key_id: media.accessKeyId,
                secret_access_key: s3SecretAccessKey,
                region: media.region,
                bucket: media.bucket,
                ...(media.endpoint ? { endpoint: media.endpoint, force_path_style: true } : {}),
                presign_ttl: 3600,
                cache_control: "max-age=86400",
                ...cors,
            },
        },
    };
}

export function mediaVolumeClaimArgs(
    instance: string,
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace">,
    media: FsMedia,
): k8s.core.v1.PersistentVolumeClaimArgs {
    return volumeClaimArgs(instance, s, names.media, "server", media);
}
