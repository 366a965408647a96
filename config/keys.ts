// The one list of the stack's config keys: each key's type, default, area and description, and
// whether its value must be a Pulumi secret. Everything else follows from it: DEFAULTS
// (config/defaults.ts), the --secret rule (config/reader.ts), Pulumi.yaml's config block, the
// README's configuration reference and the component's args, TinodeClusterArgs (`npm run config:docs`
// writes the three; test/configKeys.test.ts fails when one differs). How each value is checked stays with its reader (config/read*.ts).
import { DATA_KEYS } from "./registry/data";
import { EXPOSURE_KEYS } from "./registry/exposure";
import { FEATURE_KEYS } from "./registry/features";
import { SERVER_KEYS } from "./registry/server";
import type { KeySpec } from "./registry/spec";

export { AREAS } from "./registry/spec";
export type { KeySpec, KeyType } from "./registry/spec";

/** The registry's parts, one per group of areas (config/registry/), in the order Pulumi.yaml lists them. */
export const KEY_PARTS = [SERVER_KEYS, DATA_KEYS, EXPOSURE_KEYS, FEATURE_KEYS] as const;

export const CONFIG_KEYS = { ...SERVER_KEYS, ...DATA_KEYS, ...EXPOSURE_KEYS, ...FEATURE_KEYS } as const;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** The registry's spec of `key`, if it is one of the stack's keys (a nested `email.host` is not). */
export function keySpec(key: string): KeySpec | undefined {
    return Object.prototype.hasOwnProperty.call(CONFIG_KEYS, key) ? (CONFIG_KEYS as Record<string, KeySpec>)[key] : undefined;
}

/** Whether `field` of structured key `key` (`tnpg.token`, `iceServers[2].credential`) must be secret. */
export function isSecretField(key: string, field: string): boolean {
    return keySpec(key)?.secretFields?.includes(field.replace(/\[\d+\]/g, "[]")) ?? false;
}

/** The keys whose values must be Pulumi secrets. */
export function secretKeys(): string[] {
    return Object.entries(CONFIG_KEYS as Record<string, KeySpec>)
        .filter(([, k]) => k.secret)
        .map(([name]) => name);
}
