// Entry point: stack config -> typed settings -> (no data-losing change) -> one TinodeCluster -> stack outputs.
import * as pulumi from "@pulumi/pulumi";
import { TinodeCluster } from "./components/tinodeCluster";
import { previousOutput } from "./components/previousDeployment";
import { checkDataChanges, dataIdentity } from "./config/dataGuard";
import { readSettings } from "./config/readSettings";
import { isPulumiConfigSecret } from "./config/reader";

export = async () => {
    const config = new pulumi.Config();
    const source = Object.assign((key: string) => config.get(key), {
        isSecret: (key: string) => isPulumiConfigSecret(`${config.name}:${key}`),
    });
    const settings = readSettings(source, config.name);
    // Rendering touches no data; on a cluster, compare with what the last deployment exported and
    // refuse a change that would destroy or strand data, before any resource is registered.
    const previous = settings.renderYamlTo ? undefined : await previousOutput("dataIdentity");
    const identity = settings.renderYamlTo ? undefined : dataIdentity(settings, source, previous);
    if (identity) checkDataChanges(previous, identity, settings.acceptDataChanges, config.name);
    const cluster = new TinodeCluster("tinode", settings);
    return {
        namespace: cluster.namespace,
        clientServiceName: cluster.clientServiceName,
        clientUrl: cluster.clientUrl,
        nodeNames: cluster.nodeNames,
        mysqlHost: cluster.mysqlHost,
        apiKey: cluster.apiKey,
        /** What identifies the stack's data; the next run compares against it (config/dataGuard.ts). */
        dataIdentity: identity,
    };
};
