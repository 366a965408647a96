// Entry point: stack config -> typed settings -> (no data-losing change) -> one TinodeCluster -> stack outputs.
import * as pulumi from "@pulumi/pulumi";
import { ClusterCore } from "./components/clusterCore";
import { refuseTakeover } from "./components/clusterOwners";
import { previousOutputs, selfStackName } from "./components/previousDeployment";
import { dataClaimNames, objectNames } from "./builders/names";
import { clusterLayout, workerIdChanges } from "./builders/clusterNodes";
import { checkDataChanges, dataChangeNotices, mysqlUpgrade } from "./config/dataGuard";
import { dataIdentity, dataTarget } from "./config/dataIdentity";
import { readSettings } from "./config/readSettings";
import { isPulumiConfigSecret } from "./config/reader";

/** The component's name: every object's name derives from it (builders/names.ts). */
const NAME = "tinode";

export = async () => {
    const config = new pulumi.Config();
    const source = Object.assign((key: string) => config.get(key), {
        isSecret: (key: string) => isPulumiConfigSecret(`${config.name}:${key}`),
    });
    const settings = { ...readSettings(source, config.name), owner: selfStackName() };
    // Compare with what the last deployment exported and refuse a change that would destroy or
    // strand data, before any resource is registered: also a switch to rendering, or to another
    // cluster, which would replace every object.
    const kubernetes = new pulumi.Config("kubernetes");
    const {
        dataIdentity: previous,
        namespace: previousNamespace,
        nodeNames: previousNodes,
    } = await previousOutputs("dataIdentity", "namespace", "nodeNames");
    const identity = dataIdentity(
        settings,
        source,
        previous,
        dataTarget(settings, (k) => kubernetes.get(k)),
    );
    // A roll that would give running pods' worker ids to other pods (builders/clusterNodes.ts).
    const found = workerIdChanges(previousNodes, clusterLayout(objectNames(NAME), settings));
    checkDataChanges(previous, identity, settings.acceptDataChanges, config.name, found);
    // Never deployed (no output at all): another stack's objects, or unclaimed data, may be where it would deploy.
    if (previous === undefined && previousNamespace === undefined && identity.target?.kind === "cluster") {
        await refuseTakeover(
            settings,
            dataClaimNames(objectNames(NAME)),
            {
                kubeconfig: kubernetes.get("kubeconfig"),
                context: kubernetes.get("context"),
                cluster: kubernetes.get("cluster"),
            },
            config.name,
        );
    }
    for (const notice of dataChangeNotices(previous, identity, config.name)) await pulumi.log.warn(notice);
    // A newer MySQL release: the component dumps the database with the running one first.
    const cluster = new ClusterCore(NAME, { ...settings, mysqlUpgrade: mysqlUpgrade(previous, identity) });
    return {
        namespace: cluster.namespace,
        clientServiceName: cluster.clientServiceName,
        clientUrl: cluster.clientUrl,
        nodeNames: cluster.nodeNames,
        mysqlHost: cluster.mysqlHost,
        apiKey: cluster.apiKey,
        /** What `pulumi destroy` leaves in the cluster, and how to delete it (printed by every up). */
        keptOnDestroy: cluster.keptOnDestroy,
        /** What identifies the stack's data; the next run compares against it (config/dataGuard.ts). */
        dataIdentity: identity,
    };
};
