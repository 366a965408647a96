import { expect } from "chai";
import { DB_INIT_DEADLINE_SECONDS, dbInitJobTimeouts } from "../builders/dbInitJob";

describe("schema Job timing", () => {
    it("lets Pulumi wait longer than the Job's own deadline, so the Job's verdict is what an update reports", () => {
        for (const t of Object.values(dbInitJobTimeouts())) {
            const minutes = Number(/^(\d+)m$/.exec(t)?.[1]);
            expect(minutes * 60, t).to.be.greaterThan(DB_INIT_DEADLINE_SECONDS);
        }
        // The provider's own default is 10 minutes: the deadline used to outlast it.
        expect(DB_INIT_DEADLINE_SECONDS).to.be.greaterThan(600);
    });
});
