import type { RunbookGuides } from "../model";

const K = 'job="kube-state-metrics"';
const L = 'job="kubelet"';
const T = 'job="kube-state-metrics-telemetry"';
const D = "kubernetes-workloads";

const events =
  "`kubectl -n <namespace> get events --sort-by=.lastTimestamp` lists what the controllers and the scheduler did recently.";

export const kubernetesRunbooks: RunbookGuides = {
  kubepodcrashlooping: {
    meaning:
      "A container has been in `CrashLoopBackOff` for 15 minutes: it starts, exits (or is killed), and the kubelet waits longer and longer before starting it again.",
    impact:
      "The pod serves nothing, or only between crashes; if all replicas of a workload crash, the service is down. Each restart also loses in-memory state.",
    diagnose: [
      "`kubectl -n <namespace> logs <pod> -c <container> --previous` shows the output of the last crashed run; `kubectl describe pod <pod>` shows the exit code and `Last State` (Error, OOMKilled, Completed).",
      "Exit code 137 with `OOMKilled` is a memory limit (ContainerOOMKilled fires too); 1 or 2 an application error, often configuration or a dependency it cannot reach; a liveness probe failure shows in the events.",
      events,
    ],
    queries: [
      {
        title: "Containers waiting in CrashLoopBackOff",
        expr: `kube_pod_container_status_waiting_reason{${K}, reason="CrashLoopBackOff"} == 1`,
      },
      {
        title: "Restarts per container in the last hour",
        expr: `increase(kube_pod_container_status_restarts_total{${K}}[1h]) > 0`,
      },
      {
        title: "Last termination reason per container",
        expr: `kube_pod_container_status_last_terminated_reason{${K}} == 1`,
      },
    ],
    panels: [
      { dashboard: D, panel: "Crash-looping containers" },
      { dashboard: D, panel: "Container restarts per pod" },
      { dashboard: D, panel: "Containers waiting" },
    ],
    fix: [
      "Fix what the previous run's log names (configuration, secrets, a dependency), raise the memory limit for OOM kills, or relax a liveness probe that kills a slow start (use a startup probe).",
      "Roll back the last change of the workload (`kubectl rollout undo`, or revert it in the code that deploys it) if the crash started with it.",
    ],
  },
  kubepodnotready: {
    meaning:
      "A pod that is not part of a Job has been Pending, Unknown, or Running without being ready for 15 minutes. Pods held back on purpose by a scheduling gate are left out.",
    impact:
      "The pod receives no traffic: its workload runs with fewer replicas than intended, or not at all. Pending pods often mean the cluster lacks capacity for the next replica too.",
    diagnose: [
      "`kubectl -n <namespace> describe pod <pod>`: for Pending, the scheduler's events (`Insufficient cpu`, `didn't match node affinity`, `pod has unbound immediate PersistentVolumeClaims`); for Running but not ready, the readiness probe failures.",
      "Unknown means the node stopped reporting: `kubectl get nodes` and the node's condition.",
      events,
    ],
    queries: [
      {
        title: "Pods by phase in a namespace",
        expr: `sum by (phase) (kube_pod_status_phase{${K}, namespace="<namespace>"})`,
      },
      {
        title: "Running pods that are not ready",
        expr: `kube_pod_status_phase{${K}, phase="Running"} == 1 and on (namespace, pod) kube_pod_status_ready{${K}, condition="true"} == 0`,
      },
    ],
    panels: [
      { dashboard: D, panel: "Pods not ready" },
      { dashboard: D, panel: "Pending pods" },
      { dashboard: D, panel: "Pods by phase" },
    ],
    fix: [
      "Pending: add capacity (nodes, or a node group the pod's affinity and tolerations allow), lower the pod's requests, or fix its volume claim.",
      "Not ready: fix what the readiness probe checks (a dependency, slow start-up), or the probe itself.",
    ],
  },
  kubedeploymentgenerationmismatch: {
    meaning:
      "A Deployment's spec has changed (its `metadata.generation` moved) and its controller has not observed the new generation for 15 minutes. The deployment controller normally observes a change within seconds.",
    impact:
      "The change (new image, new configuration) is not being rolled out, and nothing rolls it back: what runs is not what was deployed.",
    diagnose: [
      "`kubectl -n <namespace> get deployment <name> -o yaml`: compare `metadata.generation` with `status.observedGeneration` and read `status.conditions`.",
      "A controller that observes no Deployment at all points at kube-controller-manager (on a managed cluster: the provider's control-plane status).",
      "A paused Deployment (`spec.paused: true`) still observes its generation; check admission webhooks that may reject the controller's updates.",
    ],
    queries: [
      {
        title: "Spec generation ahead of the observed one",
        expr: `kube_deployment_metadata_generation{${K}} - kube_deployment_status_observed_generation{${K}}`,
      },
    ],
    panels: [{ dashboard: D, panel: "Rollouts not progressing" }],
    fix: [
      "Restore kube-controller-manager (or open a case with the cluster provider), or remove what blocks the controller; then re-apply the change.",
    ],
  },
  kubedeploymentreplicasmismatch: {
    meaning:
      "A Deployment has had fewer available replicas than its spec asks for, and no rollout progress (the count of updated replicas did not change in 10 minutes), for 15 minutes.",
    impact:
      "The service runs on fewer replicas than intended: less capacity, and less redundancy against the next pod or node failure.",
    diagnose: [
      "`kubectl -n <namespace> get rs,pods -l <the deployment's selector>`: which pods are missing or not ready, and why (KubePodNotReady, KubePodCrashLooping usually fire beside this).",
      "`kubectl -n <namespace> describe deployment <name>` shows the replica sets and the conditions; a quota or a failing admission webhook stops new pods from being created (`FailedCreate` events).",
    ],
    queries: [
      {
        title: "Replicas missing per Deployment",
        expr: `kube_deployment_spec_replicas{${K}} - kube_deployment_status_replicas_available{${K}}`,
      },
    ],
    panels: [
      { dashboard: D, panel: "Replicas missing per workload" },
      { dashboard: D, panel: "Deployments" },
    ],
    fix: [
      "Fix why the pods do not become available (capacity, crashes, readiness), or the quota or webhook that keeps them from being created.",
    ],
  },
  kubedeploymentrolloutstuck: {
    meaning:
      "A Deployment's `Progressing` condition has been false for 15 minutes: its rollout made no progress within `progressDeadlineSeconds` (600 s by default) and the controller gave up waiting (`ProgressDeadlineExceeded`).",
    impact:
      "The new version is not fully rolled out: old and new pods may both be running, and the change is stuck halfway until someone acts. Kubernetes does not roll back on its own.",
    diagnose: [
      "`kubectl -n <namespace> rollout status deployment <name>` and `kubectl describe deployment <name>` name the condition's reason and the new replica set.",
      "Look at the new replica set's pods: image pull errors (KubeContainerWaiting), crashes, readiness failures, or pods that cannot be scheduled.",
    ],
    queries: [
      {
        title: "Deployments whose rollout is not progressing",
        expr: `kube_deployment_status_condition{${K}, condition="Progressing", status="false"} == 1`,
      },
    ],
    panels: [
      { dashboard: D, panel: "Rollouts not progressing" },
      { dashboard: D, panel: "Deployments" },
    ],
    fix: [
      "Fix the new version (image, configuration, probes) and deploy again, or roll back: `kubectl -n <namespace> rollout undo deployment <name>` (then fix the source, or the next deploy repeats it).",
    ],
  },
  kubestatefulsetreplicasmismatch: {
    meaning:
      "A StatefulSet has not had as many ready replicas as its spec asks for, with no update progress in 10 minutes, for 15 minutes.",
    impact:
      "The stateful service (a database, a queue, a clustered store) runs with fewer members: less capacity, possibly no quorum, and its clients may fail over or stop.",
    diagnose: [
      "`kubectl -n <namespace> get pods -l <the set's selector>`: StatefulSets start pods in order by default, so one stuck pod (pending on its volume, crash looping) blocks the ones after it.",
      "A Pending pod often waits for its PersistentVolumeClaim: a volume in another zone than any schedulable node, or a storage class that cannot provision (KubePersistentVolumeErrors).",
    ],
    queries: [
      {
        title: "Replicas not ready per StatefulSet",
        expr: `kube_statefulset_replicas{${K}} - kube_statefulset_status_replicas_ready{${K}}`,
      },
    ],
    panels: [
      { dashboard: D, panel: "Replicas missing per workload" },
      { dashboard: D, panel: "StatefulSets" },
    ],
    fix: [
      "Fix the stuck pod (its volume, its crash, its readiness); the pods after it follow once it is ready.",
    ],
  },
  kubestatefulsetgenerationmismatch: {
    meaning:
      "A StatefulSet's spec has changed and its controller has not observed the new generation for 15 minutes.",
    impact:
      "The change is not being applied to the set's pods, and nothing rolls it back: what runs is not what was deployed.",
    diagnose: [
      "`kubectl -n <namespace> get statefulset <name> -o yaml`: compare `metadata.generation` with `status.observedGeneration` and read the events.",
      "A controller that observes nothing points at kube-controller-manager (on a managed cluster: the provider's control plane).",
    ],
    queries: [
      {
        title: "Spec generation ahead of the observed one",
        expr: `kube_statefulset_metadata_generation{${K}} - kube_statefulset_status_observed_generation{${K}}`,
      },
    ],
    panels: [{ dashboard: D, panel: "Rollouts not progressing" }],
    fix: [
      "Restore the controller or remove what blocks it (a rejecting admission webhook), then re-apply the change.",
    ],
  },
  kubestatefulsetupdatenotrolledout: {
    meaning:
      "A StatefulSet's update revision differs from its current revision, not every replica runs the update, and the number of updated replicas has not moved for 5 minutes: an update started and stopped, for 15 minutes.",
    impact:
      "The set runs two versions side by side. A rolling update of a StatefulSet waits for each updated pod to be ready before the next, so one failing pod holds the rest back indefinitely.",
    diagnose: [
      "`kubectl -n <namespace> rollout status statefulset <name>` and the highest-ordinal pod's state: it is the one the update waits for.",
      "A `partition` in `spec.updateStrategy.rollingUpdate` stops the update on purpose at that ordinal: check it before treating this as a failure.",
    ],
    queries: [
      {
        title: "Replicas not yet updated per StatefulSet",
        expr: `kube_statefulset_replicas{${K}} - kube_statefulset_status_replicas_updated{${K}}`,
      },
      {
        title: "Current and update revisions",
        expr: `kube_statefulset_status_current_revision{${K}} or kube_statefulset_status_update_revision{${K}}`,
      },
    ],
    panels: [{ dashboard: D, panel: "StatefulSets" }],
    fix: [
      "Fix the updated pod that does not become ready (or roll the set back to the previous template); a pod stuck on a broken revision may need deleting once the template is fixed (the documented StatefulSet `forced rollback`).",
    ],
  },
  kubedaemonsetrolloutstuck: {
    meaning:
      "A DaemonSet has not finished its rollout for 15 minutes and the number of updated pods has not changed in 5 minutes: pods are missing, misscheduled, not updated or not available on some nodes.",
    impact:
      "The per-node service (log shipping, networking, monitoring agents) is missing or outdated on some nodes; for CNI or storage daemons, pods on those nodes may fail.",
    diagnose: [
      "`kubectl -n <namespace> rollout status daemonset <name>` and `kubectl get pods -o wide -l <selector>`: the nodes whose pod is old, missing or not ready.",
      "With `maxUnavailable: 1` one pod that does not become ready stops the whole rollout.",
    ],
    queries: [
      {
        title: "Pods not updated per DaemonSet",
        expr: `kube_daemonset_status_desired_number_scheduled{${K}} - kube_daemonset_status_updated_number_scheduled{${K}}`,
      },
      {
        title: "Pods not available per DaemonSet",
        expr: `kube_daemonset_status_desired_number_scheduled{${K}} - kube_daemonset_status_number_available{${K}}`,
      },
    ],
    panels: [
      { dashboard: D, panel: "DaemonSets" },
      { dashboard: D, panel: "Replicas missing per workload" },
    ],
    fix: [
      "Fix the pod that does not become ready on its node (its log, its resources, a taint it does not tolerate), or roll the DaemonSet back.",
    ],
  },
  kubecontainerwaiting: {
    meaning:
      "A container has been waiting to start for more than an hour for a reason other than a crash loop: `ContainerCreating`, `ImagePullBackOff`/`ErrImagePull`, `CreateContainerConfigError`, `CreateContainerError`...",
    impact:
      "The container never runs: its pod is not ready and its workload is short of a replica (or a Job never starts).",
    diagnose: [
      "The alert names the reason. `kubectl -n <namespace> describe pod <pod>` shows the detail in the events: the image that cannot be pulled (name, tag, registry credentials), the missing ConfigMap/Secret key, the volume that cannot be mounted.",
      events,
    ],
    queries: [
      {
        title: "Containers waiting, with the reason",
        expr: `kube_pod_container_status_waiting_reason{${K}} > 0`,
      },
    ],
    panels: [{ dashboard: D, panel: "Containers waiting" }],
    fix: [
      "Fix the reason: the image reference or the pull secret, the missing ConfigMap or Secret, the volume; the kubelet retries on its own once it is fixed.",
    ],
  },
  kubedaemonsetnotscheduled: {
    meaning:
      "For 10 minutes, a DaemonSet has wanted pods on more nodes than it has pods scheduled: some nodes that should run it do not.",
    impact: "Those nodes lack the per-node service (logs, metrics, networking or storage agent).",
    diagnose: [
      "`kubectl -n <namespace> describe daemonset <name>` and the events: a node without room for the pod's requests, or a pod that cannot be created.",
      "Compare the DaemonSet's tolerations and node selector with the new nodes' taints and labels.",
    ],
    queries: [
      {
        title: "Pods not scheduled per DaemonSet",
        expr: `kube_daemonset_status_desired_number_scheduled{${K}} - kube_daemonset_status_current_number_scheduled{${K}}`,
      },
    ],
    panels: [{ dashboard: D, panel: "DaemonSets" }],
    fix: [
      "Free capacity on the nodes (or lower the DaemonSet's requests; give it a priority class so it preempts ordinary pods), or fix what prevents the pod from being created.",
    ],
  },
  kubedaemonsetmisscheduled: {
    meaning:
      "For 15 minutes, pods of a DaemonSet have been running on nodes they should not run on (the node's labels or taints changed after the pod was placed).",
    impact:
      "Usually little: the pod does the work on a node that should not have it. It can keep a node from draining as intended, or run an agent where it is not wanted.",
    diagnose: [
      "`kubectl get pods -o wide -l <selector>` against the DaemonSet's node selector and tolerations: which node no longer matches, and what changed on it.",
    ],
    queries: [
      {
        title: "Misscheduled pods per DaemonSet",
        expr: `kube_daemonset_status_number_misscheduled{${K}} > 0`,
      },
    ],
    panels: [{ dashboard: D, panel: "DaemonSets" }],
    fix: [
      "Restore the node's labels or taints, or update the DaemonSet's selector; delete the stray pod if it should not run there.",
    ],
  },
  kubejobnotcompleted: {
    meaning:
      "A Job has been active (running pods) for more than 12 hours since it started: the upstream mixin's default timeout for a Job.",
    impact:
      "Whatever the Job produces (a backup, a migration, a report) is late; a stuck Job may hold locks or resources, and a CronJob with `concurrencyPolicy: Forbid` skips its next runs.",
    diagnose: [
      "`kubectl -n <namespace> describe job <name>` and the logs of its pods: is it working slowly or hanging?",
      "Pods that keep failing and retrying (up to `backoffLimit`) also keep the Job active.",
    ],
    queries: [
      {
        title: "Seconds since each active Job started",
        expr: `time() - kube_job_status_start_time{${K}} and kube_job_status_active{${K}} > 0`,
      },
    ],
    panels: [{ dashboard: D, panel: "Jobs" }],
    fix: [
      "Fix the hang or the slowness; give the Job an `activeDeadlineSeconds` so that Kubernetes ends it (and KubeJobFailed reports it) instead of letting it run on.",
    ],
  },
  kubejobfailed: {
    meaning:
      "A Job has had a `Failed` condition (status true) for 15 minutes: it exhausted its `backoffLimit` or passed its `activeDeadlineSeconds`. The upstream expression also matched a Failed condition whose status is false; this one does not.",
    impact:
      "What the Job does did not happen. The alert stays until the Job object is deleted (or replaced by the next run, for a CronJob with a history limit).",
    diagnose: [
      "`kubectl -n <namespace> describe job <name>` shows the failure reason (`BackoffLimitExceeded`, `DeadlineExceeded`); the logs of its last pods show why they failed.",
    ],
    queries: [
      { title: "Failed Jobs", expr: `kube_job_failed{${K}, condition="true"} > 0` },
      { title: "Failed pods per Job, with the reason", expr: `kube_job_status_failed{${K}} > 0` },
    ],
    panels: [
      { dashboard: D, panel: "Failed jobs" },
      { dashboard: D, panel: "Jobs" },
    ],
    fix: [
      "Fix the cause and run the Job again; then delete the failed Job (`kubectl -n <namespace> delete job <name>`), which clears the alert.",
    ],
  },
  kubehpareplicasmismatch: {
    meaning:
      "A HorizontalPodAutoscaler has wanted a different number of replicas than it has for 15 minutes, while between its minimum and maximum and without the current count changing: it decided to scale and the scaling does not happen.",
    impact:
      "The workload runs at the wrong size: too few replicas for its load (latency, errors) or too many (cost).",
    diagnose: [
      "`kubectl -n <namespace> describe hpa <name>`: its conditions (`AbleToScale`, `ScalingActive`) and events; then the target workload's pods: new ones may be Pending for lack of capacity (KubePodNotReady).",
    ],
    queries: [
      {
        title: "Desired against current replicas per HPA",
        expr: `kube_horizontalpodautoscaler_status_desired_replicas{${K}} - kube_horizontalpodautoscaler_status_current_replicas{${K}}`,
      },
    ],
    panels: [{ dashboard: D, panel: "Autoscalers: current against maximum replicas" }],
    fix: [
      "Add cluster capacity (or let the cluster autoscaler do so), or fix what keeps the new pods from starting.",
    ],
  },
  kubehpamaxedout: {
    meaning:
      "A HorizontalPodAutoscaler has run at its maximum replicas for 15 minutes (autoscalers whose minimum equals their maximum are left out).",
    impact: "The workload cannot grow further: if the load keeps rising, its latency and errors will.",
    diagnose: [
      "Check the metric the HPA scales on (`kubectl describe hpa <name>`) and the workload's latency and errors: is the load real, or is a replica inefficient (a CPU-bound loop, a slow dependency)?",
    ],
    queries: [
      {
        title: "Current replicas against the maximum per HPA",
        expr: `kube_horizontalpodautoscaler_status_current_replicas{${K}} / kube_horizontalpodautoscaler_spec_max_replicas{${K}}`,
      },
    ],
    panels: [{ dashboard: D, panel: "Autoscalers: current against maximum replicas" }],
    fix: [
      "Raise `maxReplicas` if the cluster has room, make each replica handle more, or shed or shape the load.",
    ],
  },
  kubepdbnotenoughhealthypods: {
    meaning:
      "For 15 minutes, a PodDisruptionBudget has had fewer healthy pods than it requires (`status.desiredHealthy`).",
    impact:
      "The workload is already below the availability its budget protects, and voluntary disruptions (node drains, cluster upgrades) are blocked for it: upgrades stall.",
    diagnose: [
      "`kubectl -n <namespace> get pdb <name>` and the pods it selects: which are not ready, and why (KubePodNotReady, KubePodCrashLooping).",
      "A budget whose selector matches fewer pods than its `minAvailable` can never be satisfied: check the numbers.",
    ],
    queries: [
      {
        title: "Healthy pods missing per budget",
        expr: `kube_poddisruptionbudget_status_desired_healthy{${K}} - kube_poddisruptionbudget_status_current_healthy{${K}}`,
      },
    ],
    panels: [{ dashboard: D, panel: "Disruption budgets: healthy pods missing" }],
    fix: [
      "Bring the selected pods back to ready, or correct a budget that asks for more than the workload runs.",
    ],
  },
  kubepersistentvolumefillingup: {
    meaning:
      'Critical: the volume of a PersistentVolumeClaim has less than 3 % of its space free (for 1 minute). Warning: it has less than 15 % free and, at the trend of the last 6 hours, fills up within four days (for 1 hour). From the kubelet\'s volume stats; read-only-many claims and claims labelled `excluded_from_alerts: "true"` are left out.',
    impact:
      "When the volume is full, the application on it fails its writes: databases stop or crash, queues reject messages, Prometheus stops ingesting.",
    diagnose: [
      "Find what grows: `kubectl -n <namespace> exec <pod> -- du -xh <mount path> | sort -h | tail`; old logs, WAL or backups that are never cleaned up are the usual cause.",
      "*Volume space used* shows whether the growth is steady (more data) or sudden (a runaway write).",
    ],
    queries: [
      {
        title: "Share of space free per claim",
        expr: `kubelet_volume_stats_available_bytes{${L}} / kubelet_volume_stats_capacity_bytes{${L}}`,
      },
      {
        title: "Free bytes predicted four days ahead",
        expr: `predict_linear(kubelet_volume_stats_available_bytes{${L}}[6h], 4 * 24 * 3600)`,
      },
    ],
    panels: [
      { dashboard: D, panel: "Volume space used" },
      { dashboard: D, panel: "Fullest volumes" },
    ],
    fix: [
      "Delete or compact what is not needed, or expand the claim (`kubectl edit pvc` / the workload's volume size; needs a storage class with `allowVolumeExpansion`). For this stack's Prometheus: `monitoring:prometheus.volume.size` or its retention.",
      'Label a claim `excluded_from_alerts: "true"` only if filling it is expected (a cache that evicts by itself).',
    ],
  },
  kubepersistentvolumeinodesfillingup: {
    meaning:
      "Critical: the volume of a PersistentVolumeClaim has less than 3 % of its inodes free (for 1 minute). Warning: less than 15 % free and running out within four days at the trend of the last 6 hours (for 1 hour). Read-only-many and opted-out claims are left out.",
    impact:
      "With no inodes left no file can be created, however much space is free: the application fails its writes.",
    diagnose: [
      "Many small files are the cause: `kubectl -n <namespace> exec <pod> -- sh -c 'find <mount path> -xdev -type f | cut -d/ -f1-4 | sort | uniq -c | sort -n | tail'` finds the directory that holds them.",
    ],
    queries: [
      {
        title: "Share of inodes free per claim",
        expr: `kubelet_volume_stats_inodes_free{${L}} / kubelet_volume_stats_inodes{${L}}`,
      },
    ],
    panels: [{ dashboard: D, panel: "Volume inodes used" }],
    fix: [
      "Delete or pack the small files (session files, temporary files, unrotated logs); a filesystem's inode count is fixed when it is created, so a larger volume (or another filesystem) is the other way out.",
    ],
  },
  kubepersistentvolumeerrors: {
    meaning:
      "A PersistentVolume has been in phase `Failed` or `Pending` for 5 minutes: its provisioning or its reclamation did not succeed.",
    impact:
      "Claims waiting for that volume stay unbound and their pods Pending (a StatefulSet's next replica, a new database); a Failed volume may still hold data that was meant to be deleted or kept.",
    diagnose: [
      "`kubectl describe pv <name>` and the events of the claim bound to it; the CSI driver's controller logs (e.g. the EBS CSI controller in kube-system) name the cloud error (quota, zone, permissions).",
    ],
    queries: [
      {
        title: "Volumes in phase Failed or Pending",
        expr: `kube_persistentvolume_status_phase{${K}, phase=~"Failed|Pending"} == 1`,
      },
    ],
    panels: [{ dashboard: D, panel: "Persistent volumes not bound" }],
    fix: [
      "Fix the provisioner's cause (quota, IAM permissions of the CSI driver, a zone with no capacity), then delete and recreate the claim, or delete the Failed volume after checking what it holds.",
    ],
  },
  kubestatemetricslisterrors: {
    meaning:
      "More than 1 % of kube-state-metrics' LIST requests for one resource failed over 5 minutes, for 15 minutes. With the stack's least-privilege RBAC a missing permission shows up here. On clusters where client-go lists through WatchList (Kubernetes 1.35 and later by default) there are no LIST requests and KubeStateMetricsWatchErrors reports the same failures.",
    impact:
      "The metrics of that resource are missing or stale, so the kubernetes alerts and panels built on them go blind: a crash-looping pod or a full volume would not be reported.",
    diagnose: [
      "The alert names the resource. The log of the kube-state-metrics pod (`kubectl -n <namespace> logs deploy/kube-state-metrics`) shows the error: `forbidden: ... cannot list resource` is RBAC, timeouts are the API server.",
      "`kubectl describe clusterrole monitoring-<stack>-kube-state-metrics` lists what the stack grants: list and watch on exactly the resources in `--resources`.",
    ],
    queries: [
      {
        title: "Failed share of LIST requests per resource",
        expr: `sum by (resource) (rate(kube_state_metrics_list_total{${T}, result="error"}[5m])) / sum by (resource) (rate(kube_state_metrics_list_total{${T}}[5m]))`,
      },
    ],
    panels: [{ dashboard: D, panel: "kube-state-metrics list and watch errors" }],
    fix: [
      "Restore the RBAC with `pulumi up` (the ClusterRole is part of the stack); a resource added to kube-state-metrics' `--resources` needs its rule in the same change.",
      "API server errors: check the control plane's health and whether API priority and fairness throttles the kube-state-metrics service account.",
    ],
  },
  kubestatemetricswatcherrors: {
    meaning:
      "More than 1 % of kube-state-metrics' WATCH requests for one resource failed over 5 minutes, for 15 minutes.",
    impact:
      "The metrics of that resource stop following changes (or are missing): the kubernetes alerts and panels built on them report a stale or empty state.",
    diagnose: [
      "The alert names the resource. The kube-state-metrics pod's log shows the watch errors: `forbidden` is RBAC (watch needs its own verb), others point at the API server or the network path to it.",
      "`kubectl describe clusterrole monitoring-<stack>-kube-state-metrics`: each resource needs both `list` and `watch`.",
    ],
    queries: [
      {
        title: "Failed share of WATCH requests per resource",
        expr: `sum by (resource) (rate(kube_state_metrics_watch_total{${T}, result="error"}[5m])) / sum by (resource) (rate(kube_state_metrics_watch_total{${T}}[5m]))`,
      },
    ],
    panels: [{ dashboard: D, panel: "kube-state-metrics list and watch errors" }],
    fix: [
      "Restore the RBAC with `pulumi up`, or fix the API server connectivity; kube-state-metrics resumes its watches on its own.",
    ],
  },
};
