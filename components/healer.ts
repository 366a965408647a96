// The self-healer of a TinodeCluster (builders/healer.ts): its script, identity, permissions,
// NetworkPolicy and Deployment.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SelfHealSettings, TinodeSettings } from "../config/settings";
import {
    healerConfigMapArgs,
    healerDeploymentArgs,
    healerFiles,
    healerRoleArgs,
    healerRoleBindingArgs,
    healerServiceAccountArgs,
} from "../builders/healer";
import { healerNetworkPolicyArgs } from "../builders/networkPolicies";
import { ChildContext } from "./context";

export function deployHealer(ctx: ChildContext, s: TinodeSettings, h: SelfHealSettings, after: pulumi.Resource[]): k8s.apps.v1.Deployment {
    const { child, instance: name, names } = ctx;
    const files = healerFiles();
    const needs: pulumi.Resource[] = [
        new k8s.core.v1.ConfigMap(names.healer, healerConfigMapArgs(name, names, s, h, files), child()),
        new k8s.core.v1.ServiceAccount(names.healer, healerServiceAccountArgs(name, names, s, h), child()),
        new k8s.rbac.v1.Role(names.healer, healerRoleArgs(name, names, s, h), child()),
    ];
    needs.push(new k8s.rbac.v1.RoleBinding(names.healer, healerRoleBindingArgs(name, names, s, h), child(needs)));
    if (s.networkPolicies) new k8s.networking.v1.NetworkPolicy(names.healer, healerNetworkPolicyArgs(name, names, s, h), child());
    return new k8s.apps.v1.Deployment(names.healer, healerDeploymentArgs(name, names, s, h, files), child([...needs, ...after]));
}
