// How `pulumi up` knows that a StatefulSet has rolled out.
//
// The Kubernetes provider's own StatefulSet await (4.25, pkg/await/statefulset.go) checks the
// object's generation but not .status.observedGeneration: on an update it reads the old status,
// where currentRevision still equals updateRevision, and reports success at once, before a single
// pod has rolled (pulumi/pulumi-kubernetes#3329; seen on real kubelets by npm run e2e:real, where
// `pulumi up` returned while the pods still ran the old image). The provider's answer is the
// pulumi.com/waitFor annotation, which replaces its own logic: each jsonpath condition waits until
// .status.observedGeneration has caught up with the new generation, then compares the value.
// Every pod updated to the new revision and ready is exactly "the roll is over".

export const WAIT_FOR_ANNOTATION = "pulumi.com/waitFor";

/** The waitFor annotation for a StatefulSet of `replicas` pods. */
export function rolloutAwaitAnnotations(replicas: number): Record<string, string> {
    return {
        [WAIT_FOR_ANNOTATION]: JSON.stringify([
            `jsonpath={.status.updatedReplicas}=${replicas}`,
            `jsonpath={.status.readyReplicas}=${replicas}`,
        ]),
    };
}

/**
 * Volume claims the program creates are not awaited. The provider's claim await (pkg/await/
 * awaiters.go) waits for Bound, or, for a class that binds on first consumer, for Pending; a claim
 * that its pod has bound is never Pending again, so every later update of such a claim (a label)
 * waited 5 minutes and failed on real kubelets. A claim that cannot bind shows up anyway: the pod
 * that mounts it stays Pending and the StatefulSet's, Job's or CronJob's own wait reports it.
 */
export const CLAIM_AWAIT_ANNOTATIONS: Record<string, string> = { "pulumi.com/skipAwait": "true" };
