// A program's TinodeClusterArgs (config/args.ts), resolved to plain values -> the same validated
// settings as stack config. Each arg becomes the text Pulumi hands a program for the stack key of the
// same name, and config/readSettings.ts reads it with the same rules: one set of checks for both, the
// problems naming the arg (COMPONENT_ARGS) instead of the key.
import { keySpec } from "./keys";
import { COMPONENT_ARGS, ConfigError, ConfigSource } from "./reader";
import { readSettings } from "./readSettings";
import { TinodeSettings } from "./settings";

/** The args a program passed, their Outputs resolved; `secret`: the args that arrived as secrets. */
export interface ResolvedArgs {
    readonly values: Readonly<Record<string, unknown>>;
    readonly secret: ReadonlySet<string>;
}

/**
 * A value as stack config holds it: text as it is, numbers and booleans as written, objects and lists
 * as JSON (what `pulumi config set --path` makes of them). Unset (undefined, null) gives the default.
 */
export function argText(value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
}

/** An arg of TinodeClusterArgs: a registry key that is not the stack program's only. */
function isArg(key: string): boolean {
    const spec = keySpec(key);
    return spec !== undefined && spec.stackOnly !== true;
}

/** The args as the readers' source: the key's text, and whether it came as a secret. */
export function argsSource(args: ResolvedArgs): ConfigSource {
    return Object.assign((key: string) => (isArg(key) ? argText(args.values[key]) : undefined), {
        isSecret: (key: string) => args.secret.has(key),
    });
}

/** Validated settings from args; one ConfigError lists every problem, each naming its arg. */
export function readArgs(args: ResolvedArgs): TinodeSettings {
    const problems = Object.keys(args.values)
        .filter((key) => args.values[key] !== undefined && !isArg(key))
        .map((key) =>
            keySpec(key)
                ? `${COMPONENT_ARGS.name(key)} is not an arg: it belongs to the stack program, which compares with its last deployment`
                : `${COMPONENT_ARGS.name(key)} is not an arg of TinodeCluster: use the names of the README's configuration reference`,
        );
    let settings: TinodeSettings | undefined;
    try {
        settings = readSettings(argsSource(args), COMPONENT_ARGS);
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        problems.push(...e.problems);
    }
    if (settings === undefined || problems.length > 0) throw new ConfigError(problems, "TinodeCluster args");
    return settings;
}
