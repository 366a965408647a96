// config/resources.ts: the `resources` setting; each part that is not an object is named by its path.
import { expect } from "chai";
import { ConfigReader } from "../config/reader";
import { DEFAULT_RESOURCES, readResources } from "../config/resources";
import { source } from "./helpers";

describe("container resources (config/resources.ts)", () => {
    it("refuses a container or section that is not an object, keeping the defaults", () => {
        const given = { tinode: 5, mysql: null, dbInit: [1], backup: "big", exporter: { requests: 5, limits: { memory: "96Mi" } } };
        const r = new ConfigReader(source({ resources: JSON.stringify(given) }), "tinode");
        const resources = readResources(r, "resources");
        expect(r.problems).to.deep.equal([
            'tinode:resources.tinode must be an object (got "5")',
            'tinode:resources.mysql must be an object (got "null")',
            'tinode:resources.dbInit must be an object (got "[1]")',
            'tinode:resources.backup must be an object (got "\\"big\\"")',
            'tinode:resources.exporter.requests must be an object (got "5")',
        ]);
        expect(resources).to.deep.equal({
            ...DEFAULT_RESOURCES,
            exporter: { ...DEFAULT_RESOURCES.exporter, limits: { ...DEFAULT_RESOURCES.exporter.limits, memory: "96Mi" } },
        });
    });
});
