import { SchedulingSettings } from "../config/settings";

/** Pod spec fields for where pods may run; empty settings add nothing. */
export function schedulingFields(s: SchedulingSettings): {
    priorityClassName?: string;
    nodeSelector?: Record<string, string>;
    tolerations?: object[];
} {
    return {
        ...(s.priorityClassName ? { priorityClassName: s.priorityClassName } : {}),
        ...(Object.keys(s.nodeSelector).length > 0 ? { nodeSelector: s.nodeSelector } : {}),
        ...(s.tolerations.length > 0 ? { tolerations: s.tolerations } : {}),
    };
}
