// A Tinode cluster from a Pulumi TypeScript program: the args are the stack keys of tinode-k8s's
// configuration reference, typed (TinodeClusterArgs), and checked by the same rules.
import * as pulumi from "@pulumi/pulumi";
import { TinodeCluster } from "tinode-k8s";

const config = new pulumi.Config();
const chat = new TinodeCluster("tinode", {
    namespace: config.get("namespace"),
    replicas: config.getNumber("replicas"),
    mysqlStorageSize: "1Gi",
    schemaDumpStorageSize: "1Gi",
    renderYamlTo: config.get("renderYamlTo"),
});

export const namespace = chat.namespace;
export const clientUrl = chat.clientUrl;
export const nodeNames = chat.nodeNames;
export const apiKey = chat.apiKey;
