import type { RunbookGuides } from "../model";

/*
 * Runbooks of the logging stack's `elasticsearch` pack (components/logging/exporter/rules.ts). Elasticsearch
 * behaviour follows the Elasticsearch reference: cluster health (`GET _cluster/health`), allocation explain,
 * disk-based shard allocation (high watermark relocates shards; flood stage sets
 * `index.blocks.read_only_allow_delete`, released automatically once usage falls below the high watermark
 * since 7.4) and the "Fix common cluster issues" pages (red/yellow status, high JVM memory pressure).
 */

const DASHBOARD = "logging-elasticsearch";
const J = 'job="elasticsearch-exporter"';
const API =
  "Elasticsearch APIs below run from Kibana → *Dev Tools* (logged in as `elastic`), or with `curl -u elastic https://elasticsearch:9200/<api>` (with `--cacert` of the stack's CA; plain `http://` where `monitoring:logging.tls` is off, dev's default) from a pod or container on the stack's network.";

/** Runbooks of the `elasticsearch` pack (components/logging/exporter/rules.ts). */
export const elasticsearchRunbooks: RunbookGuides = {
  elasticsearchclusterred: {
    meaning:
      "The cluster health reported by `GET _cluster/health` has been `red` for 5 minutes: at least one **primary** shard is unassigned. Every index with such a shard has part of its data offline, and writes routed to that shard fail.",
    impact:
      "Logs of the affected data streams are refused by Elasticsearch: Logstash retries them from its persistent queue until the queue fills, then back-pressure reaches Filebeat, which stops reading files (logs rotated away meanwhile are lost). Searches in Kibana over those indices return partial results or errors.",
    diagnose: [
      API,
      "`GET _cluster/health?level=indices&filter_path=indices.*.status` shows which indices are red; `GET _cat/shards?v&h=index,shard,prirep,state,node,unassigned.reason&s=state` lists the unassigned primaries and why.",
      "`GET _cluster/allocation/explain` (no body: the first unassigned shard) says why Elasticsearch does not allocate it: no node with a copy (a data node lost its volume), disk watermark, allocation filtering, or a corrupt shard.",
      "Check that every Elasticsearch node runs: `kubectl -n <namespace> get pods | grep elasticsearch` (prod) or `docker ps --filter name=elasticsearch` (dev), and read the logs of a restarting node.",
      "On the dashboard, compare *Nodes* with the expected count and *Disk used and watermarks*: a red cluster often follows a lost node or a full disk.",
    ],
    queries: [
      {
        title: "Health per cluster (1 = the colour is current)",
        expr: `elasticsearch_cluster_health_status{${J}}`,
      },
      {
        title: "Unassigned and initializing shards",
        expr: `elasticsearch_cluster_health_unassigned_shards{${J}} or elasticsearch_cluster_health_initializing_shards{${J}}`,
      },
      { title: "Nodes in the cluster", expr: `elasticsearch_cluster_health_number_of_nodes{${J}}` },
    ],
    panels: [
      { dashboard: DASHBOARD, panel: "Health" },
      { dashboard: DASHBOARD, panel: "Unassigned shards" },
      { dashboard: DASHBOARD, panel: "Nodes" },
    ],
    fix: [
      "Bring back the missing node (fix its pod, its volume or its memory limit): its shard copies are allocated again as soon as it rejoins.",
      "If allocation explain names the disk watermark, free disk first (see ElasticsearchDiskNearFloodStage).",
      "If allocation retries were exhausted (`max_retries`), retry them once the cause is fixed: `POST _cluster/reroute?retry_failed=true`.",
      "Only if the data of a shard is definitely lost (no node holds a copy): delete the backing index (`DELETE .ds-logs-…`) or, as a last resort, `POST _cluster/reroute` with `allocate_empty_primary` and `accept_data_loss: true`. Both lose that shard's logs; write down which index and time range.",
    ],
  },
  elasticsearchclusteryellow: {
    meaning:
      "The cluster has been `yellow` for 30 minutes: every primary shard is assigned, but some **replica** shards are not. Yellow for a few minutes is normal while a node restarts (rolling update), which is why the alert waits 30 minutes.",
    impact:
      "No log is lost yet and searches work, but the affected indices have no redundant copy: one more node or volume failure turns the cluster red and loses data. A single-node cluster (dev) is yellow for good if its indices ask for replicas.",
    diagnose: [
      API,
      "`GET _cat/shards?v&h=index,shard,prirep,state,node,unassigned.reason&s=state` lists the unassigned replicas.",
      "`GET _cluster/allocation/explain` says why a replica is not allocated: too few nodes (a replica never shares a node with its primary), disk above the high watermark, or a node that left.",
      "`GET _cat/nodes?v&h=name,node.role,heap.percent,disk.used_percent` confirms how many data nodes there are; compare with the *Nodes* panel.",
      "`GET _cat/recovery?v&active_only=true` shows replicas still being copied (slow recoveries on big indices can exceed 30 minutes).",
    ],
    queries: [
      { title: "Health per cluster", expr: `elasticsearch_cluster_health_status{${J}, color="yellow"}` },
      {
        title: "Unassigned shards not waiting for a returning node",
        expr: `elasticsearch_cluster_health_unassigned_shards{${J}} - elasticsearch_cluster_health_delayed_unassigned_shards{${J}}`,
      },
      { title: "Relocating shards", expr: `elasticsearch_cluster_health_relocating_shards{${J}}` },
    ],
    panels: [
      { dashboard: DASHBOARD, panel: "Health" },
      { dashboard: DASHBOARD, panel: "Unassigned shards" },
      { dashboard: DASHBOARD, panel: "Active shards" },
    ],
    fix: [
      "Bring the missing node back, or add a node: replicas are allocated as soon as a node can take them.",
      "If disk blocks allocation, free disk or grow the volumes (`monitoring:logging.elasticsearch.volumeSizeGi`) before anything else.",
      "On a single-node cluster, replicas can never be allocated: the index templates of a one-node stack must ask for 0 replicas; fix the template rather than the alert.",
      "If recovery is merely slow, let it finish; `GET _cat/recovery` shows its progress.",
    ],
  },
  elasticsearchnodesmissing: {
    meaning:
      "`GET _cluster/health` reports fewer nodes than the stack deploys (`monitoring:logging.elasticsearch.replicas`, the number in the rule) for 5 minutes. A node that is down, restarting in a loop or unable to join the cluster (TLS, discovery, version) is missing.",
    impact:
      "Capacity and redundancy are reduced: the shards of the missing node are unassigned (yellow, or red if it held the only copy), the others carry its indexing and search load, and with fewer than a majority of master-eligible nodes the cluster cannot elect a master and stops accepting writes.",
    diagnose: [
      "Find the missing node: `kubectl -n <namespace> get pods -o wide | grep elasticsearch` (prod) or `docker ps -a --filter name=elasticsearch` (dev); look for restarts, Pending pods (volume or node affinity) and OOMKilled.",
      "Read its logs: bootstrap check failures (`vm.max_map_count`), TLS handshake errors (certificate not trusted or expired), `master not discovered`, or disk errors.",
      API + " `GET _cat/nodes?v` lists the nodes that did join.",
      "Check whether the exporter itself scrapes: if `up` of the exporter is 0 the alert cannot fire and the *Nodes* panel is empty instead.",
    ],
    queries: [
      { title: "Nodes per cluster", expr: `elasticsearch_cluster_health_number_of_nodes{${J}}` },
      { title: "Data nodes per cluster", expr: `elasticsearch_cluster_health_number_of_data_nodes{${J}}` },
      { title: "Exporter scrapes", expr: `up{${J}}` },
    ],
    panels: [
      { dashboard: DASHBOARD, panel: "Nodes" },
      { dashboard: DASHBOARD, panel: "Health" },
    ],
    fix: [
      "Fix what keeps the node from starting (its logs say): memory limit too low for the heap, a full or lost volume, a node without capacity for the pod.",
      "For TLS errors, re-issue the certificates of the stack (the certificates are managed by the stack's TLS setup) and restart the node.",
      "If the replica count was lowered on purpose, the rule follows on the next deployment; a scale-down must move shards off the node first (`PUT _cluster/settings` with `cluster.routing.allocation.exclude._name`).",
    ],
  },
  elasticsearchunassignedshards: {
    meaning:
      "Shards have been unassigned for 15 minutes, not counting those Elasticsearch deliberately holds back while a node that left is expected to return (`index.unassigned.node_left.delayed_timeout`). Elasticsearch has tried and failed to place them, or cannot place them at all.",
    impact:
      "Unassigned replicas remove redundancy (the cluster is yellow); unassigned primaries make data unavailable (red) and block indexing into those shards. New backing indices created by rollover may also stay unassigned, which stops a whole data stream.",
    diagnose: [
      API,
      '`GET _cluster/allocation/explain` gives the reason for the first unassigned shard; for a specific one, pass `{"index": "<index>", "shard": 0, "primary": false}`.',
      "`GET _cat/shards?v&h=index,shard,prirep,state,unassigned.reason&s=state` groups them: `NODE_LEFT`, `ALLOCATION_FAILED`, `INDEX_CREATED`.",
      "`GET _cat/allocation?v` shows disk per node: nodes above the high watermark take no new shards.",
    ],
    queries: [
      {
        title: "Unassigned shards not waiting for a node (what the alert computes)",
        expr: `elasticsearch_cluster_health_unassigned_shards{${J}} - elasticsearch_cluster_health_delayed_unassigned_shards{${J}}`,
      },
      {
        title: "Disk used per node",
        expr: `1 - elasticsearch_filesystem_data_available_bytes{${J}} / elasticsearch_filesystem_data_size_bytes{${J}}`,
      },
    ],
    panels: [
      { dashboard: DASHBOARD, panel: "Unassigned shards" },
      { dashboard: DASHBOARD, panel: "Disk used and watermarks" },
    ],
    fix: [
      "Remove the cause allocation explain names: free disk, bring back a node, fix allocation filters or the number of replicas an index asks for.",
      "Then retry allocations that exhausted their retries: `POST _cluster/reroute?retry_failed=true`.",
      "For shards that cannot be placed because the cluster has too few nodes for their replicas, lower `number_of_replicas` of those indices or add a node.",
    ],
  },
  elasticsearchheappressure: {
    meaning:
      "A node's JVM heap has not fallen below 85 % (warning, over 15 minutes) or 95 % (critical, over 5 minutes) at any point: garbage collection no longer frees memory, so the live data (segments, field data, queued requests) fills the heap.",
    impact:
      "Garbage collection pauses lengthen and indexing and searches slow down; circuit breakers reject requests (`CircuitBreakingException`, so Logstash retries bulk requests); at the critical level the node is close to an `OutOfMemoryError`, after which it dies and its shards go unassigned.",
    diagnose: [
      API,
      "`GET _cat/nodes?v&h=name,heap.percent,heap.max,segments.count,fielddata.memory_size` compares the nodes; `GET _nodes/stats/breaker` shows which circuit breaker trips.",
      "`GET _cat/indices?v&s=pri.store.size:desc&h=index,pri,rep,docs.count,pri.store.size` and `GET _cat/shards?v` show whether the node holds many small shards (each shard costs heap).",
      "Look for expensive searches (large aggregations or wide time ranges from Kibana dashboards): `GET _tasks?actions=*search*&detailed`.",
      "Compare the heap size (`-Xmx`, half of the container memory limit) with the load: the *Heap used* panel per node.",
    ],
    queries: [
      {
        title: "Heap used per node",
        expr: `elasticsearch_jvm_memory_used_bytes{${J}, area="heap"} / elasticsearch_jvm_memory_max_bytes{${J}, area="heap"}`,
      },
      {
        title: "Old-generation GC time per second, per node",
        expr: `rate(elasticsearch_jvm_gc_collection_seconds_sum{${J}, gc="old"}[5m])`,
      },
      {
        title: "Circuit breaker trips per second",
        expr: `sum by (name, breaker) (rate(elasticsearch_breakers_tripped{${J}}[5m]))`,
      },
    ],
    panels: [{ dashboard: DASHBOARD, panel: "Heap used" }],
    fix: [
      "Stop the expensive searches (cancel the task: `POST _tasks/<task id>/_cancel`) and narrow the dashboards that run them.",
      "Reduce the number of shards: fewer, larger backing indices (rollover by size in the ILM policy), shorter retention, force-merge old read-only indices.",
      "Give the nodes more memory (`monitoring:logging.elasticsearch.resources`; the heap follows the limit) or add nodes.",
    ],
  },
  elasticsearchdiskabovehighwatermark: {
    meaning:
      "A node's data path is fuller than the cluster's high disk watermark (`cluster.routing.allocation.disk.watermark.high`, 90 % by default, read from the cluster settings by the exporter) for 5 minutes. Above it Elasticsearch allocates no shard to the node and starts moving shards off it.",
    impact:
      "Relocations add I/O and network load; if every node is above the watermark, new backing indices created by rollover cannot be allocated, and the next step, the flood stage, makes indices read-only so logs are refused.",
    diagnose: [
      API,
      "`GET _cat/allocation?v` shows disk used and shard count per node; `GET _cluster/settings?include_defaults=true&filter_path=*.cluster.routing.allocation.disk*` the watermarks in effect.",
      "`GET _cat/indices/.ds-logs-*?v&s=pri.store.size:desc&h=index,docs.count,pri.store.size` finds the biggest backing indices; one noisy service usually dominates.",
      "`GET .ds-logs-*/_ilm/explain?only_errors=true` shows indices the ILM policy fails to roll over or delete (retention that does not run fills the disk).",
    ],
    queries: [
      {
        title: "Disk used per node",
        expr: `1 - elasticsearch_filesystem_data_available_bytes{${J}} / elasticsearch_filesystem_data_size_bytes{${J}}`,
      },
      {
        title: "High watermark in effect",
        expr: `elasticsearch_clustersettings_allocation_watermark_high_ratio{${J}}`,
      },
      {
        title: "Logs indexed per second per data stream (who fills the disk)",
        expr: "topk(10, logging:data_stream_indexed_docs:rate15m)",
      },
    ],
    panels: [
      { dashboard: DASHBOARD, panel: "Disk used and watermarks" },
      { dashboard: DASHBOARD, panel: "Logs indexed per data stream" },
    ],
    fix: [
      "Fix ILM errors so retention deletes old indices again (`POST <index>/_ilm/retry` once the cause is fixed).",
      "Shorten retention (`monitoring:logging.retentionDays`) or delete old backing indices of the biggest data streams (`DELETE .ds-logs-<dataset>-<namespace>-<date>-<generation>`; never the write index).",
      "Drop or sample noisy logs at the source or in the service's Logstash pipeline.",
      "Grow the data volumes (storage class permitting) or add nodes.",
    ],
  },
  elasticsearchdisknearfloodstage: {
    meaning:
      "A node's data path is within 2 percentage points of the flood-stage watermark (`cluster.routing.allocation.disk.watermark.flood_stage`, 95 % by default) for 5 minutes. At the flood stage Elasticsearch puts the `index.blocks.read_only_allow_delete` block on every index with a shard on that node.",
    impact:
      "Once the flood stage is reached, writes to those indices fail (`cluster_block_exception ... read-only / allow delete`): Logstash retries from its persistent queue until it is full, then Filebeat stops shipping, and logs rotated away meanwhile are lost. This is a logging outage in the making.",
    diagnose: [
      API,
      "`GET _cat/allocation?v` for disk per node; `GET _all/_settings/index.blocks.read_only_allow_delete?flat_settings=true` lists indices already blocked.",
      "`GET _cat/indices/.ds-logs-*?v&s=pri.store.size:desc&h=index,docs.count,pri.store.size` for the biggest indices; `GET .ds-logs-*/_ilm/explain?only_errors=true` for retention that does not run.",
      "Check Logstash: its queue grows while Elasticsearch refuses writes (Logstash logs show `cluster_block_exception`).",
    ],
    queries: [
      {
        title: "Disk used per node",
        expr: `1 - elasticsearch_filesystem_data_available_bytes{${J}} / elasticsearch_filesystem_data_size_bytes{${J}}`,
      },
      {
        title: "Flood-stage watermark in effect",
        expr: `elasticsearch_clustersettings_allocation_watermark_flood_stage_ratio{${J}}`,
      },
      {
        title: "Free bytes per node",
        expr: `elasticsearch_filesystem_data_available_bytes{${J}}`,
      },
    ],
    panels: [
      { dashboard: DASHBOARD, panel: "Disk used and watermarks" },
      { dashboard: DASHBOARD, panel: "Logs indexed per data stream" },
    ],
    fix: [
      "Free disk now: delete the oldest backing indices of the biggest data streams (`DELETE .ds-logs-…`, never a write index) or grow the volume.",
      'Elasticsearch (7.4 and later) removes the read-only block by itself once the node falls below the high watermark; if an index stays blocked, clear it with `PUT <index>/_settings {"index.blocks.read_only_allow_delete": null}`.',
      "Then fix the cause as for ElasticsearchDiskAboveHighWatermark: ILM errors, retention too long for the volume, a noisy service.",
    ],
  },
  logsstoppedarriving: {
    meaning:
      "No document has been indexed into a `logs-*` data stream for 30 minutes (a 15-minute indexing rate of 0, held for 15 minutes) although the stream received logs in the last day. The `service` label is the data stream's dataset. The check is end to end: the service, Filebeat, Logstash and Elasticsearch must all work for logs to arrive.",
    impact:
      "The service's logs are not searchable in Kibana from the time they stopped: incidents of that service cannot be investigated from logs, and log-based alerts or reports on it are blind. If the pipeline is blocked (not the service silent), logs buffered on disk may be lost when files rotate.",
    diagnose: [
      "Is the service itself running and logging? A service that was shut down or scaled to zero stops logging legitimately (the alert resolves a day later).",
      "Filebeat on the node or host of the service: its logs show harvester errors or `connection refused` / TLS errors towards Logstash (`kubectl -n <namespace> logs ds/filebeat`, `docker logs <filebeat container>`).",
      "Logstash: its logs show pipeline errors (grok failures go to the event, not the log; a crashed pipeline or refused bulk requests appear here); `GET http://logstash:9600/_node/stats/pipelines` shows events in and out per pipeline.",
      "Elasticsearch: cluster health and blocked indices (see ElasticsearchClusterRed and ElasticsearchDiskNearFloodStage), and `GET _data_stream/logs-<dataset>-*` for the stream's current write index.",
      "Compare with other streams on the *Logs indexed per data stream* panel: if all stopped, the pipeline is broken; if one stopped, look at that service and its pipeline.",
    ],
    queries: [
      {
        title: "Logs indexed per second, per data stream",
        expr: "logging:data_stream_indexed_docs:rate15m",
      },
      {
        title: "Streams with logs in the last day and none now",
        expr: "logging:data_stream_indexed_docs:rate15m == 0 and on (data_stream) max_over_time(logging:data_stream_indexed_docs:rate15m[1d]) > 0",
      },
      {
        title: "Indexing of all streams together",
        expr: `sum(rate(elasticsearch_indices_indexing_index_total{${J}}[15m]))`,
      },
    ],
    panels: [
      { dashboard: DASHBOARD, panel: "Logs indexed per data stream" },
      { dashboard: DASHBOARD, panel: "Health" },
    ],
    fix: [
      "Restart or fix the part that stopped: the service's logging, Filebeat (its registry and inputs), the Logstash pipeline, or Elasticsearch (health, disk).",
      "If the service was retired on purpose, nothing to fix: the alert resolves once the stream has had no logs for a day; silence it until then.",
      "After the fix, check that the buffered logs arrive (the indexing rate of the stream jumps above its usual level while the backlog drains).",
    ],
  },
};
