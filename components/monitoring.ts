// What a TinodeCluster adds for monitoring: the metrics Service next to the exporter sidecars (the
// sidecar itself is part of the StatefulSet), the dashboard ConfigMap and, when asked, the
// Prometheus Operator's objects (CRDs).
import * as k8s from "@pulumi/kubernetes";
import { ExporterMonitoring, TinodeSettings } from "../config/settings";
import { dashboardConfigMapArgs } from "../builders/dashboard";
import { metricsServiceArgs } from "../builders/exporter";
import { podMonitorArgs, prometheusRuleArgs, serviceMonitorArgs } from "../builders/monitors";
import { ObjectNames } from "../builders/names";
import { ChildContext } from "./mysql";

export interface Monitoring {
    metricsService: k8s.core.v1.Service;
    dashboard?: k8s.core.v1.ConfigMap;
    monitor?: k8s.apiextensions.CustomResource;
    rules?: k8s.apiextensions.CustomResource;
}

export function deployMonitoring(
    ctx: ChildContext,
    name: string,
    names: ObjectNames,
    s: TinodeSettings,
    mon: ExporterMonitoring,
): Monitoring {
    const { child } = ctx;
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
    return { metricsService, dashboard, monitor, rules };
}
