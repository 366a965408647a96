// Shared test helpers: plain config sources and settings.
import { ConfigSource } from "../config/reader";
import { readSettings } from "../config/read";
import { TinodeSettings } from "../config/settings";

/** A config source over a plain object of unprefixed keys. */
export function source(values: Record<string, string> = {}): ConfigSource {
    return (key) => values[key];
}

export function settingsWith(values: Record<string, string> = {}): TinodeSettings {
    return readSettings(source(values));
}

/** The ConfigError message readSettings throws for these values, or "" if none. */
export function configErrorFor(values: Record<string, string>): string {
    try {
        readSettings(source(values));
        return "";
    } catch (e) {
        return (e as Error).message;
    }
}
