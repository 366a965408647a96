// The tinode policy pack: `pulumi preview --policy-pack policy` (or `up`). The rules are in rules.ts,
// the policies and their enforcement levels in policies.ts, dev-stack detection in stack.ts.
import { PolicyPack } from "@pulumi/policy";
import { ENFORCEMENT_LEVEL, policies } from "./policies";
import { listenForStackName } from "./stack";

listenForStackName();

new PolicyPack("tinode-policies", { enforcementLevel: ENFORCEMENT_LEVEL, policies });
