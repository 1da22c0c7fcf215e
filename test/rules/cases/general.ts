import { fires, RuleTestCase } from "./types";

export const generalCases: RuleTestCase[] = [
  {
    name: "one of five node-exporters down (20%), one of twenty Prometheus targets down (5%)",
    series: {
      'up{job="node-exporter", instance="n0:9100"}': "0x30",
      ...Object.fromEntries(
        [1, 2, 3, 4].map((i) => [`up{job="node-exporter", instance="n${i}:9100"}`, "1x30"]),
      ),
      'up{job="prometheus", instance="p0:9090"}': "0x30",
      ...Object.fromEntries(
        Array.from({ length: 19 }, (_, i) => [`up{job="prometheus", instance="p${i + 1}:9090"}`, "1x30"]),
      ),
    },
    alerts: [
      { at: "5m", alert: "TargetDown", expect: [] },
      {
        at: "15m",
        alert: "TargetDown",
        expect: [
          fires(
            { job: "node-exporter", severity: "warning" },
            "One or more scrape targets are down.",
            "20% of the node-exporter targets are down.",
          ),
        ],
      },
    ],
  },
  {
    name: "Kubernetes targets are counted per namespace and service",
    series: {
      'up{job="kubernetes-pods", namespace="rag", service="api", instance="10.0.0.1:8080"}': "0x30",
      'up{job="kubernetes-pods", namespace="rag", service="api", instance="10.0.0.2:8080"}': "1x30",
      'up{job="kubernetes-pods", namespace="rag", service="worker", instance="10.0.0.3:8080"}': "1x30",
    },
    alerts: [
      {
        at: "15m",
        alert: "TargetDown",
        expect: [
          fires(
            { job: "kubernetes-pods", namespace: "rag", service: "api", severity: "warning" },
            "One or more scrape targets are down.",
            "50% of the kubernetes-pods/api targets in namespace rag are down.",
          ),
        ],
      },
    ],
  },
  {
    name: "Watchdog fires from the first evaluation",
    series: {},
    alerts: [
      {
        at: "0m",
        alert: "Watchdog",
        expect: [
          fires(
            { severity: "none" },
            "Alerting pipeline heartbeat; always firing.",
            "This alert always fires so that its absence at the dead-man's-switch receiver shows the alerting pipeline is broken. It is routed to the heartbeat receiver only.",
          ),
        ],
      },
    ],
  },
  {
    name: "InfoInhibitor: an info alert alone in namespace rag, beside a warning in namespace db",
    series: {
      'ALERTS{alertname="ContainerCPUThrottlingHigh", alertstate="firing", severity="info", namespace="rag"}':
        "1x10",
      'ALERTS{alertname="ContainerCPUThrottlingHigh", alertstate="firing", severity="info", namespace="db"}':
        "1x10",
      'ALERTS{alertname="ContainerMemoryNearLimit", alertstate="firing", severity="warning", namespace="db"}':
        "1x10",
    },
    alerts: [
      {
        at: "5m",
        alert: "InfoInhibitor",
        expect: [
          fires(
            { alertstate: "firing", namespace: "rag", severity: "none" },
            "Info-level alert inhibition.",
            "Fires while an info alert is firing in the rag namespace without a warning or critical alert beside it; Alertmanager uses it to inhibit the info alerts. Route it nowhere.",
          ),
        ],
      },
    ],
  },
  {
    name: "InfoInhibitor stays silent when every info alert has a warning beside it",
    series: {
      'ALERTS{alertname="ContainerCPUThrottlingHigh", alertstate="firing", severity="info", namespace="db"}':
        "1x10",
      'ALERTS{alertname="ContainerMemoryNearLimit", alertstate="firing", severity="warning", namespace="db"}':
        "1x10",
    },
    alerts: [{ at: "5m", alert: "InfoInhibitor", expect: [] }],
  },
];
