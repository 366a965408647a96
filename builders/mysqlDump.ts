// How every dump of Tinode's database is taken: the schema Job's before init-db upgrades a schema,
// the one before a MySQL upgrade, and the scheduled backups. One mysqldump command line, so that
// every dump restores the same way (README, "Backups and restore").

/**
 * A shell line that sets $gtid for the client in the image: MySQL's mysqldump adds GTID statements
 * to a dump of a server with GTIDs on, which a managed server refuses on restore, so it is told not
 * to; MariaDB's mysqldump has no such option and refuses the unknown one.
 */
export const MYSQLDUMP_GTID_LINE = `gtid=""; if mysqldump --help 2>/dev/null | grep -q -e '--set-gtid-purged'; then gtid="--set-gtid-purged=OFF"; fi`;

/** What a dump is, as the backups' metadata records it. */
export const MYSQLDUMP_FORMAT = "mysqldump --single-transaction --routines --triggers --databases";

/**
 * mysqldump of the database $DB_NAME to standard output, with the credentials of the option file
 * (a shell word), after MYSQLDUMP_GTID_LINE. --single-transaction: one consistent snapshot of
 * Tinode's InnoDB tables without locking Tinode out.
 */
export function mysqldumpCommand(optionFile: string): string {
    return `mysqldump --defaults-extra-file=${optionFile} --single-transaction --routines --triggers --no-tablespaces --hex-blob --default-character-set=utf8mb4 $gtid --databases "$DB_NAME"`;
}
