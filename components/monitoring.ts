// What a TinodeCluster adds for monitoring: the metrics Service next to the exporter sidecars (the
// sidecar itself is part of the StatefulSet), the dashboard ConfigMap, the delivery canary when
// asked and, when asked, the Prometheus Operator's objects (CRDs).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExporterMonitoring, TinodeSettings } from "../config/settings";
import { canaryConfigMapArgs, canaryDeploymentArgs, canaryFiles, canarySecretArgs } from "../builders/canary";
import { dashboardConfigMapArgs } from "../builders/dashboard";
import { metricsServiceArgs } from "../builders/exporter";
import { canaryPodMonitorArgs, podMonitorArgs, prometheusRuleArgs, serviceMonitorArgs } from "../builders/monitors";
import { ObjectNames } from "../builders/names";
import { canaryNetworkPolicyArgs } from "../builders/networkPolicies";
import { ChildContext } from "./context";

export interface Monitoring {
    metricsService: k8s.core.v1.Service;
    dashboard?: k8s.core.v1.ConfigMap;
    monitor?: k8s.apiextensions.CustomResource;
    rules?: k8s.apiextensions.CustomResource;
    canary?: k8s.apps.v1.Deployment;
}

/** What the canary needs from the cluster: the API key, its password (made only when it is on), what it waits for. */
export interface CanaryInputs {
    apiKey: pulumi.Input<string>;
    password: () => pulumi.Output<string>;
    after: pulumi.Resource[];
}

export function deployMonitoring(ctx: ChildContext, s: TinodeSettings, mon: ExporterMonitoring, canaryInputs: CanaryInputs): Monitoring {
    const { child, instance: name, names } = ctx;
    const metricsService = new k8s.core.v1.Service(names.metricsService, metricsServiceArgs(name, names, s), child());
    const dashboard = mon.dashboard
        ? new k8s.core.v1.ConfigMap(names.dashboard, dashboardConfigMapArgs(name, names, s), child())
        : undefined;
    const monitorArgs = mon.monitor === "PodMonitor" ? podMonitorArgs : mon.monitor === "ServiceMonitor" ? serviceMonitorArgs : undefined;
    const monitor = monitorArgs
        ? new k8s.apiextensions.CustomResource(
              names.monitor,
              monitorArgs(name, names, s, mon),
              child(mon.monitor === "ServiceMonitor" ? [metricsService] : [], "monitor"),
          )
        : undefined;
    const rules = mon.rules
        ? new k8s.apiextensions.CustomResource(names.alertRules, prometheusRuleArgs(name, names, s, mon), child([], "alertRules"))
        : undefined;
    return {
        metricsService,
        dashboard,
        monitor,
        rules,
        canary: mon.canary ? deployCanary(ctx, name, names, s, mon, canaryInputs) : undefined,
    };
}

function deployCanary(
    ctx: ChildContext,
    name: string,
    names: ObjectNames,
    s: TinodeSettings,
    mon: ExporterMonitoring,
    inputs: CanaryInputs,
) {
    const { child } = ctx;
    const c = mon.canary!;
    const files = canaryFiles();
    const config = new k8s.core.v1.ConfigMap(names.canary, canaryConfigMapArgs(name, names, s, c, files), child());
    const secret = new k8s.core.v1.Secret(names.canary, canarySecretArgs(name, names, s, c, inputs.password(), inputs.apiKey), child());
    if (s.networkPolicies) new k8s.networking.v1.NetworkPolicy(names.canary, canaryNetworkPolicyArgs(name, names, s, mon, c), child());
    if (mon.monitor !== "none") new k8s.apiextensions.CustomResource(names.canary, canaryPodMonitorArgs(name, names, s, mon), child());
    // After the StatefulSet: a canary started before the servers only counts unreachable pods.
    return new k8s.apps.v1.Deployment(
        names.canary,
        canaryDeploymentArgs(name, names, s, c, files),
        child([config, secret, ...inputs.after]),
    );
}
