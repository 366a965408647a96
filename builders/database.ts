// Where Tinode's database is, as the schema Job, the NetworkPolicies and the backups reach it: the
// MySQL this component deploys (its Service) or the external one the settings name.
import { TinodeSettings } from "../config/settings";
import { PORTS } from "../tinode/facts";
import { ObjectNames, serviceHost } from "./names";

export interface DatabaseTarget {
    host: string;
    port: number;
    database: string;
}

export function databaseTarget(names: ObjectNames, s: TinodeSettings): DatabaseTarget {
    return s.mysql.kind === "internal"
        ? { host: serviceHost(names.mysql, s.namespace, s.clusterDomain), port: PORTS.mysql, database: s.mysql.database }
        : { host: s.mysql.host, port: s.mysql.port, database: s.mysql.database };
}
