// What every harness script (e2e, bench) needs from its command line and its figures, in one place.

/** The value after `name` in argv (`--nodes JSON`); throws when it is missing. */
export function arg(argv: string[], name: string): string {
    const value = optionalArg(argv, name);
    if (value === undefined) throw new Error(`missing ${name}`);
    return value;
}

/** The value after `name` in argv, or undefined when the flag is absent. */
export function optionalArg(argv: string[], name: string): string | undefined {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
    return argv[i + 1];
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
    if (xs.length === 0) throw new Error("median of an empty list");
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
