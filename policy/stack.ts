// Which stack the pack is checking, and whether it is a development stack.
//
// DEV DETECTION (explicit): a stack is a development stack when its name is "dev" or starts with
// "dev-" (dev-alice, dev-e2e). Every other name - and a stack whose name the pack cannot learn - gets
// the full rules: failing closed means a production stack can never pass by looking like dev.
//
// Where the name comes from, first found wins:
//  1. the engine's ConfigureStack call, sent to every analyzer when it starts; it carries the stack
//     name, but @pulumi/policy 1.21 reads only the stack tags from it, so listenForStackName() wraps
//     that request's decoder to keep the name as well;
//  2. PULUMI_NODEJS_STACK, which the CLI sets when it starts the pack through the older
//     `pulumi-analyzer-policy` route (pulumi.getStack() reads it too, but answers "stack" when it is
//     unset, so the pack reads the variable itself);
//  3. the PULUMI_STACK environment variable (the CLI's own way to choose a stack; the CI workflows set it).
// The gRPC service definition that @pulumi/policy's server registers: the same module instance, since
// the package pins @pulumi/pulumi to the one copy @pulumi/policy uses (a test checks it).
import { AnalyzerService } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { AnalyzerStackConfigureRequest } from "@pulumi/pulumi/proto/analyzer_pb";

export const DEV_STACK = /^dev(-.+)?$/;

export function isDevStack(stack: string | undefined): boolean {
    return stack !== undefined && DEV_STACK.test(stack);
}

let engineStack: string | undefined;

/**
 * Keeps the stack name of every ConfigureStack request the analyzer server decodes. Call before
 * `new PolicyPack(...)`: gRPC takes the decoder when the service is registered. Idempotent.
 */
export function listenForStackName(): void {
    const method = AnalyzerService.configureStack as { requestDeserialize: Decoder & { tinodeListening?: boolean } };
    if (typeof method?.requestDeserialize !== "function" || method.requestDeserialize.tinodeListening) return;
    const decode = method.requestDeserialize;
    const listening = (bytes: Buffer): AnalyzerStackConfigureRequest => {
        const request = decode(bytes);
        try {
            const stack = request.getStack();
            if (typeof stack === "string" && stack !== "") engineStack = stack;
        } catch {
            // An engine without the field: the other sources still apply.
        }
        return request;
    };
    method.requestDeserialize = Object.assign(listening, { tinodeListening: true });
}

type Decoder = (bytes: Buffer) => AnalyzerStackConfigureRequest;

/** The stack being checked, or "" when no source names it. */
export function currentStack(env: NodeJS.ProcessEnv = process.env): string {
    return engineStack || env.PULUMI_NODEJS_STACK || env.PULUMI_STACK || "";
}

/** For tests: forget the name the engine sent. */
export function resetStackFromEngine(): void {
    engineStack = undefined;
}
