// Annotations an operator adds to one of the stack's objects (serviceAnnotations, ingressAnnotations,
// ingressGrpcServiceAnnotations): the keys Kubernetes accepts (qualified names, as label keys), text
// values without control characters other than tab and newline (they reach the API server only,
// never a file or a command), and nothing under pulumi.com/, which tells the provider how to deploy
// the object.
import { checkLabelKey } from "./checks";
import { ConfigReader } from "./reader";

/** The API server's limit on all annotations of one object together (apimachinery TotalAnnotationSizeLimitB). */
const TOTAL_BYTES = 256 * 1024;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export function readAnnotations(r: ConfigReader, key: string): Record<string, string> {
    const out: Record<string, string> = {};
    let bytes = 0;
    for (const [k, raw] of Object.entries(r.object(key) ?? {})) {
        // `pulumi config set --path` stores true and 5 as a boolean and a number: annotations are text.
        const v = typeof raw === "boolean" || typeof raw === "number" ? String(raw) : raw;
        const wrong =
            typeof v !== "string"
                ? "must be a text value, not a list or an object"
                : k.startsWith("pulumi.com/")
                  ? "is set by the program (pulumi.com/ annotations steer the provider)"
                  : (checkLabelKey(k) ?? (CONTROL.test(v) ? "must not contain control characters other than tab and newline" : undefined));
        if (wrong !== undefined) {
            r.problem(`${key}.${k}`, wrong, JSON.stringify(raw));
            continue;
        }
        out[k] = v as string;
        bytes += Buffer.byteLength(k) + Buffer.byteLength(v as string);
    }
    if (bytes > TOTAL_BYTES) r.problem(key, `must be at most ${TOTAL_BYTES} bytes in all (keys and values), the API server's limit`);
    return out;
}
