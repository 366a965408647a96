// Security contexts that pass the Kubernetes "restricted" Pod Security Standard.
import * as k8s from "@pulumi/kubernetes";

type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;

/** `uid` runs the process; volumes are group-owned by it so the process can write them. */
export function podSecurityContext(uid: number): PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        fsGroup: uid,
        seccompProfile: { type: "RuntimeDefault" },
    };
}

export function containerSecurityContext(): SecurityContext {
    return {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
    };
}

/**
 * The Tinode image runs as root by default but needs no privilege: it reads /opt/tinode and its
 * config and writes nothing but logs to stderr. 65534 is "nobody".
 */
export const TINODE_UID = 65534;
/** The mysql user of the official MySQL image; its entrypoint supports running as that user. */
export const MYSQL_UID = 999;
/** The backup pods run client tools only (mysqldump, gzip, the AWS CLI): "nobody" will do. */
export const BACKUP_UID = 65534;
