// What the sub-deployments (MySQL, backup, monitoring, the healer) get from the TinodeCluster to make
// their children: the names, the options every child takes, and the options that keep data.
import * as pulumi from "@pulumi/pulumi";
import { ObjectNames, ResourceNames } from "../builders/names";

export interface ChildContext {
    /** The component's name: every object's app.kubernetes.io/instance. */
    instance: string;
    /** Every object's name and every Pulumi resource's (builders/names.ts). */
    names: ObjectNames;
    resourceNames: ResourceNames;
    /** object: the object the resource makes, whose former Pulumi name (builders/names.ts) becomes an alias. */
    child: (dependsOn?: pulumi.Resource[], object?: keyof ObjectNames) => pulumi.CustomResourceOptions;
    /** protectData: protected and kept (builders/retention.ts). */
    keep: pulumi.CustomResourceOptions;
    /** What keeps the data itself on destroy (claims, the Secrets with passwords and keys). */
    keepData: pulumi.CustomResourceOptions;
}
