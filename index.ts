// Entry point: stack config -> typed settings -> one TinodeCluster -> stack outputs.
import * as pulumi from "@pulumi/pulumi";
import { TinodeCluster } from "./components/tinodeCluster";
import { readSettings } from "./config/read";
import { isPulumiConfigSecret } from "./config/reader";

const config = new pulumi.Config();
const settings = readSettings(
    Object.assign((key: string) => config.get(key), { isSecret: (key: string) => isPulumiConfigSecret(`${config.name}:${key}`) }),
    config.name,
);
const cluster = new TinodeCluster("tinode", settings);

export const namespace = cluster.namespace;
export const clientServiceName = cluster.clientServiceName;
export const clientUrl = cluster.clientUrl;
export const nodeNames = cluster.nodeNames;
export const mysqlHost = cluster.mysqlHost;
export const apiKey = cluster.apiKey;
