// The outputs of this stack's previous deployment, read through a StackReference to the stack itself
// (with a file backend the organization is "organization"). A new stack has none.
import * as pulumi from "@pulumi/pulumi";

export function selfStackName(): string {
    return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/**
 * Outputs of the previous deployment by name (undefined for a new stack, or one deployed before that
 * output existed). One call per run: it registers the StackReference.
 */
export async function previousOutputs<K extends string>(...names: K[]): Promise<Record<K, unknown>> {
    const self = new pulumi.StackReference("previous-deployment", { name: selfStackName() });
    const values = await Promise.all(
        names.map(async (name) => {
            const details = await self.getOutputDetails(name);
            return [name, details.value ?? details.secretValue] as const;
        }),
    );
    return Object.fromEntries(values) as Record<K, unknown>;
}
