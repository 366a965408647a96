// The rules of rules.ts as Pulumi resource policies.
//
// ENFORCEMENT LEVELS: every policy is "mandatory": a violation fails `pulumi preview` and stops
// `pulumi up` before anything changes. The other levels are "advisory" (reported as a warning, the
// update goes on), "remediate" (the pack may fix the inputs; none of these policies does) and
// "disabled". A stack can lower one for itself with a policy config file,
//   { "tinode-sample-data-dev-only": "advisory" }   ->   pulumi preview --policy-pack policy --policy-pack-config that.json
// but the defaults here are what CI runs.
import { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import {
    containerResources,
    noCredentialsInConfigMaps,
    noReset,
    noSampleData,
    noSecretEnvValues,
    pinnedImages,
    Rule,
    tinodeReplicas,
} from "./rules";
import { currentStack, isDevStack } from "./stack";

export const ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";

interface RuleSpec {
    name: string;
    description: string;
    rules: Rule[];
    /** The rule is relaxed on dev stacks: say which stack was taken for "not dev". */
    devRelaxed?: boolean;
}

export const RULES: RuleSpec[] = [
    {
        name: "tinode-replicas-odd-min-3",
        description: "Outside dev stacks, the Tinode StatefulSet runs an odd number of replicas, at least 3 (failover needs a majority).",
        rules: [tinodeReplicas],
        devRelaxed: true,
    },
    {
        name: "images-pinned",
        description: "Every container and initContainer of a workload uses a pinned image: a tag other than latest, or a digest.",
        rules: [pinnedImages],
    },
    {
        name: "secrets-only-in-secrets",
        description:
            "No literal env value named like a password, secret, token, key or DSN, and no ConfigMap with a DSN or URL holding credentials.",
        rules: [noSecretEnvValues, noCredentialsInConfigMaps],
    },
    {
        name: "container-resources",
        description:
            "Every container and initContainer sets resources.requests.cpu, resources.requests.memory and resources.limits.memory.",
        rules: [containerResources],
    },
    {
        name: "tinode-sample-data-dev-only",
        description: "Outside dev stacks, init-db never loads the sample data (--data=), whose users have published passwords.",
        rules: [noSampleData],
        devRelaxed: true,
    },
    {
        name: "tinode-never-reset",
        description: "No container runs with --reset (init-db --reset drops the database), on every stack.",
        rules: [noReset],
    },
];

/**
 * @pulumi/policy hands the inputs wrapped in a proxy that throws on any value not known yet, which
 * turns the whole policy into an advisory "can't run during preview" for that resource. The rules
 * skip just the unknown values instead (rules.ts, UNKNOWN), so they get the plain inputs: the
 * proxy's own escape hatch, or the props as given when there is no proxy (tests).
 */
export function withoutUnknownProxy(props: Record<string, unknown>): Record<string, unknown> {
    const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
    return target !== null && typeof target === "object" ? (target as Record<string, unknown>) : props;
}

export const policies: ResourceValidationPolicy[] = RULES.map((spec) => ({
    name: spec.name,
    description: spec.description,
    enforcementLevel: ENFORCEMENT_LEVEL,
    validateResource: (args, reportViolation) => {
        const stack = currentStack();
        const dev = isDevStack(stack);
        const suffix = spec.devRelaxed ? ` [stack "${stack || "(unknown)"}" is not a dev stack]` : "";
        for (const rule of spec.rules) {
            for (const message of rule(args.type, withoutUnknownProxy(args.props), { dev })) reportViolation(message + suffix);
        }
    },
}));
