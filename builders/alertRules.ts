// Prometheus alerting rules for one Tinode cluster, as plain data: the PrometheusRule's spec, and the
// same groups rendered as a rule file for promtool and a plain Prometheus (monitoring/, e2e).
//
// Metric names are the exporter's (monitoring/exporter/prom_exporter.go at v0.25.3, --prom_namespace
// tinode): tinode_up (0 when the expvar page cannot be read), tinode_cluster_nodes_live (Tinode's
// LiveClusterNodes: the PEERS a node is connected to, itself excluded, so a healthy N-node cluster
// shows N-1 on every node), tinode_cluster_leader, tinode_cluster_size. The Kubernetes-side alerts use
// kube-state-metrics (kube-prometheus-stack ships it); without it they stay silent, never firing.
import { hasFailover, isCluster } from "../tinode/facts";
import { ExporterMonitoring, TinodeSettings } from "../config/settings";
import { canarySelector } from "./canary";
import { failoverBoundsMs } from "./clusterNodes";
import { SETTLE_DEADLINE_SECONDS, settleSeconds } from "./clusterSettle";
import { targetSelector } from "./exporter";
import { ObjectNames } from "./names";

export interface AlertRule {
    alert: string;
    expr: string;
    /** Omitted for states that are final the moment they are seen (a failed Job). */
    for?: string;
    labels: { severity: "critical" | "warning" };
    annotations: { summary: string; description: string };
}

export interface RuleGroup {
    name: string;
    /** Evaluated as often as the targets are scraped: the `for:` durations below assume it. */
    interval: string;
    rules: AlertRule[];
}

export interface RuleFile {
    groups: RuleGroup[];
}

/**
 * Server errors (5xx answers) are counted over SERVER_ERRORS_WINDOW and must go on for
 * SERVER_ERRORS_FOR: a roll answers a few (a restarting peer, a database reconnect) and stops; a
 * topic whose master lost track of its sequence ids answers every publish with 500 until it is
 * reloaded (README, "A topic that refuses every message").
 */
export const SERVER_ERRORS_WINDOW = "5m";
export const SERVER_ERRORS_FOR = "10m";

/** Restarts within RESTART_WINDOW that count as "restarting repeatedly". */
export const RESTART_THRESHOLD = 3;
export const RESTART_WINDOW = "15m";

/**
 * The `for:` durations (seconds), derived from the scrape interval and Tinode's own failover timing.
 *
 * - serverDown: two scrapes in a row. One failed scrape is a blip (a slow expvar page, a restarted
 *   Prometheus); two are a server that is not answering.
 * - clusterDegraded: at least the failover window, the longest the survivors take to elect a leader
 *   and drop the dead node when the first election round fails (failoverBoundsMs: 4.25 s with the
 *   defaults). Until then the cluster is still failing over. Never less than two scrapes.
 * - leader (no leader / several leaders): twice the failover window. Rounds can fail more than once
 *   (each adds voteAfter ticks); a leaderless moment during an election is normal, a leaderless
 *   cluster after two windows is not.
 * - mysqlDown: two scrapes of kube-state-metrics' view of the MySQL StatefulSet.
 * - deliveryBroken (with the canary): longer than a restarted pod may fail to deliver in a healthy
 *   roll: its start waits up to the settle deadline for the cluster, then minReadySeconds
 *   (builders/clusterSettle.ts), and the canary sees it at its next round. At least three rounds,
 *   and two scrapes. A split ring fails the same pairs every round, for good.
 */
export interface AlertTimings {
    scrapeIntervalSeconds: number;
    failoverWindowMs: number;
    serverDown: number;
    clusterDegraded: number;
    leader: number;
    mysqlDown: number;
    /** Present with the canary. */
    deliveryBroken?: number;
}

export function alertTimings(s: Pick<TinodeSettings, "failover">, mon: ExporterMonitoring): AlertTimings {
    const scrape = mon.scrapeIntervalSeconds;
    const f = s.failover;
    const failoverWindowMs = failoverBoundsMs(f).leaderKilledRetry;
    const windowS = Math.ceil(failoverWindowMs / 1000);
    return {
        scrapeIntervalSeconds: scrape,
        failoverWindowMs,
        serverDown: 2 * scrape,
        clusterDegraded: Math.max(2 * scrape, windowS),
        leader: Math.max(2 * scrape, 2 * windowS),
        mysqlDown: 2 * scrape,
        ...(mon.canary
            ? {
                  deliveryBroken: Math.max(
                      3 * mon.canary.intervalSeconds,
                      SETTLE_DEADLINE_SECONDS + settleSeconds(f) + mon.canary.intervalSeconds,
                      2 * scrape,
                  ),
              }
            : {}),
    };
}

/** Seconds as a Prometheus duration: 90 -> "1m30s". */
export function promDuration(seconds: number): string {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const sec = seconds % 60;
    const out = `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${sec ? `${sec}s` : ""}`;
    return out === "" ? "0s" : out;
}

export function alertRuleFile(
    names: ObjectNames,
    s: Pick<TinodeSettings, "failover" | "mysql" | "namespace" | "replicas">,
    mon: ExporterMonitoring,
): RuleFile {
    const t = alertTimings(s, mon);
    const sel = targetSelector(names, s);
    const ns = `namespace="${s.namespace}"`;
    const dur = promDuration;
    const where = `${s.namespace}/${names.tinode}`;
    const rules: AlertRule[] = [
        {
            alert: "TinodeServerDown",
            // tinode_up 0: the exporter runs but Tinode's expvar page does not answer (server dead or
            // hung, container restarting). up 0: the pod's exporter itself cannot be scraped.
            expr: `tinode_up{${sel}} == 0 or up{${sel}} == 0`,
            for: dur(t.serverDown),
            labels: { severity: "critical" },
            annotations: {
                summary: `Tinode node {{ $labels.pod }} of ${where} is not serving`,
                description: `Two scrapes in a row (${dur(t.serverDown)}) found {{ $labels.pod }} not answering its stats page. Its clients are cut off and its topics move to the other nodes.`,
            },
        },
        {
            alert: "TinodeServersMissing",
            // Catches what the per-target alert cannot: pods gone altogether (deleted, unschedulable,
            // never scraped), whose series simply vanish.
            expr: `(count(tinode_up{${sel}} == 1) or vector(0)) < ${s.replicas}`,
            for: dur(t.serverDown),
            labels: { severity: "critical" },
            annotations: {
                summary: `${where}: fewer than ${s.replicas} Tinode nodes are serving`,
                description: `Only {{ $value }} of ${s.replicas} Tinode nodes answered the last scrapes for ${dur(t.serverDown)}.`,
            },
        },
    ];
    if (isCluster(s.replicas)) {
        rules.push({
            alert: "TinodeClusterDegraded",
            // Any node that sees fewer peers than it should. Usually only the leader notices a dead
            // follower (it is the one calling every node), so this is a per-node test, not an average.
            expr: `tinode_cluster_nodes_live{${sel}} < ${s.replicas - 1}`,
            for: dur(t.clusterDegraded),
            labels: { severity: "critical" },
            annotations: {
                summary: `Tinode node {{ $labels.pod }} of ${where} sees {{ $value }} of ${s.replicas - 1} peers`,
                description: `For longer than the failover window (${t.failoverWindowMs} ms) and two scrapes, a node has been connected to fewer peers than the ${s.replicas}-node cluster has. Topics of the missing node live elsewhere now; with fewer than 3 nodes left there is no failover.`,
            },
        });
    }
    // Leader election exists only with failover.
    if (hasFailover(s.replicas)) {
        rules.push(
            {
                alert: "TinodeNoLeader",
                expr: `sum(tinode_cluster_leader{${sel}}) == 0`,
                for: dur(t.leader),
                labels: { severity: "critical" },
                annotations: {
                    summary: `${where} has no cluster leader`,
                    description: `No node has been leader for ${dur(t.leader)}, longer than an election takes (twice the failover window, ${2 * t.failoverWindowMs} ms): nothing drops dead nodes from the hash ring, so a further failure is not failed over.`,
                },
            },
            {
                alert: "TinodeSplitBrain",
                expr: `sum(tinode_cluster_leader{${sel}}) > 1`,
                for: dur(t.leader),
                labels: { severity: "critical" },
                annotations: {
                    summary: `${where} has {{ $value }} cluster leaders`,
                    description: `Several nodes have believed themselves leader for ${dur(t.leader)}: the nodes disagree about the ring and may place one topic on two nodes.`,
                },
            },
        );
    }
    rules.push({
        alert: "TinodeServerErrors",
        // Tinode's own count of the {ctrl} answers with a 5xx code, per node (exporter:
        // ctrl_codes_total_5xx from CtrlCodesTotal5xx, server/session.go).
        expr: `rate(tinode_ctrl_codes_total_5xx{${sel}}[${SERVER_ERRORS_WINDOW}]) > 0`,
        for: SERVER_ERRORS_FOR,
        labels: { severity: "warning" },
        annotations: {
            summary: `Tinode node {{ $labels.pod }} of ${where} keeps answering requests with server errors`,
            description: `For ${SERVER_ERRORS_FOR} {{ $labels.pod }} has answered requests with 5xx codes (now {{ $value | humanize }} a second). Its log says why: database errors, or "failed to save message: Duplicate entry '<topic>-<seq>'" for a topic that refuses every message (README, "A topic that refuses every message").`,
        },
    });
    const podsOfStack = [`${names.tinode}-[0-9]+`, ...(s.mysql.kind === "internal" ? [`${names.mysql}-[0-9]+`] : [])].join("|");
    rules.push(
        {
            alert: "TinodeSchemaJobFailed",
            // kube_job_failed (the Job's Failed condition), not kube_job_status_failed: the Job retries
            // (backoffLimit), and a pod that failed once before a retry succeeded is no failure.
            expr: `kube_job_failed{${ns},job_name=~"${names.dbInitJob}-.*",condition="true"} > 0`,
            labels: { severity: "critical" },
            annotations: {
                summary: `Schema Job {{ $labels.job_name }} in ${s.namespace} failed`,
                description:
                    "init-db --upgrade gave up after its retries. The StatefulSet update waits for it: the pods stay on the old version.",
            },
        },
        {
            alert: "TinodePodRestarting",
            expr: `increase(kube_pod_container_status_restarts_total{${ns},pod=~"${podsOfStack}"}[${RESTART_WINDOW}]) >= ${RESTART_THRESHOLD}`,
            labels: { severity: "warning" },
            annotations: {
                summary: `{{ $labels.pod }}/{{ $labels.container }} in ${s.namespace} keeps restarting`,
                description: `It restarted ${RESTART_THRESHOLD} or more times in ${RESTART_WINDOW}: a crash, a failed liveness probe or out of memory.`,
            },
        },
    );
    if (s.mysql.kind === "internal") {
        rules.push({
            alert: "TinodeMysqlDown",
            // Ready replicas of the StatefulSet: also 0 when the pod is gone, which a per-pod
            // readiness series would not show.
            expr: `kube_statefulset_status_replicas_ready{${ns},statefulset="${names.mysql}"} < 1`,
            for: dur(t.mysqlDown),
            labels: { severity: "critical" },
            annotations: {
                summary: `MySQL ${s.namespace}/${names.mysql} is not ready`,
                description:
                    "Tinode's database is not ready: requests that need it fail, and a Tinode node that restarts now cannot start.",
            },
        });
    }
    if (mon.canary && t.deliveryBroken !== undefined) rules.push(...canaryRules(names, s, mon, t.deliveryBroken));
    return { groups: [{ name: `tinode.${s.namespace}.${names.tinode}`, interval: promDuration(mon.scrapeIntervalSeconds), rules }] };
}

/** The alerts on the delivery canary's metrics (canary/canary.js). */
function canaryRules(
    names: ObjectNames,
    s: Pick<TinodeSettings, "namespace" | "replicas">,
    mon: ExporterMonitoring,
    forSeconds: number,
): AlertRule[] {
    const sel = canarySelector(names, s);
    const where = `${s.namespace}/${names.tinode}`;
    const interval = mon.canary!.intervalSeconds;
    // No completed round for this long: the canary is dead, hung or cannot log in anywhere.
    const stale = 5 * interval;
    return [
        {
            alert: "TinodeDeliveryBroken",
            // Per pair: the same pair failing round after round, which a roll does not do. Pairs
            // with an unreachable pod are not reported (that pod is down: TinodeServerDown).
            expr: `tinode_canary_pair_delivered{${sel}} == 0`,
            for: promDuration(forSeconds),
            labels: { severity: "critical" },
            annotations: {
                summary: `${where}: messages published through {{ $labels.from }} do not reach sessions on {{ $labels.to }}`,
                description: `For ${promDuration(forSeconds)} the canary's message through {{ $labels.from }} has not reached its session on {{ $labels.to }}, although both pods accept connections. With healthy cluster metrics this is a split hash ring (the leader's ring differs from the followers'): restart the leader pod (README, "A split ring").`,
            },
        },
        {
            alert: "TinodeCanaryFailing",
            expr: `up{${sel}} == 0 or (time() - tinode_canary_last_round_timestamp_seconds{${sel}}) > ${stale} or tinode_canary_pods_unreachable{${sel}} >= ${s.replicas} or tinode_canary_pods_login_failed{${sel}} > 0`,
            for: promDuration(forSeconds),
            labels: { severity: "warning" },
            annotations: {
                summary: `${where}: the delivery canary is not checking delivery`,
                description: `The canary is not scraped, has completed no round for ${promDuration(stale)}, reaches none of the ${s.replicas} pods, or a pod refuses its login (see its log). Until it works, a split ring goes unseen.`,
            },
        },
    ];
}

/**
 * The rule file as Prometheus reads it (`rule_files:`, `promtool check rules`). JSON is YAML, so
 * no YAML library is needed and the text is exactly the PrometheusRule's spec.
 */
export function renderRuleFile(file: RuleFile): string {
    return `${JSON.stringify(file, null, 2)}\n`;
}
