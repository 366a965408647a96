import { expect } from "chai";
import { dataClaimNames, formerResourceNames, objectNames, resourceNames } from "../builders/names";

describe("names", () => {
    const n = objectNames("chat");

    it("derives every object name from the component's name", () => {
        for (const [key, value] of Object.entries(n)) expect(value, key).to.match(/^(data-)?chat(-|$)/);
        for (const [key, value] of Object.entries(resourceNames("chat"))) expect(value, key).to.match(/^chat-/);
    });

    it("keeps a former Pulumi name only where the name changed", () => {
        for (const [key, old] of Object.entries(formerResourceNames("chat"))) {
            expect(n, key).to.have.property(key);
            expect(old, key).to.not.equal(n[key as keyof typeof n]);
        }
    });

    it("gives objects of one kind distinct names", () => {
        const policies = [n.serverPolicy, n.mysqlPolicy, n.dbInitPolicy, n.backupPolicy];
        expect(new Set(policies).size).to.equal(policies.length);
        const services = [n.clientService, n.headlessService, n.mysql, n.metricsService];
        expect(new Set(services).size).to.equal(services.length);
        const claims = [n.media, n.mysqlData, n.schemaDumps, n.backupClaim];
        expect(new Set(claims).size).to.equal(claims.length);
    });
    it("lists every claim that holds data, for the guards and for destroy", () => {
        expect(dataClaimNames(n)).to.deep.equal([n.mysqlData, n.media, n.backupClaim, n.schemaDumps]);
    });
});
