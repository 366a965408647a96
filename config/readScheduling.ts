// Stack config of where pods run: priority class, node selector, tolerations.
import { checkDnsSubdomain, checkLabelKey, checkLabelValue, tolerationProblems, tolerationSeconds } from "./checks";
import { ConfigReader } from "./reader";
import { SchedulingSettings, Toleration } from "./settings";

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
