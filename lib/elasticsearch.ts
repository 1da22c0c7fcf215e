/**
 * Where the stack's Elasticsearch ILM policy lives, shared by the logging component (which writes it)
 * and the cost pack's retention rule (which reads it from there and nowhere else): the file
 * `ilmPolicyFile` of the setup job `workload`, the one place the job applies the policy from.
 */
export const ELASTICSEARCH_SETUP = {
  workload: "elasticsearch-setup",
  ilmPolicyFile: "ilm-policy.json",
} as const;
