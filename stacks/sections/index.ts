/** Every config section in resolution order: a section may read what the ones before it put in the context. */
import { alertmanagerSection } from "./alertmanager";
import { awsSection } from "./aws";
import { cadvisorSection, nodeExporterSection } from "./exporters";
import { grafanaSection } from "./grafana";
import { packsSection } from "./packs";
import { loggingSection } from "./logging";
import { kubeStateMetricsSection } from "./kube-state-metrics";
import { dockerSection, kubernetesSection } from "./platform";
import { prometheusSection } from "./prometheus";
import { rulesSection } from "./rules";

export const SECTIONS = {
  kubernetes: kubernetesSection,
  docker: dockerSection,
  prometheus: prometheusSection,
  alertmanager: alertmanagerSection,
  nodeExporter: nodeExporterSection,
  cadvisor: cadvisorSection,
  kubeStateMetrics: kubeStateMetricsSection,
  rules: rulesSection,
  grafana: grafanaSection,
  aws: awsSection,
  packs: packsSection,
  logging: loggingSection,
} as const;

export type SectionKey = keyof typeof SECTIONS;
/** The resolved spec of every section, by key. */
export type SectionSpecs = { [K in SectionKey]: ReturnType<(typeof SECTIONS)[K]["resolve"]> };
