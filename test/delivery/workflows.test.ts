/**
 * The GitHub workflows users get: valid YAML, the triggers, jobs and steps each one promises, every action
 * and image pinned, least-privilege permissions and no secret in a script. The checks themselves
 * (workflow-checks.ts) are run on broken copies too, so each one is shown to fail when it should.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

import { COMMENT_MARKER } from "../../.github/scripts/plan-comment";
import { repoRoot } from "../helpers/plan";
import {
  isObject,
  jobById,
  lines,
  loadWorkflows,
  parseWorkflow,
  permissionProblems,
  runText,
  secretProblems,
  stepsUsing,
  unpinnedActions,
  unpinnedImages,
  type Job,
  type Workflow,
} from "./workflow-checks";

const workflows = loadWorkflows(repoRoot);
const byFile = (file: string): Workflow => {
  const wf = workflows.find((w) => w.file === file);
  if (!wf) throw new Error(`no .github/workflows/${file}`);
  return wf;
};

const PACKS = ["policies/security", "policies/cost"];
const packConfigs = (env: string) => [
  `policies/security/config.${env}.json`,
  `policies/cost/config.${env}.json`,
];

/** The one pulumi/actions step of a job running `command` on `stack`, with both policy packs of `env`. */
function expectPulumiWithPolicies(job: Job, command: string, stack: string, env = stack): void {
  const steps = stepsUsing(job, "pulumi/actions").filter((s) => s.with.command === command);
  expect(steps, `${job.id}: pulumi/actions ${command}`).toHaveLength(1);
  const w = steps[0].with;
  expect(w["stack-name"]).toBe(stack);
  expect(lines(w.policyPacks)).toEqual(PACKS);
  expect(lines(w.policyPackConfigs)).toEqual(packConfigs(env));
}

describe("the workflows", () => {
  it("are the four the README describes, each valid YAML", () => {
    expect(workflows.map((w) => w.file)).toEqual(["ci.yml", "deploy.yml", "preview.yml", "review-stack.yml"]);
    for (const wf of workflows) {
      expect(wf.jobs.length, wf.file).toBeGreaterThan(0);
      for (const job of wf.jobs) {
        expect(job.steps.length, `${wf.file} ${job.id}`).toBeGreaterThan(0);
        for (const need of job.needs)
          expect(
            wf.jobs.map((j) => j.id),
            `${job.id} needs ${need}`,
          ).toContain(need);
      }
    }
  });

  it("pin every action to a commit SHA (with its version in a comment) or an exact version", () => {
    expect(workflows.flatMap(unpinnedActions)).toEqual([]);
  });

  it("pin every container image", () => {
    expect(workflows.flatMap(unpinnedImages)).toEqual([]);
  });

  it("grant least privilege: nothing at workflow level, per job only what its steps need", () => {
    expect(workflows.flatMap(permissionProblems)).toEqual([]);
  });

  it("never put a secret into a script or print one", () => {
    expect(workflows.flatMap(secretProblems)).toEqual([]);
  });
});

describe("ci.yml", () => {
  it("runs .ci/run on push to main and on pull requests, in a pinned Debian container", () => {
    const wf = byFile("ci.yml");
    expect(Object.keys(wf.on).sort()).toEqual(["pull_request", "push"]);
    const ci = jobById(wf, "ci");
    expect(runText(ci)).toContain("bash .ci/run");
    const container = ci.raw.container;
    expect(isObject(container) && typeof container.image === "string" && container.image).toMatch(
      /^node:\d+\.\d+\.\d+-bookworm$/,
    );
  });

  it(".ci/run runs npm ci, then exactly the README's test command, then typecheck, lint and both plans", () => {
    const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Run the tests"));
    const block = /```bash\n([\s\S]*?)```/.exec(section);
    expect(block, "README: a bash block under 'Run the tests'").not.toBeNull();
    const readmeCommands = block![1]
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    expect(readmeCommands).toEqual(["npm test"]);

    const ciRun = readFileSync(path.join(repoRoot, ".ci", "run"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter(
        (l) =>
          l && !l.startsWith("#") && !l.startsWith("echo") && !l.startsWith("set ") && !l.startsWith("cd "),
      );
    const at = (cmd: string) => ciRun.findIndex((l) => l === cmd || l.startsWith(`${cmd} `));
    expect(at("npm ci")).toBe(0);
    // The README's command comes right after the install: nothing else prepares the clone for it.
    expect(ciRun[1]).toBe(readmeCommands[0]);
    expect(at("npm run typecheck")).toBeGreaterThan(1);
    expect(at("npm run lint")).toBeGreaterThan(1);
    expect(ciRun.join("\n")).toMatch(/for stack in dev prod; do\s+npm run plan -- "\$stack"/);
    expect(ciRun.join("\n")).not.toContain("install-prometheus-tools");
  });
});

describe("preview.yml", () => {
  const wf = byFile("preview.yml");

  it("runs on pull requests, one run per pull request at a time", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    const concurrency = wf.raw.concurrency;
    expect(isObject(concurrency) && concurrency.group).toContain("github.event.pull_request.number");
  });

  it("plans dev and prod on the base and on the head, the head against the base, prod with stub secrets", () => {
    const plan = jobById(wf, "plan");
    const checkouts = stepsUsing(plan, "actions/checkout");
    expect(checkouts.map((s) => [s.with.ref, s.with.path])).toEqual([
      ["${{ github.event.pull_request.base.sha }}", "base"],
      ["${{ github.event.pull_request.head.sha }}", "head"],
    ]);
    const script = runText(plan);
    expect(script).toContain("plan base dev\n");
    expect(script).toContain("plan base prod --stub-secrets\n");
    expect(script).toContain('plan head dev --diff-against "$out/dev/base"\n');
    expect(script).toContain('plan head prod --stub-secrets --diff-against "$out/prod/base"\n');
    // The plan function runs the head's or the base's own scripts/plan.ts from inside that checkout.
    expect(script).toMatch(
      /cd "\$side" && npx tsx scripts\/plan\.ts "\$stack" --out "\$out\/\$stack\/\$side" "\$@"/,
    );
    expect(stepsUsing(plan, "actions/upload-artifact")[0]?.with.name).toBe("preview-plans");
  });

  it("runs pulumi preview of both stacks with both policy packs only where credentials are configured", () => {
    for (const stack of ["dev", "prod"]) {
      const job = jobById(wf, `pulumi-preview-${stack}`);
      expect(job.if).toContain("vars.PULUMI_PREVIEW == 'true'");
      expect(job.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
      expectPulumiWithPolicies(job, "preview", stack);
      expect(stepsUsing(job, "pulumi/actions")[0].with.diff).toBe(true);
    }
    // Only prod talks to AWS, so only prod gets an OIDC token.
    expect(
      stepsUsing(jobById(wf, "pulumi-preview-prod"), "aws-actions/configure-aws-credentials"),
    ).toHaveLength(1);
    expect(jobById(wf, "pulumi-preview-dev").permissions).toEqual({ contents: "read" });
  });

  it("posts ONE comment, found by its marker and updated, after the plan and the previews", () => {
    const comment = jobById(wf, "comment");
    expect(comment.needs.sort()).toEqual(["plan", "pulumi-preview-dev", "pulumi-preview-prod"]);
    // Posted when a preview was skipped (no credentials) or the plan found a violation.
    expect(comment.if).toMatch(/always\(\)/);
    expect(runText(comment)).toContain("npx tsx .github/scripts/plan-comment.ts preview >comment.md");
    const scripts = stepsUsing(comment, "actions/github-script");
    expect(scripts).toHaveLength(1);
    const script = String(scripts[0].with.script);
    expect(script).toContain(`const marker = "${COMMENT_MARKER}";`);
    expect(script).toMatch(/comments\.find\(\(c\) => [^\n]*c\.body\?\.startsWith\(marker\)\)/);
    expect(script).toMatch(/if \(mine\) \{\s+await github\.rest\.issues\.updateComment/);
    expect(script).toMatch(/\} else \{[\s\S]*github\.rest\.issues\.createComment/);
    // The only job allowed to write to pull requests.
    const writers = wf.jobs.filter(
      (j) => isObject(j.permissions) && j.permissions["pull-requests"] === "write",
    );
    expect(writers.map((j) => j.id)).toEqual(["comment"]);
  });

  it("fails the run when a head plan is blocked, after the comment is posted", () => {
    const gate = jobById(wf, "gate");
    expect(gate.needs).toEqual(["plan", "comment"]);
    expect(runText(gate)).toContain('[ "$PLAN_RESULT" = success ] && [ "$BLOCKED" = false ]');
  });
});

describe("deploy.yml", () => {
  const wf = byFile("deploy.yml");

  it("runs on push to main", () => {
    const push = wf.on.push;
    expect(isObject(push) && push.branches).toEqual(["main"]);
  });

  it("updates dev with both policy packs enforced", () => {
    const dev = jobById(wf, "dev");
    expectPulumiWithPolicies(dev, "up", "dev");
    expect(runText(dev)).toContain("npm run plan -- dev");
  });

  it("updates prod after dev, behind the prod environment (required reviewers), with both packs", () => {
    const prod = jobById(wf, "prod");
    expect(prod.needs).toEqual(["dev"]);
    expect(prod.raw.environment).toBe("prod");
    expectPulumiWithPolicies(prod, "up", "prod");
    expect(stepsUsing(prod, "aws-actions/configure-aws-credentials")).toHaveLength(1);
    // One update per stack at a time, never cancelled half-way.
    for (const job of [jobById(wf, "dev"), prod]) {
      expect(job.raw.concurrency).toEqual({ group: `pulumi-${job.id}`, "cancel-in-progress": false });
    }
  });
});

describe("review-stack.yml", () => {
  const wf = byFile("review-stack.yml");

  it("runs on opened, synchronize, reopened and closed pull requests, one run per pull request", () => {
    const pr = wf.on.pull_request;
    expect(isObject(pr) && pr.types).toEqual(["opened", "synchronize", "reopened", "closed"]);
    expect(wf.raw.concurrency).toEqual({
      group: "review-stack-${{ github.event.pull_request.number }}",
      "cancel-in-progress": false,
    });
    expect(wf.env.STACK).toBe("pr-${{ github.event.pull_request.number }}");
  });

  it("creates pr-<number> from dev's config, ephemeral, and updates it while the pull request is open", () => {
    const up = jobById(wf, "up");
    expect(up.if).toContain("github.event.action != 'closed'");
    const script = runText(up);
    expect(script).toContain('pulumi stack init "$STACK" --copy-config-from dev');
    expect(script).toContain('pulumi config set --stack "$STACK" monitoring:ephemeral true');
    expect(script).toMatch(/pulumi up --stack "\$STACK" --yes/);
    for (const [i, pack] of PACKS.entries()) {
      expect(script).toContain(`--policy-pack ${pack} --policy-pack-config ${packConfigs("dev")[i]}`);
    }
    // The config is set before the update.
    expect(script.indexOf("monitoring:ephemeral true")).toBeLessThan(script.indexOf("pulumi up"));
  });

  it("destroys and removes the stack when the pull request is closed", () => {
    const destroy = jobById(wf, "destroy");
    expect(destroy.if).toContain("github.event.action == 'closed'");
    const script = runText(destroy);
    expect(script).toMatch(/pulumi destroy --stack "\$STACK" --yes/);
    expect(script).toContain('pulumi stack rm "$STACK" --yes');
    expect(script.indexOf("pulumi destroy")).toBeLessThan(script.indexOf("pulumi stack rm"));
  });
});

describe("the workflow checks", () => {
  const wf = (text: string) => parseWorkflow("bad.yml", text);
  const job = (body: string, top = "permissions: {}") =>
    wf(`name: bad\non: push\n${top}\njobs:\n  j:\n    runs-on: ubuntu-24.04\n${body}`);

  it("reject invalid YAML and duplicate keys", () => {
    expect(() => wf("on: push\njobs: [\n")).toThrow(/bad\.yml/);
    expect(() => wf("on: push\non: pull_request\njobs: {}\n")).toThrow(/bad\.yml/);
  });

  it("find unpinned actions: a branch, a major tag, a SHA without its version comment", () => {
    const bad = job(
      [
        "    permissions: {}",
        "    steps:",
        "      - uses: actions/checkout@main",
        "      - uses: actions/setup-node@v7",
        "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
        "      - uses: docker://alpine:latest",
        "      - uses: pulumi/actions@v7.0.0",
        "      - uses: ./local-action",
      ].join("\n"),
    );
    const problems = unpinnedActions(bad);
    expect(problems).toHaveLength(4);
    expect(problems.join("\n")).toMatch(
      /checkout@main[\s\S]*setup-node@v7[\s\S]*no "# vX\.Y\.Z" comment[\s\S]*alpine:latest/,
    );
  });

  it("find unpinned container images", () => {
    const bad = job("    permissions: {}\n    container: node:20\n    steps:\n      - run: true\n");
    expect(unpinnedImages(bad)).toEqual(["bad.yml j: image node:20 is not pinned"]);
  });

  it("find broad or unneeded permissions", () => {
    expect(
      permissionProblems(
        job("    permissions: {}\n    steps:\n      - run: true\n", "permissions: write-all"),
      ),
    ).toEqual(['bad.yml: workflow permissions "write-all"']);
    expect(permissionProblems(job("    steps:\n      - run: true\n", ""))).toEqual([
      "bad.yml: no workflow-level permissions (the default token may write)",
      "bad.yml j: no job permissions",
    ]);
    const top = permissionProblems(
      job("    permissions: {}\n    steps:\n      - run: true\n", "permissions:\n  pull-requests: write"),
    );
    expect(top).toEqual(["bad.yml: workflow-level pull-requests: write (grant it on the job that needs it)"]);
    const unneeded = job(
      "    permissions:\n      contents: write\n      id-token: write\n      pull-requests: write\n    steps:\n      - run: true\n",
    );
    expect(permissionProblems(unneeded)).toEqual([
      "bad.yml j: contents: write is not needed",
      "bad.yml j: id-token: write without a step that needs it",
      "bad.yml j: pull-requests: write without a step that needs it",
    ]);
    const missing = job(
      "    permissions:\n      contents: read\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v6.2.3\n",
    );
    expect(permissionProblems(missing)).toEqual(["bad.yml j: needs id-token: write and does not ask for it"]);
  });

  it("find secrets spliced into scripts or printed", () => {
    const bad = job(
      [
        "    permissions: {}",
        "    env:",
        "      TOKEN: ${{ secrets.PULUMI_ACCESS_TOKEN }}",
        "    steps:",
        "      - name: spliced",
        "        run: pulumi login --token ${{ secrets.PULUMI_ACCESS_TOKEN }}",
        "      - name: printed",
        '        run: echo "token is $TOKEN"',
        "      - name: traced",
        "        run: |",
        "          set -euxo pipefail",
        "          pulumi whoami",
        "      - name: fine",
        "        run: pulumi whoami",
      ].join("\n"),
    );
    expect(secretProblems(bad)).toEqual([
      'bad.yml j "spliced": a ${{ }} expression inside run: (pass it through env:)',
      'bad.yml j "printed": prints the secret $TOKEN',
      'bad.yml j "traced": set -x traces commands and their secrets',
    ]);
  });
});
