// The outputs of this stack's previous deployment, read through a StackReference to the stack itself
// (with a file backend the organization is "organization"). A new stack has none.
import * as pulumi from "@pulumi/pulumi";

export function selfStackName(): string {
    return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/** One output of the previous deployment (undefined for a new stack, or one deployed before it existed). */
export async function previousOutput(name: string): Promise<unknown> {
    const self = new pulumi.StackReference("previous-deployment", { name: selfStackName() });
    const details = await self.getOutputDetails(name);
    return details.value ?? details.secretValue;
}
